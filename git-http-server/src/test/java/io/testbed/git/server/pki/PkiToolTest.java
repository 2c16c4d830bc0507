package io.testbed.git.server.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: the Kubernetes PKI Job generates the PKI with {@link PkiTool}; the server, given the same names, must
 * reuse it as it is (it reads the files from a Secret copy and would otherwise reissue into a directory the Job
 * never sees).
 */
class PkiToolTest {

    @TempDir
    Path dir;

    @Test
    void theToolsPki_isReusedByTheServerWithTheSameNames() throws Exception {
        PkiTool.main(new String[] {dir.toString(), "git.testbed,localhost,git-http-server", "127.0.0.1"});
        for (String f : List.of(TestbedPki.CA_CERT, TestbedPki.CA_KEY, TestbedPki.SERVER_CERT, TestbedPki.SERVER_KEY)) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        byte[] serverCert = Files.readAllBytes(dir.resolve(TestbedPki.SERVER_CERT));
        // the server's own defaults (application.yml: the same three names, IP 127.0.0.1)
        TestbedPki.Material m = new TestbedPki(new PkiProperties(dir,
                List.of("git.testbed", "localhost", "git-http-server"), List.of("127.0.0.1"), null)).ensure();
        assertThat(m.outcome()).isEqualTo(TestbedPki.Outcome.REUSED);
        assertThat(Files.readAllBytes(dir.resolve(TestbedPki.SERVER_CERT))).isEqualTo(serverCert);
    }
}
