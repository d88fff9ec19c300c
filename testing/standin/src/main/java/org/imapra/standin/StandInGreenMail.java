package org.imapra.standin;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapServer;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;

/** GreenMail whose IMAPS service is an {@link XoauthImapServer}; the other services are GreenMail's own. */
final class StandInGreenMail extends GreenMail {
    private final BiFunction<ServerSetup, Managers, XoauthImapServer> imapsFactory;
    private volatile XoauthImapServer imaps;

    StandInGreenMail(ServerSetup smtp, ServerSetup imapsSetup,
                     BiFunction<ServerSetup, Managers, XoauthImapServer> imapsFactory) {
        super(new ServerSetup[] {smtp});
        this.imapsFactory = imapsFactory;
        this.config = new ServerSetup[] {smtp, imapsSetup};
    }

    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers managers) {
        ServerSetup[] others = Arrays.stream(setups)
                .filter(s -> !ServerSetup.PROTOCOL_IMAPS.equals(s.getProtocol())).toArray(ServerSetup[]::new);
        Map<String, AbstractServer> services = super.createServices(others, managers);
        if (imapsFactory != null) { // null while GreenMail's constructor runs
            for (ServerSetup s : setups) {
                if (ServerSetup.PROTOCOL_IMAPS.equals(s.getProtocol())) {
                    imaps = imapsFactory.apply(s, managers);
                    services.put(ServerSetup.PROTOCOL_IMAPS, imaps);
                }
            }
        }
        return services;
    }

    /** Not a GreenMail {@link ImapServer}: use {@link StandInMailServer#imapsPort()}. */
    @Override
    public ImapServer getImaps() {
        throw new UnsupportedOperationException("The stand-in's IMAPS server is XOAUTH2-only:"
                + " use StandInMailServer.imapsPort()");
    }

    XoauthImapServer xoauthImaps() {
        return imaps;
    }
}
