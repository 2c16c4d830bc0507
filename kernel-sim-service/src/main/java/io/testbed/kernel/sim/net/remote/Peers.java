package io.testbed.kernel.sim.net.remote;

import java.util.function.Function;

/**
 * Opens the far end of a connection the machine starts to {@code host:port}. The runtime supplies it
 * (an {@code UpstreamGate} over the service's upstream connector and the wall clock), so the network
 * stack knows neither; {@code tcp} builds the remote TCP with the peer as its host.
 */
@FunctionalInterface
public interface Peers {
    Peer open(String host, int port, Function<RemoteTcp.Host, RemoteTcp> tcp);
}
