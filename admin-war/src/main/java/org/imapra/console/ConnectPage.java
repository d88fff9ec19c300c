package org.imapra.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpSession;

/** Shows (once) how the last delegated sign-in ended ({@code connect.xhtml}). */
@Named("connect")
@RequestScoped
public class ConnectPage {

    private SignIns.Result result;

    public void load() {
        HttpSession session = (HttpSession) FacesContext.getCurrentInstance().getExternalContext().getSession(false);
        if (session != null) {
            result = (SignIns.Result) session.getAttribute(SignIns.RESULT_KEY);
            session.removeAttribute(SignIns.RESULT_KEY);
        }
    }

    public boolean isPresent() {
        return result != null;
    }

    public boolean isOk() {
        return result != null && result.ok();
    }

    public String getName() {
        return result == null ? null : result.name();
    }

    public String getMessage() {
        return result == null ? null : result.message();
    }
}
