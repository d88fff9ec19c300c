package org.imapra.api.admin;

import java.io.Serializable;
import java.time.Duration;

/**
 * One stage of a ping.
 *
 * @param name     e.g. "Token"
 * @param details  what was done and seen (URLs, codes, the server's words); never a secret or a token
 * @param hint     what to do about a failure or warning, or null
 */
public record PingStage(String name, Status status, Duration duration, String details, String hint)
        implements Serializable {

    public enum Status { OK, WARNING, FAILED, SKIPPED }
}
