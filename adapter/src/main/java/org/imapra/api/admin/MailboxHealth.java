package org.imapra.api.admin;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The readiness of one definition, as {@code /health/ready} and the console's badge show it: UP, or DOWN with one
 * reason per problem found (the last token request failed, sign-in needed again, the last connect or AUTHENTICATE
 * failed, throttled, a stuck watcher, the credential expiring soon).
 *
 * @param name   the definition
 * @param inUse  whether anything uses it now (activations, pooled connections, or token requests since start)
 * @param up     no reason found
 * @param reasons the problems, each a sentence without secrets; empty when up
 * @param data   what the readiness check reports with it (e.g. {@code aadsts}, {@code lastDeliveryAgeSeconds})
 */
public record MailboxHealth(String name, boolean inUse, boolean up, List<String> reasons, Map<String, String> data)
        implements Serializable {

    public MailboxHealth {
        reasons = List.copyOf(reasons);
        data = Map.copyOf(data);
    }

    /** "UP" or "DOWN". */
    public String status() {
        return up ? "UP" : "DOWN";
    }
}
