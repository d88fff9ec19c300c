package org.imapra.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** How a batch is cut into parts: at most {@link BatchFetch#PART_MAX_BYTES} of small messages held at a time. */
class BatchFetchPartsTest {

    private static final Session SESSION = Session.getInstance(new Properties());

    private static Message sized(int bytes) {
        return new MimeMessage(SESSION) {
            @Override
            public int getSize() {
                return bytes;
            }
        };
    }

    private static List<Message> messages(int count, int bytes) {
        List<Message> m = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            m.add(sized(bytes));
        }
        return m;
    }

    private static List<Integer> sizes(List<List<Message>> parts) {
        return parts.stream().map(List::size).toList();
    }

    @Test
    void smallMessagesWithinTheBudgetMakeOnePart() throws Exception {
        assertEquals(List.of(100), sizes(BatchFetch.parts(messages(100, 5_000))));
        assertEquals(List.of(), sizes(BatchFetch.parts(List.of())));
    }

    @Test
    void smallMessagesBeyondTheBudgetAreCutIntoParts() throws Exception {
        int size = 250 * 1024; // 32 fit in 8 MB
        assertEquals(List.of(32, 8), sizes(BatchFetch.parts(messages(40, size))));
    }

    @Test
    void largeMessagesAreReadOnDemandAndDoNotCountAgainstTheBudget() throws Exception {
        List<Message> batch = messages(50, BatchFetch.WHOLE_MESSAGE_MAX_BYTES + 1);
        batch.addAll(messages(10, -1)); // size unknown: on demand as well
        assertEquals(List.of(60), sizes(BatchFetch.parts(batch)));
    }

    @Test
    void theBoundaryIsInclusive() throws Exception {
        List<Message> batch = messages(32, BatchFetch.WHOLE_MESSAGE_MAX_BYTES); // exactly 8 MB
        batch.add(sized(1));
        assertEquals(List.of(32, 1), sizes(BatchFetch.parts(batch)));
    }
}
