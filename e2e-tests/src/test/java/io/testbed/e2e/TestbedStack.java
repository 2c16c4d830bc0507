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
    /** Each service's command-line arguments as last launched, for {@link #restart}. */
    private final Map<String, List<String>> launched = new LinkedHashMap<>();
    /** Extra arguments per service, given before {@link #start}. */
    private final Map<String, List<String>> extraArgs = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final int gitPort = freePort();
    public final int gitManagementPort = freePort();
    public final int gitMarksPort = freePort();
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

    /**
     * Extra command-line arguments for one service (say {@code --testbed.experiments.parallel-runs=2} for
     * the gateway), appended to the stack's own; call before {@link #start}. They are kept for {@link #restart}.
     */
    public TestbedStack withArgs(String service, String... args) {
        extraArgs.computeIfAbsent(service, s -> new ArrayList<>()).addAll(List.of(args));
        return this;
    }

    /** Starts every service and waits until each reports UP. */
    public TestbedStack start() throws Exception {
        String upstream = "git.testbed:443=127.0.0.1:" + gitPort;
        String kernelUpstream = upstream + ";marks=127.0.0.1:" + gitMarksPort; // the virtual clock waits for the server's marks
        String pki = dataDir.resolve("pki").toString();
        launch("git-http-server", List.of(
                "--server.port=" + gitPort,
                "--management.server.port=" + gitManagementPort,
                "--testbed.git.marks.port=" + gitMarksPort,
                "--testbed.pki.dir=" + pki,
                "--testbed.git.repos-dir=" + dataDir.resolve("repos"),
                "--testbed.git.repositories=pack-256k,pack-1m,pack-4m"));
        launch("kernel-sim-service", List.of(
                "--server.port=" + kernelHttpPort,
                "--testbed.kernel.grpc.port=" + kernelGrpcPort,
                "--testbed.kernel.upstreams=" + kernelUpstream));
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

    private void launch(String service, List<String> stackArgs) throws IOException {
        List<String> args = new ArrayList<>(stackArgs);
        args.addAll(extraArgs.getOrDefault(service, List.of()));
        launched.put(service, List.copyOf(args));
        launch(service, args, false);
    }

    private void launch(String service, List<String> args, boolean appendLog) throws IOException {
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
        java.io.File log = logDir.resolve(service + ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log) : ProcessBuilder.Redirect.to(log));
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

    /**
     * Kills a service the hard way: SIGKILL to its JVM (the launched process is the {@code java} binary
     * itself, no shell or wrapper in between), so no shutdown hook, no {@code @PreDestroy}, no database
     * close runs. Returns once the process is gone.
     */
    public void kill(String service) throws InterruptedException {
        Process p = processes.get(service);
        if (p == null) {
            throw new IllegalArgumentException("no service " + service + "; the stack has " + processes.keySet());
        }
        String command = p.info().command().orElse("");
        if (!command.isEmpty() && !Path.of(command).getFileName().toString().startsWith("java")) {
            throw new IllegalStateException(service + "'s process " + p.pid() + " is " + command + ", not a JVM");
        }
        p.destroyForcibly(); // SIGKILL on Unix
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(service + " (pid " + p.pid() + ") still alive 20 s after SIGKILL");
        }
    }

    /**
     * Launches a service again with the same arguments as before (same ports, data folder, database
     * file; its log is appended to) and waits until it reports UP. The previous process must be gone
     * ({@link #kill}).
     *
     * @return the time from launch to UP
     */
    public Duration restart(String service) throws Exception {
        Process old = processes.get(service);
        List<String> args = launched.get(service);
        if (old == null || args == null) {
            throw new IllegalArgumentException("no service " + service + "; the stack has " + processes.keySet());
        }
        if (old.isAlive()) {
            throw new IllegalStateException(service + " is still running (pid " + old.pid() + "): kill it first");
        }
        long t0 = System.nanoTime();
        launch(service, args, true);
        awaitHealthy(service, healthPort(service), Duration.ofMinutes(2));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private int healthPort(String service) {
        return switch (service) {
            case "git-http-server" -> gitManagementPort;
            case "kernel-sim-service" -> kernelHttpPort;
            case "tls-client-service" -> tlsClientPort;
            case "gateway-service" -> gatewayPort;
            default -> throw new IllegalArgumentException("no service " + service);
        };
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
