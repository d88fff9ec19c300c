package org.imapra.inbound;

import jakarta.mail.Flags;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code searchFilter} activation property: {@code UNSEEN} (the default) or {@code ALL}, optionally followed by
 * {@code from=<text>} and {@code subject=<text>} (substring matches, as IMAP SEARCH FROM / SUBJECT do), separated by
 * {@code ;}. Example: {@code UNSEEN; from=alerts@contoso.com; subject=Invoice}.
 *
 * @param unseenOnly only messages without \Seen
 * @param from       text the From header must contain, or null
 * @param subject    text the Subject must contain, or null
 */
public record SearchFilter(boolean unseenOnly, String from, String subject) implements Serializable {

    public static final SearchFilter DEFAULT = new SearchFilter(true, null, null);

    /**
     * @throws IllegalArgumentException with a message naming {@code searchFilter} and what is wrong
     */
    public static SearchFilter parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        Boolean unseen = null;
        String from = null;
        String subject = null;
        for (String clause : raw.split(";")) {
            String c = clause.strip();
            if (c.isEmpty()) {
                continue;
            }
            int eq = c.indexOf('=');
            String key = (eq < 0 ? c : c.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : c.substring(eq + 1).strip();
            if (eq < 0 && (key.equals("unseen") || key.equals("all"))) {
                if (unseen != null) {
                    throw invalid(raw, "UNSEEN or ALL may appear only once");
                }
                unseen = key.equals("unseen");
            } else if (eq > 0 && (key.equals("from") || key.equals("subject")) && !value.isEmpty()) {
                if ((key.equals("from") ? from : subject) != null) {
                    throw invalid(raw, key + "= may appear only once");
                }
                if (key.equals("from")) {
                    from = value;
                } else {
                    subject = value;
                }
            } else {
                throw invalid(raw, "'" + c + "' is not UNSEEN, ALL, from=<text> or subject=<text>");
            }
        }
        return new SearchFilter(unseen == null || unseen, from, subject);
    }

    private static IllegalArgumentException invalid(String raw, String why) {
        return new IllegalArgumentException("searchFilter '" + raw + "' is invalid: " + why + " (example: "
                + "UNSEEN; from=alerts@contoso.com; subject=Invoice)");
    }

    /** The IMAP search term, or null for ALL without conditions. */
    public SearchTerm toTerm() {
        List<SearchTerm> terms = new ArrayList<>();
        if (unseenOnly) {
            terms.add(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        }
        if (from != null) {
            terms.add(new FromStringTerm(from));
        }
        if (subject != null) {
            terms.add(new SubjectTerm(subject));
        }
        if (terms.isEmpty()) {
            return null;
        }
        return terms.size() == 1 ? terms.get(0) : new AndTerm(terms.toArray(new SearchTerm[0]));
    }

    @Override
    public String toString() {
        return (unseenOnly ? "UNSEEN" : "ALL") + (from == null ? "" : "; from=" + from)
                + (subject == null ? "" : "; subject=" + subject);
    }
}
