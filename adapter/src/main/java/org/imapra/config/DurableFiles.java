package org.imapra.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Files that survive a crash or power loss whole or not at all: written to an owner-only temp file beside the target,
 * forced to the disk, moved into place in one step, and the directory forced so that the move itself is durable.
 * The content array is zeroed once written (it may hold a key).
 */
final class DurableFiles {

    private static final Logger LOG = Logger.getLogger(DurableFiles.class.getName());

    private DurableFiles() {
    }

    /** Replaces {@code target} (or creates it) with {@code content}. */
    static void replace(Path target, byte[] content) throws IOException {
        Path tmp = temp(target, content);
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(target.getParent());
        } finally {
            removeQuietly(tmp);
        }
    }

    /**
     * Creates {@code target} with {@code content}, never replacing an existing one.
     *
     * @throws FileAlreadyExistsException when it exists (e.g. another process created it first)
     */
    static void create(Path target, byte[] content) throws IOException {
        Path tmp = temp(target, content);
        try {
            try {
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            syncDirectory(target.getParent());
        } finally {
            removeQuietly(tmp);
        }
    }

    /** Forces a directory's entries (a rename, a deletion) to the disk, where the platform allows it. */
    static void syncDirectory(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.FINE, "The directory " + directory + " cannot be forced to the disk on this platform", e);
        }
    }

    private static Path temp(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            removeQuietly(tmp);
            throw e;
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        return tmp;
    }

    private static void removeQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Cannot remove " + tmp, e);
        }
    }
}
