package io.testbed.tls.client.scratch;

import io.testbed.tls.client.git.GitServerException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * scratch's side-band demultiplexer ({@code SidebandState}, userspace/scratch/src/protocol.rs
 * at 7b52ac2): what one TLS read delivered is appended to a buffer, every COMPLETE pkt-line is taken
 * out of it; band 1 is pack data (returned, for one write), band 2 is printed as {@code remote: ...},
 * band 3 fails, anything else (NAK, ACK) is skipped; a partial pkt-line waits for the next read.
 */
final class Sideband {
    private final ScratchSys sys;
    private final List<String> remote = new ArrayList<>();
    private byte[] buffer = new byte[0];

    Sideband(ScratchSys sys) {
        this.sys = sys;
    }

    /** The server's band-2 lines seen so far, trimmed. */
    List<String> remoteLines() {
        return remote;
    }

    /** The band-1 bytes of the complete pkt-lines now in the buffer. */
    byte[] process(byte[] data) throws GitServerException {
        byte[] b = Arrays.copyOf(buffer, buffer.length + data.length);
        System.arraycopy(data, 0, b, buffer.length, data.length);
        sys.cpu().packParsed(b.length);
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        int pos = 0;
        while (b.length - pos >= 4) {
            int len = hex4(b, pos);
            if (len < 0) {
                if (startsWithPack(b, pos)) {
                    pack.write(b, pos, b.length - pos);
                    pos = b.length;
                }
                break;
            }
            if (len == 0) {
                pos += 4;
                continue;
            }
            if (len < 4 || b.length - pos < len) {
                break;
            }
            sys.cpu().pktLines(1);
            if (len > 4) {
                int band = b[pos + 4];
                if (band == 1) {
                    pack.write(b, pos + 5, len - 5);
                } else if (band == 2) {
                    String msg = new String(b, pos + 5, len - 5, StandardCharsets.UTF_8).trim();
                    remote.add(msg);
                    sys.print("remote: ");
                    sys.print(msg);
                    sys.print("\n");
                } else if (band == 3) {
                    throw new GitServerException(new String(b, pos + 5, len - 5, StandardCharsets.UTF_8).trim());
                }
            }
            pos += len;
        }
        buffer = Arrays.copyOfRange(b, pos, b.length);
        return pack.toByteArray();
    }

    private static boolean startsWithPack(byte[] b, int pos) {
        return b.length - pos >= 4 && b[pos] == 'P' && b[pos + 1] == 'A' && b[pos + 2] == 'C' && b[pos + 3] == 'K';
    }

    /** The 4 hex digits at {@code pos} as scratch's {@code u16::from_str_radix}, or -1. */
    static int hex4(byte[] b, int pos) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(b[pos + i], 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
