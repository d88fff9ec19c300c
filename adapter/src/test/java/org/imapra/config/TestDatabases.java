package org.imapra.config;

import java.nio.file.Path;
import java.util.Base64;
import java.security.SecureRandom;
import javax.sql.DataSource;
import org.imapra.standin.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

/** One private PostgreSQL for the adapter's tests (under target/, stopped at JVM exit), a new database per call. */
public final class TestDatabases {

    private static PostgresServer server;

    private TestDatabases() {
    }

    /** A DataSource of a new, empty database. */
    public static synchronized DataSource newDatabase() {
        if (server == null) {
            server = PostgresServer.start(Path.of("target"));
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.createDatabase());
        return ds;
    }

    /** A fresh master key (base64 of 32 random bytes), as IMAPRA_MASTER_KEY holds it. */
    public static String masterKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }
}
