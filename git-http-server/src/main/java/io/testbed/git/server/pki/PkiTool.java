package io.testbed.git.server.pki;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Generates (or checks and reuses) the testbed PKI in a directory and exits, without starting the server: what
 * the Kubernetes chart's PKI Job runs once, before it stores the files in a Secret (issue 20). The same
 * {@link TestbedPki} as the server, so the server finds the certificate fit and reuses it.
 *
 * <pre>java -cp app.jar -Dloader.main=io.testbed.git.server.pki.PkiTool \
 *     org.springframework.boot.loader.launch.PropertiesLauncher DIR [SERVER-NAMES [SERVER-IPS]]</pre>
 *
 * SERVER-NAMES and SERVER-IPS are comma-separated (defaults: {@code git.testbed,localhost,git-http-server} and
 * {@code 127.0.0.1}, the server's own defaults).
 */
public final class PkiTool {

    private PkiTool() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 3 || args[0].isBlank()) {
            System.err.println("usage: PkiTool DIR [SERVER-NAMES [SERVER-IPS]] (names and IPs comma-separated)");
            System.exit(2);
        }
        List<String> names = args.length > 1 ? split(args[1]) : List.of("git.testbed", "localhost", "git-http-server");
        List<String> ips = args.length > 2 ? split(args[2]) : List.of("127.0.0.1");
        TestbedPki.Material m = new TestbedPki(new PkiProperties(Path.of(args[0]), names, ips, null)).ensure();
        System.out.println("testbed PKI in " + m.dir() + ": " + m.outcome() + " (server names " + names + ", IPs " + ips + ")");
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
