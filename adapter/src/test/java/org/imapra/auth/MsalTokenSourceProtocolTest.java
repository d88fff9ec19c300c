package org.imapra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import org.imapra.standin.LocalM365;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the server log and the error say about app-only token requests to the stand-in's token endpoint. */
class MsalTokenSourceProtocolTest {

    static LocalM365 m365;
    static LogCapture logs;

    @BeforeAll
    static void start() {
        logs = LogCapture.install("org.imapra", "com.microsoft.aad");
        m365 = LocalM365.startDefault();
    }

    @AfterAll
    static void stop() {
        m365.close();
        logs.uninstall();
        logs.assertNoSecrets(LocalM365.DEFAULT_CLIENT_SECRET);
    }

    private static TokenRequest request() {
        return new TokenRequest(m365.authorityHost() + "/" + LocalM365.DEFAULT_TENANT_ID + "/",
                LocalM365.DEFAULT_CLIENT_ID, LocalM365.IMAP_SCOPE,
                ClientCredential.secret(LocalM365.DEFAULT_CLIENT_SECRET.toCharArray(), "default"), null, 5_000, 5_000);
    }

    @Test
    void aTokenRequestLeavesNoMsalCorrelationIdNoticeInTheLog() throws Exception {
        logs.clear();
        MsalTokenSource source = new MsalTokenSource();
        assertNotNull(source.fetch(request()));
        assertNotNull(source.fetch(request()));
        List<String> notices = logs.messages(Level.INFO, m -> m.contains("Correlation Id"));
        assertEquals(List.of(), notices);
    }

    @Test
    void a503FromTheTokenEndpointIsToldAsTransientOnEntrasSide() {
        m365.tokens().failNext(1, 503);
        TokenException e = assertThrows(TokenException.class, () -> new MsalTokenSource().fetch(request()));
        assertEquals(503, e.httpStatus());
        assertTrue(e.hint().contains("Entra ID failed on its side") && e.hint().contains("retry later"), e.hint());
        assertTrue(e.getMessage().contains("retry later"), e.getMessage());
    }

    @Test
    void a503WithoutEntrasJsonIsToldAsTransientOnEntrasSideToo() {
        m365.tokens().failNext(1, 503, "");
        TokenException empty = assertThrows(TokenException.class, () -> new MsalTokenSource().fetch(request()));
        assertEquals(503, empty.httpStatus(), empty.getMessage());
        assertNotNull(empty.hint(), empty.getMessage());
        assertTrue(empty.hint().contains("Entra ID failed on its side"), empty.hint());

        // an HTML error page: MSAL fails parsing it and keeps no status, the hint still names both causes
        m365.tokens().failNext(1, 503, "<html><body><h1>503 Service Unavailable</h1></body></html>");
        TokenException html = assertThrows(TokenException.class, () -> new MsalTokenSource().fetch(request()));
        assertNotNull(html.hint(), html.getMessage());
        assertTrue(html.hint().contains("httpsProxy") && html.hint().contains("Entra ID failed on its side"),
                html.hint());
    }
}
