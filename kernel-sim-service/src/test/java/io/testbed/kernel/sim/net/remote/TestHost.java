package io.testbed.kernel.sim.net.remote;

import java.io.ByteArrayOutputStream;

/** A remote TCP's host for unit tests: records what the TCP reports. */
final class TestHost implements RemoteTcp.Host {
    int connectRequests;
    final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
    boolean clientFinished;
    long acked;
    boolean aborted;

    @Override
    public void connectRequested() {
        connectRequests++;
    }

    @Override
    public void delivered(byte[] data) {
        delivered.writeBytes(data);
    }

    @Override
    public void clientFinished() {
        clientFinished = true;
    }

    @Override
    public void acked(int bytes) {
        acked += bytes;
    }

    @Override
    public void aborted() {
        aborted = true;
    }

    @Override
    public boolean corked() {
        return false;
    }
}
