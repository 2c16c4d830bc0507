package io.testbed.e2e;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * External programs some tests need (Debian's {@code prometheus}, {@code promtool}, {@code docker-compose}).
 * In CI ({@code CI=true}) a missing one fails the test: {@code .ci/run} installs them. On a developer's
 * machine it skips the test with a loud message, because the README promises that {@code make test}
 * needs only a JDK and make.
 */
final class Tools {
    private Tools() {
    }

    static Optional<Path> find(String name) {
        String override = System.getProperty("testbed." + name + ".binary");
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The program's path; fails (CI) or skips (elsewhere) when it is not installed. */
    static Path require(String name, String why) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = "'" + name + "' is not installed, so " + why + " cannot be checked. Install it with "
                + "`apt-get install -y --no-install-recommends " + debianPackage(name) + "` (.ci/run does), "
                + "or point -Dtestbed." + name + ".binary at it.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        System.err.println("\n*** SKIPPED: " + message + "\n");
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    private static String debianPackage(String name) {
        return "promtool".equals(name) ? "prometheus" : name;
    }
}
