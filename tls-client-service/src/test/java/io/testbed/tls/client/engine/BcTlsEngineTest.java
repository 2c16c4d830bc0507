package io.testbed.tls.client.engine;

import org.junit.jupiter.api.DisplayName;

@DisplayName("The bc engine (Bouncy Castle TlsClientProtocol, non-blocking)")
class BcTlsEngineTest extends TlsEngineContract {
    @Override
    TlsEngine engine() {
        return TlsEngines.get("bc");
    }
}
