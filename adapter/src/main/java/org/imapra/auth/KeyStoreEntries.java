package org.imapra.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The private key entries of a PKCS#12 file: the one named by its alias, or the first. */
public final class KeyStoreEntries {

    private KeyStoreEntries() {
    }

    /**
     * @param alias the entry's alias, or null for the first key entry
     * @throws GeneralSecurityException naming what is wrong: the password, a missing alias (with the aliases there
     *                                  are), an entry without a private key
     */
    static CertificateLoader.Material entry(byte[] bytes, char[] password, String alias)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] pw = password == null ? new char[0] : password;
        try {
            store.load(new ByteArrayInputStream(bytes), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new GeneralSecurityException("the password (certificatePassword) is wrong", e);
            }
            throw e;
        }
        List<String> aliases = Collections.list(store.aliases());
        String chosen = alias;
        if (chosen == null) {
            chosen = aliases.stream().filter(a -> isKey(store, a)).findFirst()
                    .orElseThrow(() -> new GeneralSecurityException("it holds no private key entry"));
        } else if (!store.containsAlias(chosen)) {
            throw new GeneralSecurityException("the alias '" + alias + "' is not in it "
                    + "(its aliases: " + String.join(", ", aliases) + ")");
        } else if (!store.isKeyEntry(chosen)) {
            throw new GeneralSecurityException("the entry '" + alias + "' holds no private key (a trusted "
                    + "certificate only)");
        }
        PrivateKey key;
        try {
            key = (PrivateKey) store.getKey(chosen, pw);
        } catch (UnrecoverableKeyException e) {
            throw new GeneralSecurityException("the password (certificatePassword) does not open the key '" + chosen
                    + "'", e);
        }
        List<X509Certificate> chain = new ArrayList<>();
        Certificate[] certificates = store.getCertificateChain(chosen);
        for (Certificate c : certificates == null ? new Certificate[0] : certificates) {
            chain.add((X509Certificate) c);
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("the entry '" + chosen + "' has no certificate");
        }
        return new CertificateLoader.Material(key, chain);
    }

    /**
     * Why the key store in {@code bytes} cannot give the key entries {@code aliases} (a wrong password, an alias it
     * does not hold, an entry without a key), or empty when it can.
     */
    public static java.util.Optional<String> problem(byte[] bytes, char[] password, String... aliases) {
        try {
            for (String alias : aliases) {
                if (alias != null) {
                    entry(bytes, password, alias);
                }
            }
            return java.util.Optional.empty();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
