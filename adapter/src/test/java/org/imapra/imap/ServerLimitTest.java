package org.imapra.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.time.Instant;
import org.imapra.api.ImapAuthenticationException;
import org.imapra.api.ImapException;
import org.imapra.api.ImapThrottledException;
import org.junit.jupiter.api.Test;

/** Exchange Online's words about its limits, as users of other clients reported them. */
class ServerLimitTest {

    @Test
    void throttledWithTheSuggestedTime() {
        assertEquals(new ServerLimit.Throttled(Duration.ofMillis(299609)),
                ServerLimit.parse("A3 NO Request is throttled. Suggested Backoff Time: 299609 milliseconds"));
        assertEquals(new ServerLimit.Throttled(Duration.ofMinutes(1)), ServerLimit.parse("NO Request is throttled."));
    }

    @Test
    void unavailableAndResponseCodesBackOffAtLeastFifteenSeconds() {
        assertEquals(new ServerLimit.Unavailable(Duration.ofSeconds(15)), ServerLimit.parse("NO Server Unavailable. 15"));
        assertEquals(new ServerLimit.Unavailable(Duration.ofSeconds(15)), ServerLimit.parse("NO Server Unavailable. 8"));
        assertEquals(new ServerLimit.Unavailable(Duration.ofSeconds(15)), ServerLimit.parse("NO [UNAVAILABLE] later"));
        assertEquals(new ServerLimit.Unavailable(Duration.ofSeconds(15)), ServerLimit.parse("NO [LIMIT] too many"));
    }

    @Test
    void notConnectedAndOrdinaryFailures() {
        assertInstanceOf(ServerLimit.NotConnected.class,
                ServerLimit.parse("BAD User is authenticated but not connected."));
        assertNull(ServerLimit.parse("NO AUTHENTICATE failed."));
        assertNull(ServerLimit.parse(null));
    }

    @Test
    void translateGivesTypedExceptions() {
        Instant before = Instant.now();
        ImapException t = ImapErrors.translate("a@b", "h:993", "AUTHENTICATE XOAUTH2", new AuthenticationFailedException(
                "Request is throttled. Suggested Backoff Time: 5000 milliseconds"));
        ImapThrottledException throttled = assertInstanceOf(ImapThrottledException.class, t);
        assertTrue(!throttled.retryAfter().isBefore(before.plusMillis(5000)), "retry after " + throttled.retryAfter());
        ImapException n = ImapErrors.translate("a@b", "h:993", "NOOP",
                new MessagingException("User is authenticated but not connected."));
        ImapAuthenticationException auth = assertInstanceOf(ImapAuthenticationException.class, n);
        assertTrue(auth.hint().contains("FullAccess") && auth.hint().contains("shared mailbox"), auth.hint());
    }
}
