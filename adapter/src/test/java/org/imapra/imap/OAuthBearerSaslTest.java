package org.imapra.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OAuthBearerSaslTest {

    @Test
    void initialResponseFollowsRfc7628() {
        byte[] r = OAuthBearerSasl.initialResponse("user@contoso.com", "tok");
        assertEquals("n,a=user@contoso.com,\u0001auth=Bearer tok\u0001\u0001", new String(r, StandardCharsets.UTF_8));
    }

    @Test
    void commaAndEqualsInTheUserAreEscaped() {
        byte[] r = OAuthBearerSasl.initialResponse("a,b=c@x.y", "t");
        assertArrayEquals("n,a=a=2Cb=3Dc@x.y,\u0001auth=Bearer t\u0001\u0001".getBytes(StandardCharsets.UTF_8), r);
    }
}
