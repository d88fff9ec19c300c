package org.imapra.standin;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints Dovecot's log to System.err when a test fails (the log is deleted with the server's directory). */
public final class DovecotLogOnFailure implements TestWatcher {
    private final Supplier<DovecotServer> server;

    public DovecotLogOnFailure(Supplier<DovecotServer> server) {
        this.server = server;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        DovecotServer d = server.get();
        if (d != null) {
            System.err.println("---- Dovecot log (" + d.logFile() + ") after " + context.getDisplayName()
                    + " failed ----\n" + d.log() + "---- end of Dovecot log ----");
        }
    }
}
