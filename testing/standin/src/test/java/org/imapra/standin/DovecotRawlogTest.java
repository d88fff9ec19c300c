package org.imapra.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting commands in Dovecot's rawlog files: names, time stamps, DONE, and counting from a reset on. */
class DovecotRawlogTest {

    @Test
    void namesCommandsWithOrWithoutTheTimeStamp() {
        assertEquals("UID FETCH", DovecotRawlog.commandName("1796158854.076115 A7 UID FETCH 1:5 (UID)"));
        assertEquals("SELECT", DovecotRawlog.commandName("A1 SELECT INBOX"));
        assertEquals("UID SEARCH", DovecotRawlog.commandName("1796158854.1 a2 uid search UNSEEN"));
        assertNull(DovecotRawlog.commandName("1796158930.991689 DONE"));
        assertNull(DovecotRawlog.commandName(""));
    }

    @Test
    void countsWhatWasWrittenAfterTheReset(@TempDir Path dir) throws Exception {
        DovecotRawlog log = new DovecotRawlog(dir.resolve("rawlog"));
        Path in = log.dir().resolve("20261201-210157.1.1.in");
        Files.writeString(in, "1.0 A1 SELECT INBOX\r\n1.1 A2 IDLE\r\n");
        Files.writeString(log.dir().resolve("20261201-210157.1.1.out"), "* OK\r\nA1 FETCH (x)\r\n");
        assertEquals(Map.of("SELECT", 1L, "IDLE", 1L), log.counts());
        log.reset();
        Files.writeString(in, "1.2 DONE\r\n1.3 A3 UID STORE 1 +FLAGS (\\Seen)\r\n1.4 A4 UID STORE 2 +FLAGS (\\Seen)\r\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Map.of("UID STORE", 2L), log.counts());
    }
}
