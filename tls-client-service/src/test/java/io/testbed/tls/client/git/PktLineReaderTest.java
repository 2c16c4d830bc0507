package io.testbed.tls.client.git;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PktLineReaderTest {

    /** Records the length asked by every read(byte[], int, int); hands out at most {@code most} bytes per read. */
    static final class Recording extends FilterInputStream {
        final List<Integer> asked = new ArrayList<>();
        private final int most;

        Recording(byte[] data, int most) {
            super(new ByteArrayInputStream(data));
            this.most = most;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            asked.add(len);
            return super.read(b, off, Math.min(len, most));
        }
    }

    static byte[] packet(int payloadLength) {
        byte[] payload = new byte[payloadLength];
        Arrays.fill(payload, (byte) 'x');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(String.format("%04x", payloadLength + 4).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "payload of {0} bytes")
    @ValueSource(ints = {0, 1, 4000, 8191, 8192, 8193, 16384, 20000, PktLineReader.MAX_PKT - 4})
    @DisplayName("readInto makes the very reads read() (readNBytes) makes, empty ones included, and reads the same payload")
    void readIntoReadsAsReadNBytes(int length) throws IOException {
        for (int most : new int[] {1000, 4096, 65536}) {
            Recording byArray = new Recording(packet(length), most);
            byte[] expected = new PktLineReader(byArray).read();
            Recording intoBuffer = new Recording(packet(length), most);
            byte[] into = new byte[PktLineReader.MAX_PKT - 4];
            int n = new PktLineReader(intoBuffer).readInto(into);

            assertThat(n).isEqualTo(length);
            assertThat(Arrays.copyOf(into, n)).isEqualTo(expected);
            assertThat(intoBuffer.asked).as("reads of at most %d bytes", most).isEqualTo(byArray.asked);
        }
    }

    @Test
    @DisplayName("readInto: a flush, the end of the stream, and a stream cut inside a payload as read() tells them")
    void flushEndAndCut() throws IOException {
        byte[] into = new byte[PktLineReader.MAX_PKT - 4];
        PktLineReader flushThenEnd = new PktLineReader(new ByteArrayInputStream("0000".getBytes(StandardCharsets.US_ASCII)));
        assertThat(flushThenEnd.readInto(into)).isEqualTo(PktLineReader.FLUSH_LENGTH);
        assertThat(flushThenEnd.readInto(into)).isEqualTo(PktLineReader.END);

        byte[] cut = Arrays.copyOf(packet(100), 4 + 60);
        assertThatThrownBy(() -> new PktLineReader(new ByteArrayInputStream(cut)).readInto(into))
                .isInstanceOf(EOFException.class).hasMessage("stream ended inside a pkt-line (60 of 100 bytes)");
        assertThatThrownBy(() -> new PktLineReader(new ByteArrayInputStream(cut)).read())
                .isInstanceOf(EOFException.class).hasMessage("stream ended inside a pkt-line (60 of 100 bytes)");
    }

    @Test
    @DisplayName("the side-band stream: band 1 is the data, band 2 progress kept, the flush ends it, band 3 fails with the server's text")
    void sideBand() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PktLineReader.encode("\u0001abc"));
        out.writeBytes(PktLineReader.encode("\u0002counting\n"));
        out.writeBytes(PktLineReader.encode("\u0001"));
        out.writeBytes(PktLineReader.encode("\u0001defg"));
        out.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        SideBandInputStream s = new SideBandInputStream(new PktLineReader(new ByteArrayInputStream(out.toByteArray())));
        assertThat(new String(s.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcdefg");
        assertThat(s.read()).isEqualTo(-1);
        assertThat(s.progressLines()).containsExactly("counting");

        ByteArrayOutputStream failing = new ByteArrayOutputStream();
        failing.writeBytes(PktLineReader.encode("\u0001ab"));
        failing.writeBytes(PktLineReader.encode("\u0003access denied\n"));
        SideBandInputStream f = new SideBandInputStream(new PktLineReader(new ByteArrayInputStream(failing.toByteArray())));
        byte[] two = new byte[2];
        assertThat(f.read(two, 0, 2)).isEqualTo(2);
        assertThatThrownBy(() -> f.read(two, 0, 2)).isInstanceOf(GitServerException.class).hasMessageContaining("access denied");
    }
}
