package io.testbed.tls.client.engine;

import org.junit.jupiter.api.DisplayName;

@DisplayName("The boringssl engine (netty-tcnative BoringSSL SSLEngine)")
class BoringSslTlsEngineTest extends TlsEngineContract {
    @Override
    TlsEngine engine() {
        return TlsEngines.get("boringssl");
    }
}
