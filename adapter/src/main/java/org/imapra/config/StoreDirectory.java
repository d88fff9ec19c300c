package org.imapra.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Opening a store directory: created owner-only if missing, its master key found (or, if safe, created). */
final class StoreDirectory {

    private StoreDirectory() {
    }

    /**
     * @throws IOException when the directory cannot be created or read, the key file is damaged, or there is no key
     *                     but the directory holds encrypted secrets (a new key would not decrypt them)
     */
    static SecretCipher prepare(Path directory, String environmentKey, String keyFile) throws IOException {
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createDirectories(directory);
            }
        }
        return SecretCipher.load(environmentKey, directory.resolve(keyFile), () -> encryptedFiles(directory));
    }

    /** The files in {@code directory} that hold encrypted values (whatever key they were written with). */
    private static List<String> encryptedFiles(Path directory) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{json,tokens}")) {
            for (Path f : files) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                if (text.contains("\"v1:") || text.contains("\"v2:")) {
                    out.add(f.getFileName().toString());
                }
            }
        }
        Collections.sort(out);
        return out;
    }
}
