package io.testbed.gateway.fakes;

import org.springframework.test.context.DynamicPropertyRegistry;

/** One set of fakes for the whole test JVM, started on first use. */
public final class Fakes {

    public static final FakeGitServer GIT;
    public static final FakeTlsClient TLS_CLIENT;
    public static final FakeKernel KERNEL;

    static {
        try {
            GIT = new FakeGitServer();
            TLS_CLIENT = new FakeTlsClient();
            KERNEL = new FakeKernel();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Fakes() {
    }

    /** Points the gateway at the shared fakes. */
    public static void register(DynamicPropertyRegistry registry) {
        register(registry, GIT, TLS_CLIENT, KERNEL);
    }

    /** A test's own set of fakes, for a test that counts what they saw or needs other repositories or capabilities. */
    public record Own(FakeGitServer git, FakeTlsClient tlsClient, FakeKernel kernel) implements AutoCloseable {

        /** Points the gateway at these fakes. */
        public void register(DynamicPropertyRegistry registry) {
            Fakes.register(registry, git, tlsClient, kernel);
        }

        @Override
        public void close() throws java.io.IOException {
            kernel.close();
            tlsClient.close();
            git.close();
        }
    }

    /** Starts a set of fakes: a git server listing {@code repos}, a tls-client with {@code capabilities} (null: the default). */
    public static Own own(String repos, String capabilities) {
        try {
            return new Own(new FakeGitServer(repos), capabilities == null ? new FakeTlsClient() : new FakeTlsClient(capabilities),
                    new FakeKernel());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fakes", e);
        }
    }

    /** Points the gateway at these fakes (a test that counts what the fakes saw uses its own). */
    public static void register(DynamicPropertyRegistry registry, FakeGitServer git, FakeTlsClient tlsClient, FakeKernel kernel) {
        registry.add("testbed.git.url", git::url);
        registry.add("testbed.pki.ca-file", () -> git.caFile().toString());
        registry.add("testbed.tls-client.url", tlsClient::url);
        registry.add("testbed.kernels.default", kernel::target);
        registry.add("testbed.downloads.poll-interval", () -> "20ms");
        registry.add("testbed.experiments.poll-interval", () -> "20ms");
        // each Spring context its own in-memory database; the restart test uses a file
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:gateway-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
