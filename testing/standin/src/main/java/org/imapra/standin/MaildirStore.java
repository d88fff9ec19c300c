package org.imapra.standin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The Maildir++ tree Dovecot serves ({@code mail_location = maildir:ROOT/%Ld/%Ln}): mailboxes, folders, and delivery
 * the way an MDA does it (write into {@code tmp/}, rename into {@code new/}), so tests need no login to put mail in.
 * When the JVM runs as root everything is handed to the mail user Dovecot's mail processes run as.
 */
final class MaildirStore {
    private final Path root;
    private final UserPrincipal owner;
    private final GroupPrincipal group;
    /** Microseconds since the epoch, strictly increasing: Dovecot gives new mail UIDs in file name order. */
    private final AtomicLong clock = new AtomicLong();

    MaildirStore(Path root, String ownerName, String groupName) {
        this.root = root;
        try {
            UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
            owner = ownerName == null ? null : users.lookupPrincipalByName(ownerName);
            group = groupName == null ? null : users.lookupPrincipalByGroupName(groupName);
            Files.createDirectories(root);
            own(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the mail root " + root, e);
        }
    }

    Path root() {
        return root;
    }

    /** {@code ROOT/domain/local}: the mailbox's Maildir (its INBOX), as Dovecot's {@code %Ld/%Ln} names it. */
    Path maildir(String address) {
        String a = address.trim().toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1 || a.contains("/") || a.contains("..")) {
            throw new IllegalArgumentException("Not a mailbox address: " + address);
        }
        return root.resolve(a.substring(at + 1)).resolve(a.substring(0, at));
    }

    /**
     * Subjects of the INBOX messages Dovecot has flagged {@code \Seen} ({@code cur/NAME:2,...S...}); a message
     * renamed while it is read is left out (ask again).
     */
    List<String> seenSubjects(String address) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(maildir(address).resolve("cur"))) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                int info = name.indexOf(":2,");
                if (info >= 0 && name.indexOf('S', info) > 0) {
                    subject(f).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the INBOX of " + address, e);
        }
        return out;
    }

    private static Optional<String> subject(Path message) {
        try (BufferedReader r = Files.newBufferedReader(message, StandardCharsets.ISO_8859_1)) {
            for (String line = r.readLine(); line != null && !line.isEmpty(); line = r.readLine()) {
                if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
                    return Optional.of(line.substring(8).strip());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // renamed meanwhile (its flags changed)
        }
    }

    /** Creates the mailbox's INBOX if missing. */
    void createMailbox(String address) {
        Path maildir = maildir(address);
        createDirs(maildir.getParent());
        createMaildir(maildir);
    }

    /** Creates a folder ({@code Processed}, {@code Archive/2024}) in an existing mailbox. */
    void createFolder(String address, String folder) {
        if (folder.isBlank() || folder.equalsIgnoreCase("INBOX") || folder.contains("..")) {
            throw new IllegalArgumentException("Not a folder name: " + folder);
        }
        Path dir = maildir(address).resolve("." + folder.replace('/', '.'));
        createMaildir(dir);
        write(dir.resolve("maildirfolder"), new byte[0]);
    }

    /** Delivers raw RFC 822 bytes into the INBOX of an existing mailbox. */
    void deliver(String address, byte[] rfc822) {
        publish(address, stage(address, rfc822));
    }

    /** Writes a message into the mailbox's {@code tmp/} (the first half of a delivery); returns its file. */
    Path stage(String address, byte[] rfc822) {
        Path maildir = maildir(address);
        if (!Files.isDirectory(maildir.resolve("new"))) {
            throw new IllegalArgumentException("No mailbox " + address);
        }
        long micros = clock.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000));
        // S= and W= (size with CRLF line ends, RFC822.SIZE), as Dovecot's own delivery names the file: the server
        // then knows a message's size without reading it
        String name = (micros / 1_000_000) + ".M" + (micros % 1_000_000) + "P" + ProcessHandle.current().pid()
                + ".imapra-standin,S=" + rfc822.length + ",W=" + crlfSize(rfc822);
        Path tmp = maildir.resolve("tmp").resolve(name);
        write(tmp, rfc822);
        return tmp;
    }

    /** The size with every bare LF counted as CRLF. */
    private static long crlfSize(byte[] b) {
        long size = b.length;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                size++;
            }
        }
        return size;
    }

    /** Moves a {@link #stage staged} message into {@code new/}: from now on the server sees it. */
    void publish(String address, Path staged) {
        try {
            Files.move(staged, staged.getParent().resolveSibling("new").resolve(staged.getFileName()),
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot deliver to " + address, e);
        }
    }

    /** Deletes every mailbox (Dovecot's index files live in the Maildirs and go too). */
    void deleteAll() {
        try (Stream<Path> domains = Files.list(root)) {
            for (Path domain : domains.toList()) {
                try (Stream<Path> walk = Files.walk(domain)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty " + root, e);
        }
    }

    private void createMaildir(Path dir) {
        createDirs(dir);
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            createDirs(dir.resolve(sub));
        }
    }

    private void createDirs(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                own(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    private void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
            own(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private void own(Path p) throws IOException {
        if (owner != null) {
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
            view.setOwner(owner);
            view.setGroup(group);
        }
    }
}
