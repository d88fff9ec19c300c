package org.imapra.standin;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A directory (tenant): its ID GUID and verified domain names; the first domain doubles as display name.
 *
 * @param id      directory (tenant) ID, a GUID
 * @param domains verified domain names, e.g. {@code contoso.example}
 */
public record EntraTenant(String id, List<String> domains) {
    public EntraTenant {
        id = Objects.requireNonNull(id, "id").toLowerCase(Locale.ROOT);
        domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether {@code idOrDomain} names this tenant (GUID or verified domain, case-insensitive). */
    public boolean matches(String idOrDomain) {
        String key = idOrDomain.toLowerCase(Locale.ROOT);
        return id.equals(key) || domains.contains(key);
    }

    /** The name Entra prints for this directory in error messages. */
    public String displayName() {
        return domains.isEmpty() ? id : domains.get(0);
    }
}
