package io.testbed.git.server.marks;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * A connected socket channel that counts what passes through it: Tomcat's channel reads and writes
 * through this object, so {@link ConnectionCounts} holds exactly the bytes that went to and came from the
 * kernel socket (ciphertext with TLS). It cannot be registered with a selector (only the JDK's own
 * channels can), so the channels in {@link MarkingNioEndpoint} hand the real one out for that
 * ({@code getIOChannel()}).
 */
final class CountingSocketChannel extends SocketChannel {
    private final SocketChannel real;
    private final ConnectionCounts counts;

    CountingSocketChannel(SocketChannel real, ConnectionCounts counts) throws IOException {
        super(real.provider());
        this.real = real;
        this.counts = counts;
        configureBlocking(real.isBlocking());
    }

    SocketChannel real() {
        return real;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = real.read(dst);
        counts.addRead(n);
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long n = real.read(dsts, offset, length);
        counts.addRead(n);
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = real.write(src);
        counts.addWritten(n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = real.write(srcs, offset, length);
        counts.addWritten(n);
        return n;
    }

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        real.bind(local);
        return this;
    }

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        real.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return real.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return real.supportedOptions();
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        real.shutdownInput();
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        real.shutdownOutput();
        return this;
    }

    @Override
    public Socket socket() {
        return real.socket();
    }

    @Override
    public boolean isConnected() {
        return real.isConnected();
    }

    @Override
    public boolean isConnectionPending() {
        return real.isConnectionPending();
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        return real.connect(remote);
    }

    @Override
    public boolean finishConnect() throws IOException {
        return real.finishConnect();
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        return real.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return real.getLocalAddress();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        real.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        real.configureBlocking(block);
    }
}
