package org.eclipse.microprofile.config;

import java.util.Optional;

/** The one method of MicroProfile Config's {@code Config} that imapra's password alias lookup uses. */
public interface Config {
    <T> Optional<T> getOptionalValue(String propertyName, Class<T> propertyType);
}
