package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.net.NetEvents;
import io.testbed.kernel.sim.net.link.Link;

/** Builds the remote TCP that {@code remote.tcp} names. */
public final class RemoteTcps {
    private RemoteTcps() {
    }

    public static RemoteTcp create(long conn, MachineSettings settings, EventQueue events, Link downlink,
                                   RemoteTcp.Host host, NetEvents netEvents) {
        RemoteTcpSettings cfg = RemoteTcpSettings.of(settings);
        switch (cfg.kind()) {
            case "slirp" -> {
                SlirpTcp t = new SlirpTcp(conn, cfg, events, downlink, host);
                t.reportTo(netEvents);
                return t;
            }
            case "smoltcp" -> {
                SmoltcpRemote t = new SmoltcpRemote(conn, settings, cfg, events, downlink, host);
                t.reportTo(netEvents);
                return t;
            }
            case "simple" -> {
                SimpleTcp t = new SimpleTcp(conn, cfg, events, downlink, host);
                t.reportTo(netEvents);
                return t;
            }
            default -> throw new IllegalArgumentException("unknown remote.tcp '" + cfg.kind() + "'");
        }
    }
}
