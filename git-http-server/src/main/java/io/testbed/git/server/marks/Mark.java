package io.testbed.git.server.marks;

/**
 * What the server tells a subscriber about one connection: after reading {@code read} and writing
 * {@code written} bytes on the socket it now waits for input with nothing left to write
 * ({@link Kind#WAIT}), or it closed the connection ({@link Kind#CLOSED}). Nothing more will be written
 * on a waiting connection until more input arrives (or Tomcat's idle timeout closes it).
 *
 * <p>On the wire one line of ASCII: {@code M <port> <conn> <seq> <read> <written> <W|C>}.
 */
public record Mark(int port, long conn, long seq, long read, long written, Kind kind) {

    public enum Kind {
        WAIT('W'), CLOSED('C');

        final char code;

        Kind(char code) {
            this.code = code;
        }
    }

    public String line() {
        return "M " + port + " " + conn + " " + seq + " " + read + " " + written + " " + kind.code + "\n";
    }
}
