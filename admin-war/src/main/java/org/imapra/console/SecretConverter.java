package org.imapra.console;

import jakarta.faces.component.UIComponent;
import jakarta.faces.context.FacesContext;
import jakarta.faces.convert.Converter;
import jakarta.faces.convert.FacesConverter;

/**
 * Secrets are write-only: what the user types becomes a {@code char[]}; nothing is ever rendered back (the field is
 * always empty in the page, whatever the model holds).
 */
@FacesConverter("imapra.secret")
public class SecretConverter implements Converter<char[]> {

    @Override
    public char[] getAsObject(FacesContext context, UIComponent component, String value) {
        return value == null || value.isEmpty() ? null : value.toCharArray();
    }

    @Override
    public String getAsString(FacesContext context, UIComponent component, char[] value) {
        return "";
    }
}
