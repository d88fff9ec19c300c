package org.imapra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The MSAL application cache: reused while the credential is the same, replaced when it changes, bounded. */
class MsalAppsTest {

    private final AtomicInteger builds = new AtomicInteger();

    private static TokenRequest secret(String client, String secret) {
        return new TokenRequest("https://login.microsoftonline.com/contoso.example/", client,
                "https://outlook.office365.com/.default", ClientCredential.secret(secret.toCharArray(), "fp-" + secret),
                null, 1000, 1000);
    }

    private Object build(byte[] certificate) {
        builds.incrementAndGet();
        return new Object();
    }

    @Test
    void theSameCredentialReusesTheAppAndAChangedSecretReplacesIt() throws Exception {
        MsalApps<Object> apps = new MsalApps<>(8);
        Object first = apps.get(secret("client", "one"), this::build);
        assertSame(first, apps.get(secret("client", "one"), this::build));
        Object second = apps.get(secret("client", "two"), this::build);
        assertNotSame(first, second);
        assertEquals(2, builds.get());
        assertEquals(1, apps.size(), "the app holding the old secret is dropped");
    }

    @Test
    void atMostMaxAppsAreKept() throws Exception {
        MsalApps<Object> apps = new MsalApps<>(3);
        for (int i = 0; i < 20; i++) {
            apps.get(secret("client-" + i, "s"), this::build);
        }
        assertEquals(3, apps.size());
        apps.get(secret("client-19", "s"), this::build);
        assertEquals(20, builds.get(), "the most recent app is still kept");
    }
}
