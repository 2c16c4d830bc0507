package io.testbed.kernel.sim.api.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where kernel-sim's Unix domain socket lives, and who may open it: a socket file is reachable by whoever may
 * search its directory and write the file, so the directory must be this user's alone (mode 700: no group or
 * other bits) and the file is made owner-only once bound. A leftover socket from a run that did not stop is
 * removed; one another kernel still listens on, or any other file at the path, is refused rather than replaced.
 * The gRPC socket and the framed one ({@code api/framed}) follow the same rules.
 */
public final class UnixSocketPath {
    /** {@code S_IFMT} and {@code S_IFSOCK} of {@code stat(2)}'s mode. */
    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET = 0140000;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path path;

    private UnixSocketPath(Path path) {
        this.path = path;
    }

    /**
     * Checks {@code configured} and makes it ready to bind: the directory created (mode 700) or checked, a stale
     * socket removed.
     *
     * @throws IllegalStateException a relative path, a directory others may open, or a path taken by another file
     */
    static UnixSocketPath prepare(String configured) {
        return prepare("testbed.kernel.grpc.uds-path", configured);
    }

    /**
     * {@link #prepare(String)} for the socket of {@code setting}, named in every message.
     *
     * @throws IllegalStateException a relative path, a directory others may open, or a path taken by another file
     */
    public static UnixSocketPath prepare(String setting, String configured) {
        Path path = Path.of(configured);
        if (!path.isAbsolute() || path.getParent() == null) {
            throw new IllegalStateException(setting + " '" + configured + "' is not an absolute path of a file");
        }
        Path dir = path.getParent();
        try {
            if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException("the directory of " + setting + ", " + dir + ", is not a directory");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            // by uid, not name: a container's user may have no name
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (perms.stream().anyMatch(OTHERS::contains) || owner != me) {
                throw new IllegalStateException("the directory of " + setting + ", " + dir + " (owner uid " + owner
                        + ", " + PosixFilePermissions.toString(perms) + "), must be this user's (uid " + me + ") alone (chmod 700),"
                        + " or anyone who can open it could drive this kernel's machines: use a private directory,"
                        + " e.g. $XDG_RUNTIME_DIR/testbed");
            }
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & TYPE_MASK) != SOCKET) {
                    throw new IllegalStateException(setting + " " + path + " exists and is not a socket; not replacing it");
                }
                if (listening(path)) {
                    throw new IllegalStateException(setting + " " + path + " is in use: another kernel-sim listens there");
                }
                // a socket left by a kernel that did not stop
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + setting + " " + path + ": " + e, e);
        }
        return new UnixSocketPath(path);
    }

    /** Whether something accepts connections on the socket at {@code path}. */
    private static boolean listening(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    /** After the bind: the socket file owner-only (the directory already keeps others out). */
    public void restrict() {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + path + ": " + e, e);
        }
    }

    /** After the server stopped: the socket file gone. */
    public void remove() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the next start removes a stale socket anyway
        }
    }
}
