package org.imapra.standin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The private PostgreSQL cluster starts wherever the checkout is: a data directory deeper than a Unix socket path
 * may be (107 bytes) once made CI fail in the second cluster-it run, whose work directory is four characters longer.
 */
class PostgresServerTest {

    @Test
    void startsUnderADirectoryTooDeepForAUnixSocketAndServesTcp() throws IOException {
        Path deep = Path.of("target", "a-directory-name-that-makes-the-path-longer-than-a-unix-socket-path-may-be",
                "and-some-more").toAbsolutePath();
        assertTrue(deep.toString().length() + "/postgres-12345678901234567890/.s.PGSQL.12345".length() > 107,
                deep::toString);
        Files.createDirectories(deep);
        java.util.Set<Path> before;
        try (var children = Files.list(deep)) {
            before = children.collect(java.util.stream.Collectors.toSet());
        }
        Path dir;
        try (PostgresServer pg = PostgresServer.start(deep)) {
            String url = pg.createDatabase(); // createdb over TCP: the server runs and accepts connections
            assertTrue(url.startsWith("jdbc:postgresql://127.0.0.1:" + pg.port() + "/db_"), url);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), pg.port())) {
                assertTrue(s.isConnected());
            }
            try (var children = Files.list(deep)) {
                dir = children.filter(p -> !before.contains(p)).findFirst().orElseThrow();
            }
        }
        assertFalse(Files.exists(dir), "close() deletes the cluster's directory");
    }
}
