package io.testbed.tls.client.support;

import io.testbed.git.server.GitHttpServerApplication;
import io.testbed.git.server.marks.MarkFeedServer;
import io.testbed.git.server.repo.RepoInfo;
import io.testbed.git.server.repo.RepoRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;

/**
 * The real git server (git-http-server's application, from its plain jar) started in-process on a
 * random port, once per test JVM, with its mark feed on another random port. Its PKI and repositories
 * live under {@code target/testbed-git} and are reused by later runs (the server validates and adopts
 * them). {@code spring.config.name} keeps this module's application.yml out of the server's context.
 * {@link #slowed()} is a second instance of the same server, on the same PKI and repositories, whose
 * upload-pack answers pause in the middle ({@link SlowResponses}).
 */
public final class GitHttpServerFixture {
    /** Repositories every test may use; pack-4m only for the CLIENTS.md table. */
    public static final String REPOSITORIES = "pack-256k,pack-1m,pack-4m";

    private static GitHttpServerFixture instance;
    private static GitHttpServerFixture slowed;

    private final ConfigurableApplicationContext context;
    private final Path dir;
    private final int port;

    private GitHttpServerFixture(Path dir, Class<?>... extra) {
        this.dir = dir;
        Class<?>[] sources = new Class<?>[extra.length + 1];
        sources[0] = GitHttpServerApplication.class;
        System.arraycopy(extra, 0, sources, 1, extra.length);
        this.context = new SpringApplicationBuilder(sources)
                .properties("spring.config.name=git-http-server-under-test",
                        "testbed.git.marks.port=0",
                        "server.port=0",
                        // loopback: the fixture reads no application.yml, and bound beyond it the server wants a token
                        "server.address=127.0.0.1",
                        "management.server.port=-1",
                        "server.tomcat.connection-timeout=5m",
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN",
                        "testbed.pki.dir=" + dir.resolve("pki"),
                        "testbed.pki.server-names=git.testbed,localhost,git-http-server",
                        "testbed.git.repos-dir=" + dir.resolve("repos"),
                        "testbed.git.repositories=" + REPOSITORIES)
                .run();
        this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        Runtime.getRuntime().addShutdownHook(new Thread(context::close, "git-http-server-fixture-stop"));
    }

    public static synchronized GitHttpServerFixture get() {
        if (instance == null) {
            instance = new GitHttpServerFixture(Path.of("target", "testbed-git").toAbsolutePath());
        }
        return instance;
    }

    /**
     * The same server again (same PKI and repositories), whose upload-pack answers pause
     * {@link SlowResponses#PAUSE_MS} ms after every {@link SlowResponses#EVERY_BYTES} bytes: a server that
     * is still working when it goes quiet, the case quiet windows cannot handle.
     */
    public static synchronized GitHttpServerFixture slowed() {
        if (slowed == null) {
            get();
            slowed = new GitHttpServerFixture(Path.of("target", "testbed-git").toAbsolutePath(), SlowResponses.class);
        }
        return slowed;
    }

    public int port() {
        return port;
    }

    /** The server's mark feed (an allow-list entry's {@code ;marks=127.0.0.1:<port>}). */
    public int marksPort() {
        return context.getBean(MarkFeedServer.class).port();
    }

    /** The testbed CA the server's certificate chains to. */
    public Path caFile() {
        return dir.resolve("pki").resolve("ca.crt");
    }

    /** The bare repository the server serves {@code repo} from (to compare a clone with). */
    public Path repoDir(String repo) {
        return dir.resolve("repos").resolve(repo + ".git");
    }

    /** The object count the server reports for a repository. */
    public long objects(String repo) {
        RepoInfo info = context.getBean(RepoRegistry.class).find(repo).orElseThrow();
        return info.objects();
    }

    /** The size of a repository's single pack: about what a full clone receives. */
    public long packSize(String repo) {
        return context.getBean(RepoRegistry.class).find(repo).orElseThrow().packBytes();
    }
}
