package io.testbed.kernel.sim.fs;

import io.testbed.kernel.api.Errno;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Path checks of the file ABI: at most {@value #MAX_PATH} bytes, components of 1-{@value #MAX_NAME}
 * characters from [A-Za-z0-9._-], absolute or relative to a directory (the thread's cwd is "/"). Like
 * Akuma's {@code path_components} (src/vfs/mod.rs:332-337 @7b52ac2), empty components are dropped;
 * "." and ".." are ordinary names resolved through the directories' own entries, as ext2 stores them.
 */
public final class Paths {
    public static final int MAX_PATH = 4096;
    public static final int MAX_NAME = 255;

    private Paths() {
    }

    /**
     * The components of {@code path}, relative ones after {@code base}.
     *
     * @throws FsException ENOENT (empty), ENAMETOOLONG, EINVAL (a character outside the set)
     */
    public static List<String> resolve(List<String> base, String path) {
        if (path.isEmpty()) {
            throw new FsException(Errno.ENOENT, "empty path");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new FsException(Errno.ENAMETOOLONG, "path longer than " + MAX_PATH + " bytes");
        }
        List<String> out = new ArrayList<>(path.startsWith("/") ? List.of() : base);
        for (String c : path.split("/", -1)) {
            if (c.isEmpty()) {
                continue;
            }
            if (c.length() > MAX_NAME) {
                throw new FsException(Errno.ENAMETOOLONG, "name longer than " + MAX_NAME + " bytes");
            }
            for (int i = 0; i < c.length(); i++) {
                char ch = c.charAt(i);
                boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                        || ch == '.' || ch == '_' || ch == '-';
                if (!ok) {
                    throw new FsException(Errno.EINVAL, "a path may hold only [A-Za-z0-9._-] and '/'");
                }
            }
            out.add(c);
        }
        int bytes = 0;
        for (String c : out) {
            bytes += c.length() + 1;
        }
        if (bytes > MAX_PATH) {
            throw new FsException(Errno.ENAMETOOLONG, "path longer than " + MAX_PATH + " bytes");
        }
        return out;
    }
}
