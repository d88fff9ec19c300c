package org.imapra.standin;

import java.util.List;

/**
 * One acknowledgement the stand-in received while {@link StandInMailServer#recordAcknowledgements()} was on: a
 * {@code STORE +FLAGS} of {@code \Seen} or {@code \Deleted}, a {@code MOVE} or an {@code EXPUNGE} (plain or UID).
 *
 * @param connection the connection it came on (numbered in the order of their first acknowledgement)
 * @param clientPid the process of this machine holding the client end of that connection (Linux, found in /proc
 *     when the connection sent its first acknowledgement), -1 when it could not be found
 * @param clientPort the client end's TCP port
 * @param mailbox the mailbox the connection had authenticated for
 * @param command the command line without its tag, e.g. {@code UID STORE 3:5 +FLAGS (\Seen)}
 * @param uids the UIDs it names (UID commands; empty for sequence numbers or a plain EXPUNGE)
 * @param receivedNanos {@link System#nanoTime()} when the line arrived, before it was served (on Linux comparable
 *     across the processes of the machine: CLOCK_MONOTONIC)
 */
public record Acknowledgement(long connection, long clientPid, int clientPort, String mailbox, String command,
                              List<Long> uids, long receivedNanos) {
}
