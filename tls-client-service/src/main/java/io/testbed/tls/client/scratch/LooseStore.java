package io.testbed.tls.client.scratch;

import io.testbed.tls.client.git.PackRejectedException;
import io.testbed.tls.client.transport.SyscallException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * scratch's loose object store ({@code ObjectStore}, userspace/scratch/src/store.rs @7b52ac2).
 * {@link #writeRaw} is {@code write_raw} (124-154): SHA-1; {@code exists} = open O_RDONLY + close; deflate
 * level 6; mkdir of the fan-out directory; open O_WRONLY|O_CREAT|O_TRUNC; one write; close.
 * {@link #read} is {@code read} (80-93): open, 4096-byte reads until one returns 0, close, inflate,
 * SHA-1 check.
 */
final class LooseStore {
    static final int READ_BUF = 4096;

    private final ScratchSys sys;
    private final String gitDir;
    private long written;

    LooseStore(ScratchSys sys, String gitDir) {
        this.sys = sys;
        this.gitDir = gitDir;
    }

    /** Objects written (not counting those that existed). */
    long written() {
        return written;
    }

    String objectPath(String hex) {
        return gitDir + "/objects/" + hex.substring(0, 2) + "/" + hex.substring(2);
    }

    /** write_content: header {@code "<type> <len>\0"} + content, then write_raw. The object id. */
    String writeContent(String type, byte[] content) throws IOException {
        byte[] header = (type + " " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[header.length + content.length];
        System.arraycopy(header, 0, raw, 0, header.length);
        System.arraycopy(content, 0, raw, header.length, content.length);
        sys.cpu().packParsed(raw.length);
        return writeRaw(raw);
    }

    String writeRaw(byte[] raw) throws IOException {
        String hex = sha1Hex(raw);
        String path = objectPath(hex);
        int probe = sys.open(path, 0);
        if (probe >= 0) {
            sys.close(probe);
            return hex;
        }
        byte[] compressed = deflate(raw);
        sys.mkdir(gitDir + "/objects/" + hex.substring(0, 2));
        int fd = sys.open(path, ScratchSys.WRITE_FLAGS);
        if (fd < 0) {
            throw new SyscallException("openat", -fd, "failed to create object file " + path);
        }
        long n = sys.write(fd, compressed, 0, compressed.length);
        sys.close(fd);
        if (n < 0) {
            throw new SyscallException("write", (int) -n, "failed to write object file " + path);
        }
        written++;
        return hex;
    }

    /** The object's uncompressed bytes ({@code "<type> <len>\0"} + content), its id checked. */
    byte[] read(String hex) throws IOException {
        String path = objectPath(hex);
        int fd = sys.open(path, 0);
        if (fd < 0) {
            throw new PackRejectedException("object not found: " + hex, null);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            byte[] b = sys.read(fd, READ_BUF);
            if (b.length == 0) {
                break;
            }
            data.write(b, 0, b.length);
        }
        sys.close(fd);
        byte[] raw = inflate(data.toByteArray());
        if (!sha1Hex(raw).equals(hex)) {
            throw new PackRejectedException("hash mismatch reading " + path, null);
        }
        return raw;
    }

    String sha1Hex(byte[] data) {
        sys.cpu().sha1(data.length);
        return HexFormat.of().formatHex(sha1(data));
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] deflate(byte[] raw) {
        sys.cpu().deflated(raw.length);
        Deflater d = new Deflater(6);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private byte[] inflate(byte[] compressed) throws PackRejectedException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 2 + 64);
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new PackRejectedException("decompress error: truncated loose object", null);
                }
                out.write(buf, 0, n);
            }
            sys.cpu().inflated(out.size());
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new PackRejectedException("decompress error: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }
}
