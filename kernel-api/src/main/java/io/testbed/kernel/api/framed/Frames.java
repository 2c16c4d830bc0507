package io.testbed.kernel.api.framed;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The framed syscall stream's wire format. Every frame is a 4-byte big-endian length (of what follows: the kind and
 * the body, at least 1), a kind byte, and the body:
 * <pre>
 *   client -&gt; kernel-sim   'H' hello     "testbed-framed/1\n" + the authorization value ("Bearer &lt;token&gt;", or nothing)
 *                           'Q' request   a SyscallRequest, the first one an attach (as on the gRPC stream)
 *   kernel-sim -&gt; client   'R' reply     a SyscallReply
 *                           'E' end       "&lt;status&gt; &lt;description&gt;" (UTF-8; gRPC's status code names, OK for exit),
 *                                         the last frame: kernel-sim closes the connection after it
 * </pre>
 * The hello is always the first frame; the kernel checks the token in it whenever its gRPC port wants one, and ends
 * the connection ({@code UNAUTHENTICATED}) before any thread attaches when it is missing or wrong. A frame longer
 * than the receiver allows ends the connection ({@code RESOURCE_EXHAUSTED}). A connection that closes without an end
 * frame is a kernel that stopped or crashed.
 */
public final class Frames {
    /** What a hello starts with (a frame of the wrong protocol is told apart by its first bytes). */
    public static final String VERSION = "testbed-framed/1";
    public static final byte HELLO = 'H';
    public static final byte REQUEST = 'Q';
    public static final byte REPLY = 'R';
    public static final byte END = 'E';
    /** Length and kind. */
    public static final int HEADER = 5;
    /** The end frame's status on a normal end (the thread exited, or its client closed the stream). */
    public static final String OK = "OK";

    private Frames() {
    }

    /** One frame with a message as its body, ready to write. */
    public static ByteBuffer encode(byte kind, MessageLite message) {
        int size = message.getSerializedSize();
        byte[] frame = new byte[HEADER + size];
        header(frame, kind, size);
        CodedOutputStream out = CodedOutputStream.newInstance(frame, HEADER, size);
        try {
            message.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + message.getClass().getSimpleName(), e);
        }
        out.checkNoSpaceLeft();
        return ByteBuffer.wrap(frame);
    }

    /** One frame with {@code body} as its body. */
    public static ByteBuffer encode(byte kind, byte[] body) {
        byte[] frame = new byte[HEADER + body.length];
        header(frame, kind, body.length);
        System.arraycopy(body, 0, frame, HEADER, body.length);
        return ByteBuffer.wrap(frame);
    }

    private static void header(byte[] frame, byte kind, int bodySize) {
        ByteBuffer.wrap(frame).putInt(bodySize + 1).put(kind);
    }

    /** The client's first frame. @param authorization {@code Bearer <token>}, or null for none */
    public static ByteBuffer hello(String authorization) {
        return encode(HELLO, (VERSION + "\n" + (authorization == null ? "" : authorization)).getBytes(StandardCharsets.UTF_8));
    }

    /** The authorization value of a hello's body, or null when the body is not a hello of this version. */
    public static String authorization(byte[] body, int offset, int length) {
        String text = new String(body, offset, length, StandardCharsets.UTF_8);
        if (!text.startsWith(VERSION + "\n")) {
            return null;
        }
        return text.substring(VERSION.length() + 1);
    }

    /** The kernel's last frame: why the stream ended. */
    public static ByteBuffer end(String status, String description) {
        return encode(END, (status + (description == null || description.isEmpty() ? "" : " " + description))
                .getBytes(StandardCharsets.UTF_8));
    }
}
