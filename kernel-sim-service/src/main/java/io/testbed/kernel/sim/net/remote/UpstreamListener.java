package io.testbed.kernel.sim.net.remote;

/** What a real upstream connection reports; called on the machine's engine thread. */
public interface UpstreamListener {
    void connected();

    void refused(String reason);

    void data(byte[] bytes);

    void eof();

    void reset(String reason);

    void writeDone();
}
