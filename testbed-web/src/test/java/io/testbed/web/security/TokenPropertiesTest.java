package io.testbed.web.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenPropertiesTest {

    static final String TOKEN = "0123456789abcdef0123";

    @Test
    void resolve_fromTheSettingOrAFile_nullWhenNeither(@TempDir Path tmp) throws Exception {
        assertThat(new TokenProperties(TOKEN, "", false).resolve()).isEqualTo(TOKEN);
        assertThat(new TokenProperties("", "", false).resolve()).isNull();
        Path file = Files.writeString(tmp.resolve("token"), TOKEN + "\n  ");
        assertThat(new TokenProperties("", file.toString(), false).resolve()).isEqualTo(TOKEN);
    }

    @Test
    void resolve_refusesBoth_anUnreadableFile_andAWeakToken(@TempDir Path tmp) {
        assertThatThrownBy(() -> new TokenProperties(TOKEN, "f", false).resolve()).hasMessageContaining("not both");
        assertThatThrownBy(() -> new TokenProperties("", tmp.resolve("missing").toString(), false).resolve())
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> new TokenProperties("short", "", false).resolve()).hasMessageContaining("has 5 characters");
        assertThatThrownBy(() -> new TokenProperties("0123456789 abcdef", "", false).resolve()).hasMessageContaining("index 10");
        assertThatThrownBy(() -> new TokenProperties("0123456789abcdéf", "", false).resolve()).hasMessageContaining("index 14");
    }

    @Test
    void sameToken_isExactEquality() {
        assertThat(TokenProperties.sameToken(TOKEN, TOKEN)).isTrue();
        assertThat(TokenProperties.sameToken(TOKEN + "x", TOKEN)).isFalse();
        assertThat(TokenProperties.sameToken(TOKEN.toUpperCase(), TOKEN)).isFalse();
    }

    @Test
    void openedBeyondLoopback_namesEachAddressThatIsNotLoopback() {
        assertThat(TokenProperties.openedBeyondLoopback(new MockEnvironment().withProperty("server.address", "127.0.0.1"))).isEmpty();
        assertThat(TokenProperties.openedBeyondLoopback(new MockEnvironment().withProperty("server.address", "::1"))).isEmpty();
        assertThat(TokenProperties.openedBeyondLoopback(new MockEnvironment())).containsExactly("server.address=(every interface)");
        assertThat(TokenProperties.openedBeyondLoopback(new MockEnvironment().withProperty("server.address", "0.0.0.0")))
                .containsExactly("server.address=0.0.0.0");
        assertThat(TokenProperties.openedBeyondLoopback(new MockEnvironment().withProperty("server.address", "no-such-host.invalid")))
                .containsExactly("server.address=no-such-host.invalid");
    }

    @Test
    void theManagementAddress_countsOnlyOnAPortOfItsOwn() {
        MockEnvironment samePort = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("management.server.address", "0.0.0.0");
        assertThat(TokenProperties.openedBeyondLoopback(samePort)).isEmpty();
        assertThat(TokenProperties.openedBeyondLoopback(samePort.withProperty("management.server.port", "8080"))).isEmpty();
        assertThat(TokenProperties.openedBeyondLoopback(samePort.withProperty("management.server.port", "-1"))).isEmpty();
        assertThat(TokenProperties.openedBeyondLoopback(samePort.withProperty("management.server.port", "8083")))
                .containsExactly("management.server.address=0.0.0.0");
        MockEnvironment ownLoopback = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("management.server.port", "0");
        assertThat(TokenProperties.openedBeyondLoopback(ownLoopback))
                .containsExactly("management.server.address=(every interface)");
    }
}
