package io.testbed.kernel.sim.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/** Service configuration of the kernel-sim ({@code testbed.kernel.*}). */
@ConfigurationProperties(prefix = "testbed.kernel")
public class KernelSimProperties {
    /**
     * Simulated {@code host:port} = real {@code host:port}, optionally {@code ;marks=host:port} (the
     * upstream's mark feed); nothing else is reachable.
     */
    private List<String> upstreams = new ArrayList<>(List.of("git.testbed:443=127.0.0.1:8443;marks=127.0.0.1:8444"));
    /** Most machines at once (the default live machine included). */
    private int maxMachines = 64;
    /** Real connect timeout to an upstream, ms. */
    private int upstreamConnectTimeoutMs = 5000;
    /** Whether to create the default live machine at start. */
    private boolean defaultMachine = true;
    /** Profile of the default live machine. */
    private String defaultMachineProfile = Profiles.DEFAULT;
    /** Setting overrides of the default live machine (e.g. {@code sessions.count: 4}). */
    private java.util.Map<String, String> defaultMachineOverrides = new java.util.LinkedHashMap<>();
    private final Grpc grpc = new Grpc();
    private final Framed framed = new Framed();

    public static class Grpc {
        /** gRPC port; 0 picks a free one. */
        private int port = 50051;
        /** Bind address (127.0.0.1 locally and in tests; 0.0.0.0 in compose). */
        private String address = "127.0.0.1";
        /** Largest inbound message. */
        private int maxInboundMessageBytes = 256 * 1024;
        /** Most concurrent streams (user threads) per client connection. */
        private int maxConcurrentCallsPerConnection = 256;
        /**
         * An extra listener on a Unix domain socket at this absolute path (empty: none), for clients on the same
         * host: the same services and token rules as the TCP port, without the TCP stack. Its directory must be
         * this user's only (mode 700; created so if missing); the socket file is made owner-only.
         */
        private String udsPath = "";

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public int getMaxInboundMessageBytes() {
            return maxInboundMessageBytes;
        }

        public void setMaxInboundMessageBytes(int maxInboundMessageBytes) {
            this.maxInboundMessageBytes = maxInboundMessageBytes;
        }

        public int getMaxConcurrentCallsPerConnection() {
            return maxConcurrentCallsPerConnection;
        }

        public void setMaxConcurrentCallsPerConnection(int maxConcurrentCallsPerConnection) {
            this.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection;
        }

        public String getUdsPath() {
            return udsPath;
        }

        public void setUdsPath(String udsPath) {
            this.udsPath = udsPath == null ? "" : udsPath.strip();
        }
    }

    /**
     * The framed syscall stream (issue 19): length-prefixed {@code SyscallRequest}/{@code SyscallReply} on a Unix
     * domain socket, one connection per user thread, for a client on this host (tls-client's
     * {@code testbed.kernels.<name>=framed:///path}); the same syscall service and token rule as the gRPC port.
     */
    public static class Framed {
        /** The socket's absolute path (empty: no framed listener); the same directory and file rules as the gRPC socket. */
        private String udsPath = "";
        /** Largest frame a client may send (its body); a larger one ends the connection (RESOURCE_EXHAUSTED). */
        private int maxFrameBytes = 256 * 1024;

        public String getUdsPath() {
            return udsPath;
        }

        public void setUdsPath(String udsPath) {
            this.udsPath = udsPath == null ? "" : udsPath.strip();
        }

        public int getMaxFrameBytes() {
            return maxFrameBytes;
        }

        public void setMaxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < 1024) {
                throw new IllegalArgumentException("testbed.kernel.framed.max-frame-bytes must be at least 1024");
            }
            this.maxFrameBytes = maxFrameBytes;
        }
    }

    public List<String> getUpstreams() {
        return upstreams;
    }

    public void setUpstreams(List<String> upstreams) {
        this.upstreams = upstreams;
    }

    public int getMaxMachines() {
        return maxMachines;
    }

    public void setMaxMachines(int maxMachines) {
        this.maxMachines = maxMachines;
    }

    public int getUpstreamConnectTimeoutMs() {
        return upstreamConnectTimeoutMs;
    }

    public void setUpstreamConnectTimeoutMs(int upstreamConnectTimeoutMs) {
        this.upstreamConnectTimeoutMs = upstreamConnectTimeoutMs;
    }

    public boolean isDefaultMachine() {
        return defaultMachine;
    }

    public void setDefaultMachine(boolean defaultMachine) {
        this.defaultMachine = defaultMachine;
    }

    public String getDefaultMachineProfile() {
        return defaultMachineProfile;
    }

    public void setDefaultMachineProfile(String defaultMachineProfile) {
        this.defaultMachineProfile = defaultMachineProfile;
    }

    public java.util.Map<String, String> getDefaultMachineOverrides() {
        return defaultMachineOverrides;
    }

    public void setDefaultMachineOverrides(java.util.Map<String, String> defaultMachineOverrides) {
        this.defaultMachineOverrides = defaultMachineOverrides;
    }

    public Grpc getGrpc() {
        return grpc;
    }

    public Framed getFramed() {
        return framed;
    }
}
