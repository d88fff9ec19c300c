package org.imapra.api.admin;

import java.util.List;
import java.util.Optional;

/**
 * Manages the adapter's named mailbox definitions (the ones {@code getConnection("support")} and MDBs with
 * {@code mailbox=support} use) and diagnoses them. An administered object of the resource adapter; the admin console
 * gets it by JNDI. Secrets go in (in {@link DefinitionInput}) but never come out.
 */
public interface MailboxAdmin {

    /** Every stored definition, sorted by name. */
    List<MailboxSummary> list();

    Optional<DefinitionView> get(String name);

    /**
     * @throws DefinitionException with one problem per invalid property, or when the name is taken
     */
    DefinitionView create(DefinitionInput input, String actor) throws DefinitionException;

    /**
     * Replaces a definition. Secrets left empty in {@code input} keep their stored value. Pooled connections made with
     * the old definition are retired; inbound activations reconnect.
     *
     * @param expectedVersion the version the editor started from
     * @throws DefinitionException when invalid, or "changed by someone else" when the stored version differs
     */
    DefinitionView update(String name, long expectedVersion, DefinitionInput input, String actor)
            throws DefinitionException;

    /**
     * @throws DefinitionException when it does not exist or was changed by someone else
     */
    void delete(String name, long expectedVersion, String actor) throws DefinitionException;

    /** The staged ping of a stored definition: never null, never empty. */
    PingReport ping(String name);

    /** The staged ping of an unsaved definition (secrets as given). */
    PingReport ping(DefinitionInput input);

    /**
     * Starts the delegated sign-in of a DELEGATED definition: the tenant's authorize URL (scope
     * IMAP.AccessAsUser.All offline_access, PKCE S256, login_hint = the mailbox) and the state to expect back. The
     * PKCE verifier stays in the adapter.
     *
     * @param redirectUri the console's fixed callback URL (registered on the app)
     */
    AuthorizationStart startAuthorization(String name, String redirectUri, String actor) throws DefinitionException;

    /**
     * Completes it: takes the state (once), redeems the code with the PKCE verifier, checks that the account that
     * consented is the definition's mailbox, and stores the sign-in (encrypted). Connections and MDBs then work.
     *
     * @throws DefinitionException {@code SIGN_IN} for an unknown, used or expired state, another definition's state,
     *                             the wrong account, or a code the token endpoint refused
     */
    DefinitionView completeAuthorization(String name, String state, String code, String actor)
            throws DefinitionException;

    /** Live pool and inbound state of a definition. */
    LiveStatus status(String name);

    /**
     * The readiness of every stored definition, sorted by name (what {@code /health/ready} and the console's badges
     * show): from what the adapter knows now, without contacting the server.
     */
    List<MailboxHealth> health();

    /** The counters of every registered definition since the resource adapter started (the {@code imapra_} metrics). */
    List<MailboxTelemetry> telemetry();
}
