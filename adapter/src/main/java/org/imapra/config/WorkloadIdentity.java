package org.imapra.config;

import java.util.function.UnaryOperator;

/**
 * The environment Azure workload identity sets in a pod: {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID} and
 * {@code AZURE_FEDERATED_TOKEN_FILE} (the projected service-account token, rotated on disk). A FEDERATED definition
 * takes from it what it does not set itself.
 */
final class WorkloadIdentity {

    static final String TENANT = "AZURE_TENANT_ID";
    static final String CLIENT = "AZURE_CLIENT_ID";
    static final String TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";

    private static volatile UnaryOperator<String> environment = System::getenv;

    private WorkloadIdentity() {
    }

    /** The variable's value, or null when it is not set or blank. */
    static String get(String variable) {
        String v = environment.apply(variable);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** For tests: another environment (null: the process's). */
    static void useEnvironment(UnaryOperator<String> env) {
        environment = env == null ? System::getenv : env;
    }
}
