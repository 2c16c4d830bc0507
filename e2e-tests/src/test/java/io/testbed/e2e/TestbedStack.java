package io.testbed.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four services as real processes (their runnable jars), on free loopback ports, with data in a
 * folder under {@code target/}. The same wiring {@code make run} uses, with every port overridden.
 */
public final class TestbedStack implements AutoCloseable {
    private final Path root;
    private final String version;
    private final Path dataDir;
    private final Path logDir;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final int gitPort = freePort();
    public final int gitManagementPort = freePort();
    public final int kernelHttpPort = freePort();
    public final int kernelGrpcPort = freePort();
    public final int tlsClientPort = freePort();
    public final int gatewayPort = freePort();

    public TestbedStack(String name) throws IOException {
        this.root = Path.of(System.getProperty("testbed.root", "..")).toAbsolutePath().normalize();
        this.version = System.getProperty("testbed.version", "0.1.0-SNAPSHOT");
        Path target = root.resolve("e2e-tests/target");
        // the PKI and the generated repositories are kept between runs: generation is deterministic
        this.dataDir = target.resolve("e2e-data");
        this.logDir = target.resolve("e2e-logs/" + name);
        Files.createDirectories(dataDir);
        Files.createDirectories(logDir);
        Files.deleteIfExists(logDir.resolve("gateway-db.mv.db"));
    }

    /** The gateway's H2 database (without the {@code .mv.db} suffix), under the stack's log folder. */
    public Path gatewayDb() {
        return logDir.resolve("gateway-db");
    }

    public Path caFile() {
        return dataDir.resolve("pki/ca.crt");
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** Starts every service and waits until each reports UP. */
    public TestbedStack start() throws Exception {
        String upstream = "git.testbed:443=127.0.0.1:" + gitPort;
        String pki = dataDir.resolve("pki").toString();
        launch("git-http-server", List.of(
                "--server.port=" + gitPort,
                "--management.server.port=" + gitManagementPort,
                "--testbed.pki.dir=" + pki,
                "--testbed.git.repos-dir=" + dataDir.resolve("repos"),
                "--testbed.git.repositories=pack-256k,pack-1m,pack-4m"));
        launch("kernel-sim-service", List.of(
                "--server.port=" + kernelHttpPort,
                "--testbed.kernel.grpc.port=" + kernelGrpcPort,
                "--testbed.kernel.upstreams=" + upstream));
        awaitHealthy("git-http-server", gitManagementPort, Duration.ofMinutes(3));
        launch("tls-client-service", List.of(
                "--server.port=" + tlsClientPort,
                "--testbed.kernels.default=127.0.0.1:" + kernelGrpcPort,
                "--testbed.pki.ca-file=" + caFile(),
                "--testbed.host-kernel.upstreams=" + upstream));
        launch("gateway-service", List.of(
                "--server.port=" + gatewayPort,
                "--testbed.kernels.default=127.0.0.1:" + kernelGrpcPort,
                "--testbed.tls-client.url=http://127.0.0.1:" + tlsClientPort,
                "--testbed.git.url=https://127.0.0.1:" + gitPort,
                "--testbed.pki.ca-file=" + caFile(),
                // each stack its own results database, fresh for every run of the tests
                "--spring.datasource.url=jdbc:h2:file:" + gatewayDb() + ";DB_CLOSE_ON_EXIT=FALSE"));
        awaitHealthy("kernel-sim-service", kernelHttpPort, Duration.ofMinutes(2));
        awaitHealthy("tls-client-service", tlsClientPort, Duration.ofMinutes(2));
        awaitHealthy("gateway-service", gatewayPort, Duration.ofMinutes(2));
        return this;
    }

    private void launch(String service, List<String> args) throws IOException {
        // -Dtestbed.jars=<dir> runs jars from elsewhere (say, a build of another commit) against this tree's tests
        String jars = System.getProperty("testbed.jars", "");
        Path jar = jars.isBlank() ? root.resolve(service + "/target/" + service + "-" + version + "-exec.jar")
                : Path.of(jars).resolve(service + "-" + version + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": run ./mvnw package (make test runs verify, which packages first)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(service + ".log").toFile());
        processes.put(service, pb.start());
    }

    private void awaitHealthy(String service, int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI health = URI.create("http://127.0.0.1:" + port + "/actuator/health");
        while (System.nanoTime() < deadline) {
            Process p = processes.get(service);
            if (!p.isAlive()) {
                throw new IllegalStateException(service + " exited with " + p.exitValue() + ":\n" + tail(service));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " not healthy within " + timeout + ":\n" + tail(service));
    }

    /** The last lines of a service's log, for failure messages. */
    public String tail(String service) {
        try {
            List<String> lines = Files.readAllLines(logDir.resolve(service + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public Process process(String service) {
        return processes.get(service);
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String n : names) {
            processes.get(n).destroy();
        }
        for (String n : names) {
            try {
                if (!processes.get(n).waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    processes.get(n).destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                processes.get(n).destroyForcibly();
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
