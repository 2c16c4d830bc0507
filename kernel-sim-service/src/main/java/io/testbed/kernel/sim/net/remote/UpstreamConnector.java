package io.testbed.kernel.sim.net.remote;

/**
 * Opens real connections for simulated ones, and only to allow-listed endpoints: the kernel-sim must
 * never be an open relay.
 */
public interface UpstreamConnector {

    /**
     * @param host the host as the simulated machine named it (a name or dotted IPv4)
     * @return an unconnected upstream, or null when {@code host:port} is not allow-listed
     */
    Upstream open(String host, int port, UpstreamListener listener);
}
