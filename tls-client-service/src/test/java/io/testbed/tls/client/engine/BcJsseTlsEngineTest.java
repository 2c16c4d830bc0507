package io.testbed.tls.client.engine;

import org.junit.jupiter.api.DisplayName;

@DisplayName("The bcjsse engine (Bouncy Castle JSSE provider SSLEngine)")
class BcJsseTlsEngineTest extends TlsEngineContract {
    @Override
    TlsEngine engine() {
        return TlsEngines.get("bcjsse");
    }
}
