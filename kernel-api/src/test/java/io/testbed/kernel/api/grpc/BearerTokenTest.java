package io.testbed.kernel.api.grpc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gRPC ABI's credential: what matches, what does not, and which tokens are refused outright. */
class BearerTokenTest {
    static final String TOKEN = "0123456789abcdef-token";
    final BearerToken token = new BearerToken(TOKEN);

    @Test
    void matches_exactlyTheToken_afterAnyCaseOfTheScheme() {
        assertThat(token.matches("Bearer " + TOKEN)).isTrue();
        assertThat(token.matches("bearer " + TOKEN)).isTrue();
        assertThat(token.headerValue()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void refuses_anythingElse() {
        for (String other : new String[] {null, "", "Bearer", "Bearer ", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                "Bearer " + TOKEN.toUpperCase(), "Basic " + TOKEN, TOKEN, "Bearer  " + TOKEN}) {
            assertThat(token.matches(other)).as("%s", other).isFalse();
        }
    }

    @Test
    void refuses_tokensAHeaderCannotCarryOrAGuessFinds() {
        assertThat(BearerToken.problem(null)).contains("empty");
        assertThat(BearerToken.problem("short")).contains("at least 16");
        assertThat(BearerToken.problem("with a space in it, long enough")).contains("index 4");
        assertThat(BearerToken.problem("ünïcødé-is-not-ascii-0123")).contains("index 0");
        assertThat(BearerToken.problem(TOKEN)).isNull();
        assertThatThrownBy(() -> new BearerToken("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
