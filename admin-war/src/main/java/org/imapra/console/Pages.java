package org.imapra.console;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imapra.api.admin.DefinitionException;

/** Faces messages and navigation shared by the pages. */
final class Pages {

    private Pages() {
    }

    static void info(String text) {
        add(null, FacesMessage.SEVERITY_INFO, text);
    }

    /** A notice that needs the user's attention but is no failure (styled as a warning). */
    static void warn(String text) {
        add(null, FacesMessage.SEVERITY_WARN, text);
    }

    static void error(String text) {
        add(null, FacesMessage.SEVERITY_ERROR, text);
    }

    /** A message at the field {@code form:field} (e.g. {@code definition:tenantId}). */
    static void field(String form, String field, String text) {
        add(form + ":" + field, FacesMessage.SEVERITY_ERROR, text);
    }

    private static void add(String clientId, FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(clientId, new FacesMessage(severity, text, null));
    }

    /**
     * Shows why a change failed: each problem at its field (when the form has one, else at the top), or the
     * exception's message at the top.
     */
    static void show(DefinitionException e, String form, Set<String> fields) {
        Map<String, List<String>> problems = e.problems();
        if (problems.isEmpty()) {
            error(e.getMessage());
            return;
        }
        error("Not saved: correct the fields marked below.");
        problems.forEach((property, messages) -> messages.forEach(m -> {
            if (fields.contains(property)) {
                field(form, property, m);
            } else {
                error(m);
            }
        }));
    }

    /** Keeps this request's messages for the next request (after a redirect) and returns the redirect outcome. */
    static String redirect(String viewId) {
        FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
        return viewId + "?faces-redirect=true";
    }

    /** Redirects now (from a view action). */
    static void redirectNow(String viewId) {
        FacesContext faces = FacesContext.getCurrentInstance();
        faces.getExternalContext().getFlash().setKeepMessages(true);
        faces.getApplication().getNavigationHandler().handleNavigation(faces, null, redirect(viewId));
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Trimmed, or null when blank. */
    static String trim(String s) {
        return blank(s) ? null : s.strip();
    }
}
