package io.testbed.tls.client.scratch;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;

import java.io.ByteArrayOutputStream;

/** Reads files of a simulated machine back through its file syscalls, on a thread of its own. */
final class MachineFiles {
    private MachineFiles() {
    }

    /** The whole file, or null if openat fails. */
    static byte[] read(Kernel kernel, String machine, String path) {
        try (UserThread t = kernel.attach(machine, "reader")) {
            SyscallReply open = t.openat(Errno.AT_FDCWD, path, Errno.O_RDONLY, 0);
            if (open.getRet() < 0) {
                return null;
            }
            int fd = (int) open.getRet();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                SyscallReply r = t.read(fd, 65536);
                if (r.getRet() <= 0) {
                    break;
                }
                out.writeBytes(r.getData().toByteArray());
            }
            t.close(fd);
            return out.toByteArray();
        }
    }
}
