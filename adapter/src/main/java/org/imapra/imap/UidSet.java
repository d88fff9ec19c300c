package org.imapra.imap;

import java.util.Arrays;
import java.util.Collection;

/** IMAP UID sets: {@code 1:5,7,9:12}. */
public final class UidSet {

    private UidSet() {
    }

    public static String of(Collection<Long> uids) {
        return of(uids.stream().mapToLong(Long::longValue).toArray());
    }

    public static String of(long... uids) {
        if (uids.length == 0) {
            throw new IllegalArgumentException("an empty UID set");
        }
        long[] sorted = uids.clone();
        Arrays.sort(sorted);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] <= sorted[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(sorted[i]);
            if (sorted[j] != sorted[i]) {
                sb.append(':').append(sorted[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
