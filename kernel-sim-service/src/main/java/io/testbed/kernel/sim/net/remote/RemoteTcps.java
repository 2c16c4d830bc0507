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
        return switch (cfg.kind()) {
            case SLIRP -> {
                SlirpTcp t = new SlirpTcp(conn, cfg, events, downlink, host);
                t.reportTo(netEvents);
                yield t;
            }
            case SMOLTCP -> {
                SmoltcpRemote t = new SmoltcpRemote(conn, settings, cfg, events, downlink, host);
                t.reportTo(netEvents);
                yield t;
            }
            case SIMPLE -> {
                SimpleTcp t = new SimpleTcp(conn, cfg, events, downlink, host);
                t.reportTo(netEvents);
                yield t;
            }
        };
    }
}
