package io.testbed.kernel.sim.config;

/** The values of {@code remote.tcp}: which TCP the far end of a connection runs. */
public enum RemoteTcpKind implements Choice {
    /** QEMU's user network (libslirp, BSD-derived): the TCP Akuma's guest talked to. */
    SLIRP("slirp"),
    /** The machine's own smoltcp model as a sender. */
    SMOLTCP("smoltcp"),
    /** A window-limited sender with immediate ACKs and no congestion control. */
    SIMPLE("simple");

    private final String wireName;

    RemoteTcpKind(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
