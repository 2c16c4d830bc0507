package io.testbed.gateway.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a DNS name into the {@code host:port} targets behind it. On Kubernetes the name is a headless
 * Service's ({@code kernel-sim-headless.<namespace>.svc.cluster.local}), whose A records are the ready pods'
 * addresses; {@link #dns()} asks the JVM's resolver. Tests give a resolver of their own, whose answer they
 * change to make kernels appear and disappear.
 */
@FunctionalInterface
public interface AddressResolver {

    /**
     * @param name a DNS name
     * @param port the port every address serves on
     * @return the targets, {@code address:port}, sorted; empty when the name has no address
     * @throws UnknownHostException when the name cannot be resolved at all
     */
    List<String> resolve(String name, int port) throws UnknownHostException;

    /** The JVM's resolver: every A/AAAA record of the name (IPv6 addresses in brackets). */
    static AddressResolver dns() {
        return (name, port) -> Arrays.stream(InetAddress.getAllByName(name))
                .map(a -> (a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port)
                .distinct().sorted().toList();
    }
}
