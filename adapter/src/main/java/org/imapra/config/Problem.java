package org.imapra.config;

import java.io.Serializable;

/**
 * One thing wrong with a definition.
 *
 * @param property the config property concerned, e.g. {@code tenantId}
 * @param message  a sentence naming the property, what is wrong and what to do; never contains a secret
 */
public record Problem(String property, String message) implements Serializable {
}
