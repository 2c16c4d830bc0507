package io.testbed.kernel.api.framed;

import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The framed stream's wire format: frames cut out of a byte stream however it arrives, and bounded. */
class FrameReaderTest {

    /** A channel that hands out {@code bytes} {@code chunk} bytes per read, then the end of the stream. */
    static ReadableByteChannel chunks(byte[] bytes, int chunk) {
        return new ReadableByteChannel() {
            int at;

            @Override
            public int read(ByteBuffer dst) {
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(chunk, dst.remaining()), bytes.length - at);
                dst.put(bytes, at, n);
                at += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    static byte[] concat(ByteBuffer... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer f : frames) {
            out.write(f.array(), f.arrayOffset() + f.position(), f.remaining());
        }
        return out.toByteArray();
    }

    @Test
    void framesSplitAnywhere_areCutOutWhole_largerOnesGrowingTheBuffer() throws Exception {
        SyscallReply big = SyscallReply.newBuilder().setSeq(2).setRet(200_000)
                .setData(ByteString.copyFrom(new byte[200_000])).build();
        byte[] stream = concat(Frames.hello("Bearer abc"), Frames.encode(Frames.REQUEST, SyscallRequest.newBuilder().setSeq(1).build()),
                Frames.encode(Frames.REPLY, big), Frames.end("ABORTED", "thread killed: watchdog"));
        for (int chunk : new int[]{1, 3, 4096, 1 << 20}) {
            FrameReader reader = new FrameReader(256 * 1024);
            ReadableByteChannel ch = chunks(stream, chunk);
            List<String> seen = new ArrayList<>();
            while (true) {
                FrameReader.Frame f;
                while ((f = reader.next()) != null) {
                    seen.add(switch (f.kind()) {
                        case Frames.HELLO -> "hello " + Frames.authorization(f.array(), f.offset(), f.length());
                        case Frames.REQUEST -> "request " + SyscallRequest.parser().parseFrom(f.array(), f.offset(), f.length()).getSeq();
                        case Frames.REPLY -> "reply " + SyscallReply.parser().parseFrom(f.array(), f.offset(), f.length()).equals(big);
                        default -> "end " + new String(f.array(), f.offset(), f.length(), StandardCharsets.UTF_8);
                    });
                }
                if (reader.readFrom(ch) < 0) {
                    break;
                }
            }
            assertThat(seen).as("read %d bytes at a time", chunk)
                    .containsExactly("hello Bearer abc", "request 1", "reply true", "end ABORTED thread killed: watchdog");
            assertThat(reader.midFrame()).isFalse();
        }
    }

    @Test
    void aFrameLongerThanAllowed_orWithoutAKind_isRefusedBeforeItsBody() throws Exception {
        FrameReader reader = new FrameReader(1024);
        reader.readFrom(chunks(ByteBuffer.allocate(5).putInt(1026).put(Frames.REQUEST).array(), 5));
        assertThatThrownBy(reader::next).isInstanceOf(FrameReader.FrameTooLarge.class)
                .hasMessage("a frame of 1025 bytes, more than the 1024 allowed");

        FrameReader negative = new FrameReader(1024);
        negative.readFrom(chunks(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 4));
        assertThatThrownBy(negative::next).hasMessage("a frame of 4294967294 bytes, more than the 1024 allowed");

        FrameReader empty = new FrameReader(1024);
        empty.readFrom(chunks(new byte[4], 4));
        assertThatThrownBy(empty::next).hasMessage("a frame without a kind (length 0)");
    }

    @Test
    void aStreamCutInsideAFrame_isSeenAsSuch() throws Exception {
        byte[] frame = concat(Frames.encode(Frames.REPLY, SyscallReply.newBuilder().setSeq(9).build()));
        FrameReader reader = new FrameReader(1024);
        ReadableByteChannel ch = chunks(java.util.Arrays.copyOf(frame, frame.length - 1), 64);
        assertThat(reader.readFrom(ch)).isPositive();
        assertThat(reader.next()).isNull();
        assertThat(reader.readFrom(ch)).isNegative();
        assertThat(reader.midFrame()).isTrue();
    }

    @Test
    void aHelloOfAnotherVersion_hasNoAuthorization() {
        byte[] body = "testbed-framed/2\nBearer x".getBytes(StandardCharsets.UTF_8);
        assertThat(Frames.authorization(body, 0, body.length)).isNull();
        ByteBuffer hello = Frames.hello(null);
        assertThat(Frames.authorization(hello.array(), Frames.HEADER, hello.remaining() - Frames.HEADER)).isEmpty();
    }
}
