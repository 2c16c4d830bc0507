package io.testbed.tls.client.engine;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The boringssl engine (netty-tcnative BoringSSL SSLEngine)")
class BoringSslTlsEngineTest extends TlsEngineContract {
    @Override
    TlsEngine engine() {
        return TlsEngines.get("boringssl");
    }

    @Test
    @DisplayName("refuses an unknown version or suite before connecting")
    void validate_unknownVersionOrSuite_refused() {
        assertThatThrownBy(() -> engine().validate(new TlsSettings("h", ServerVerifier.none(), List.of("SSLv3"), null)))
                .hasMessageContaining("unsupported TLS version 'SSLv3'");
        assertThatThrownBy(() -> engine().validate(new TlsSettings("h", ServerVerifier.none(), null, List.of("X"))))
                .hasMessageContaining("unknown cipher suite 'X'");
    }
}
