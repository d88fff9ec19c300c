package org.imapra.inbound;

import jakarta.resource.spi.InvalidPropertyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import org.imapra.config.InvalidDefinitionException;
import org.imapra.config.MailboxDefinition;
import org.imapra.config.MailboxRegistry;
import org.imapra.config.Problem;

/** Checks an {@link ImapActivationSpec}; each message names the property and says what to do. */
final class ActivationSpecValidator {

    private static final Logger LOG = Logger.getLogger(ActivationSpecValidator.class.getName());
    /** RFC 2177: clients should re-issue IDLE at least every 29 minutes. */
    static final int MAX_IDLE_RENEW_SECONDS = 29 * 60;

    private final ImapActivationSpec s;
    private final MailboxRegistry registry;
    private final List<Problem> problems = new ArrayList<>();

    ActivationSpecValidator(ImapActivationSpec spec, MailboxRegistry registry) {
        this.s = spec;
        this.registry = registry;
    }

    InboundSettings settings() throws InvalidPropertyException {
        MailboxDefinition definition = definition();
        String folder = blankToNull(s.getFolder());
        if (folder == null) {
            problem("folder", "folder is required: the folder whose messages are delivered, e.g. INBOX");
        }
        ListenMode mode = s.getMode() == null || s.getMode().isBlank() ? null : parse("mode", s.getMode(),
                ListenMode.class, " (leave it empty to use IDLE when the server supports it)");
        int poll = range("pollIntervalSeconds", s.getPollIntervalSeconds(), 60, 1, 86_400, "seconds");
        int renew = range("idleRenewSeconds", s.getIdleRenewSeconds(), 600, 1, MAX_IDLE_RENEW_SECONDS,
                "seconds (servers may drop an IDLE after 30 minutes)");
        int check = range("idleCheckSeconds", s.getIdleCheckSeconds(), 120, 1, MAX_IDLE_RENEW_SECONDS,
                "seconds of silence before the connection is checked");
        SearchFilter filter = SearchFilter.DEFAULT;
        try {
            filter = SearchFilter.parse(s.getSearchFilter());
        } catch (IllegalArgumentException e) {
            problem("searchFilter", e.getMessage());
        }
        int batch = range("maxMessagesPerBatch", s.getMaxMessagesPerBatch(), 100, 1, 10_000, "messages");
        AfterDelivery after = s.getAfterDelivery() == null || s.getAfterDelivery().isBlank() ? AfterDelivery.MARK_SEEN
                : parse("afterDelivery", s.getAfterDelivery(), AfterDelivery.class, "");
        String moveTo = blankToNull(s.getMoveTo());
        checkAfterDelivery(after, moveTo, folder, filter);
        int attempts = range("maxAttempts", s.getMaxAttempts(), 5, 1, 1_000, "attempts");
        String errorFolder = blankToNull(s.getErrorFolder());
        if (errorFolder != null && errorFolder.equals(folder)) {
            problem("errorFolder", "errorFolder '" + errorFolder + "' is the folder being read: name another "
                    + "folder, e.g. Errors");
        }
        long backoff = rangeLong("retryBackoffMillis", s.getRetryBackoffMillis(), 1_000L, 1, 3_600_000L);
        long maxBackoff = rangeLong("maxRetryBackoffMillis", s.getMaxRetryBackoffMillis(), 60_000L, 1, 86_400_000L);
        if (maxBackoff < backoff) {
            problem("maxRetryBackoffMillis", "maxRetryBackoffMillis " + maxBackoff + " is smaller than "
                    + "retryBackoffMillis " + backoff + ": it is the upper bound of the back-off");
        }
        int concurrency = range("maxConcurrency", s.getMaxConcurrency(), 1, 1, 64, "deliveries at a time");
        if (!problems.isEmpty()) {
            InvalidDefinitionException e = new InvalidDefinitionException(subject(), problems);
            LOG.severe(e.getMessage());
            throw (InvalidPropertyException) new InvalidPropertyException(e.getMessage()).initCause(e);
        }
        return new InboundSettings(definition, folder, mode, poll, renew, check, filter, batch, after, moveTo, attempts,
                errorFolder, backoff, maxBackoff, concurrency);
    }

