package io.testbed.tls.client.config;

import io.testbed.tls.client.engine.TlsSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code testbed.*} settings this service reads (see docs/ARCHITECTURE.md for the shared ones).
 *
 * @param kernels    kernel name -> kernel-sim gRPC {@code host:port}
 * @param pki        {@code ca-file}: the testbed CA trusted when {@code verify=ca}
 * @param git        the server name and port as the simulated machine knows them
 * @param hostKernel the "host" kernel (real loopback sockets): on or off, and its name map
 * @param tlsClient  this service's own limits and defaults
 */
@ConfigurationProperties(prefix = "testbed")
public record TestbedProperties(Map<String, String> kernels, Pki pki, Git git, HostKernel hostKernel, TlsClient tlsClient) {

    public TestbedProperties {
        kernels = kernels == null ? Map.of("default", "127.0.0.1:50051") : Map.copyOf(kernels);
        pki = pki == null ? new Pki(null) : pki;
        git = git == null ? new Git(null, null) : git;
        hostKernel = hostKernel == null ? new HostKernel(null, null) : hostKernel;
        tlsClient = tlsClient == null ? new TlsClient(null, null, null, null, null, null, null, null, null, null) : tlsClient;
    }

    public record Pki(String caFile) {
        public Pki {
            caFile = caFile == null ? "data/pki/ca.crt" : caFile;
        }
    }

    public record Git(String host, Integer port) {
        public Git {
            host = host == null ? "git.testbed" : host;
            port = port == null ? 443 : port;
        }
    }

    /**
     * @param enabled   whether kernel name {@code host} is offered
     * @param upstreams {@code simulated-host:port=real-host:port}, as kernel-sim's allow-list
     */
    public record HostKernel(Boolean enabled, List<String> upstreams) {
        public HostKernel {
            enabled = enabled == null || enabled;
            upstreams = upstreams == null ? List.of("git.testbed:443=127.0.0.1:8443") : List.copyOf(upstreams);
        }
    }

    /**
     * @param concurrency       downloads running at once (each holds one Java thread)
     * @param queue             downloads waiting beyond those
     * @param keepResults       finished downloads kept in memory
     * @param readSize          default recvfrom length (Akuma: 4096)
     * @param agent             User-Agent and git agent
     * @param kernelReplyTimeout longest real wait for one syscall reply over gRPC
     * @param maxInboundMessage largest gRPC reply accepted, bytes
     * @param tlsVersions       default versions offered (Akuma: TLSv1.3)
     * @param cipherSuites      default suites offered (Akuma: TLS_AES_128_GCM_SHA256)
     * @param tempDir           where packs are parsed (empty: the system temp directory)
     */
    public record TlsClient(Integer concurrency, Integer queue, Integer keepResults, Integer readSize, String agent,
                            Duration kernelReplyTimeout, Integer maxInboundMessage, List<String> tlsVersions,
                            List<String> cipherSuites, String tempDir) {
        public TlsClient {
            concurrency = concurrency == null ? 32 : concurrency;
            queue = queue == null ? 1000 : queue;
            keepResults = keepResults == null ? 1000 : keepResults;
            readSize = readSize == null ? 4096 : readSize;
            agent = agent == null ? "testbed-tls-client/0.1" : agent;
            kernelReplyTimeout = kernelReplyTimeout == null ? Duration.ofSeconds(120) : kernelReplyTimeout;
            maxInboundMessage = maxInboundMessage == null ? 2 * 1024 * 1024 : maxInboundMessage;
            tlsVersions = tlsVersions == null || tlsVersions.isEmpty() ? TlsSettings.AKUMA_VERSIONS : List.copyOf(tlsVersions);
            cipherSuites = cipherSuites == null || cipherSuites.isEmpty() ? TlsSettings.AKUMA_CIPHER_SUITES : List.copyOf(cipherSuites);
            tempDir = tempDir == null ? "" : tempDir;
        }
    }
}
