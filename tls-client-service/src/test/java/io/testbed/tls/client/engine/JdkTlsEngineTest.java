package io.testbed.tls.client.engine;

import org.junit.jupiter.api.DisplayName;

@DisplayName("The jdk engine (SunJSSE SSLEngine)")
class JdkTlsEngineTest extends TlsEngineContract {
    @Override
    TlsEngine engine() {
        return TlsEngines.get("jdk");
    }
}