    private String subject() {
        String who = blankToNull(s.getMailbox()) != null ? "mailbox '" + s.getMailbox().strip() + "'"
                : blankToNull(s.getUserName()) != null ? s.getUserName().strip() : null;
        return "Activation spec" + (who == null ? "" : " for " + who);
    }

    private MailboxDefinition definition() {
        String name = blankToNull(s.getMailbox());
        MailboxDefinition inline = null;
        try {
            inline = s.defaultDefinition();
        } catch (InvalidDefinitionException e) {
            if (name == null) {
                problems.addAll(e.problems());
                return null;
            }
        }
        boolean inlineSet = inline != null || s.getUserName() != null || s.getTenantId() != null
                || s.getClientId() != null;
        if (name != null && inlineSet) {
            problem("mailbox", "set either mailbox (a named definition) or the inline definition properties "
                    + "(userName, tenantId, clientId, ...), not both");
            return null;
        }
        if (name == null) {
            if (inline == null) {
                problem("mailbox", "mailbox is required: the name of a mailbox definition (a connection factory's "
                        + "mailboxName), or set the inline definition properties userName, tenantId, clientId and "
                        + "clientSecret (or certificatePath)");
            }
            return inline;
        }
        if (registry == null) {
            return null;
        }
        return registry.find(name).orElseGet(() -> {
            problem("mailbox", "No mailbox definition named '" + name + "'; known definitions: " + registry.names()
                    + " (a definition is registered by a connection factory with mailboxName '" + name + "')");
            return null;
        });
    }

    private void checkAfterDelivery(AfterDelivery after, String moveTo, String folder, SearchFilter filter) {
        if (after == AfterDelivery.MOVE && moveTo == null) {
            problem("moveTo", "moveTo is required when afterDelivery is MOVE: the folder delivered messages are "
                    + "moved to, e.g. Processed");
        } else if (after != null && after != AfterDelivery.MOVE && moveTo != null) {
            problem("moveTo", "moveTo is set but afterDelivery is " + after + ": set afterDelivery=MOVE or remove "
                    + "moveTo");
        } else if (moveTo != null && moveTo.equals(folder)) {
            problem("moveTo", "moveTo '" + moveTo + "' is the folder being read: name another folder");
        }
        if (after == AfterDelivery.MARK_SEEN && !filter.unseenOnly()) {
            problem("searchFilter", "searchFilter ALL with afterDelivery MARK_SEEN would deliver every message "
                    + "again (a seen message still matches ALL): use UNSEEN, or afterDelivery MOVE or DELETE");
        }
    }

    private <E extends Enum<E>> E parse(String property, String raw, Class<E> type, String advice) {
        try {
            return Enum.valueOf(type, raw.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problem(property, property + " '" + raw + "' is not one of "
                    + Arrays.toString(type.getEnumConstants()).replaceAll("[\\[\\]]", "") + advice);
            return null;
        }
    }

    private int range(String property, Integer value, int dflt, int min, int max, String unit) {
        if (value == null) {
            return dflt;
        }
        if (value < min || value > max) {
            problem(property, property + " " + value + " is out of range: " + min + " to " + max + " " + unit);
            return dflt;
        }
        return value;
    }

    private long rangeLong(String property, Long value, long dflt, long min, long max) {
        if (value == null) {
            return dflt;
        }
        if (value < min || value > max) {
            problem(property, property + " " + value + " is out of range: " + min + " to " + max + " milliseconds");
            return dflt;
        }
        return value;
    }

    private void problem(String property, String message) {
        problems.add(new Problem(property, message));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
