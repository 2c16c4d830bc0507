package io.testbed.tls.client.support;

import io.testbed.git.server.GitHttpServerApplication;
import io.testbed.git.server.repo.RepoInfo;
import io.testbed.git.server.repo.RepoRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;

/**
 * The real git server (git-http-server's application, from its plain jar) started in-process on a
 * random port, once per test JVM. Its PKI and repositories live under {@code target/testbed-git}
 * and are reused by later runs (the server validates and adopts them). {@code spring.config.name}
 * keeps this module's application.yml out of the server's context.
 */
public final class GitHttpServerFixture {
    /** Repositories every test may use; pack-4m only for the CLIENTS.md table. */
    public static final String REPOSITORIES = "pack-256k,pack-1m,pack-4m";

    private static GitHttpServerFixture instance;

    private final ConfigurableApplicationContext context;
    private final Path dir;
    private final int port;

    private GitHttpServerFixture(Path dir) {
        this.dir = dir;
        this.context = new SpringApplicationBuilder(GitHttpServerApplication.class)
                .properties("spring.config.name=git-http-server-under-test",
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

    public int port() {
        return port;
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
