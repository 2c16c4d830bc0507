package io.testbed.kernel.sim.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, items 8 and 9: numeric settings are ASCII digits only, and connect's host must be exactly
 * a host name or address (EINVAL before the allow-list; nothing is trimmed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictInputTest {
    private GrpcFixture grpc;
    private String machine;

    @BeforeAll
    void start() throws Exception {
        grpc = GrpcFixture.withBulkServer(Duration.ofSeconds(20));
        machine = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_LIVE).build()).getId();
    }

    @AfterAll
    void stop() throws Exception {
        grpc.close();
    }

    @ParameterizedTest(name = "timer.tick_us=\"{0}\"")
    @ValueSource(strings = {"\uFF11\uFF10\uFF10\uFF10\uFF10", "\u0661\u0660\u0660\u0660\u0660", "+10000", " 10000 ", "10000 ",
            "\t10000", "010000", "1e4", "10_000", "10000\u0000", "-0"})
    void numericSetting_notPlainAsciiDigits_isInvalidArgument(String value) {
        assertThatThrownBy(() -> grpc.admin.create(CreateMachineRequest.newBuilder().putOverrides("timer.tick_us", value).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("timer.tick_us").contains("ASCII digits");
                });
    }

    @ParameterizedTest(name = "sleep.model=\"{0}\"")
    @ValueSource(strings = {" hires", "hires\n"})
    void choiceSetting_withPadding_isInvalidArgument(String value) {
        assertThatThrownBy(() -> grpc.admin.create(CreateMachineRequest.newBuilder().putOverrides("sleep.model", value).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"10000", "100", "1000000"})
    void numericSetting_plainDigits_isAccepted(String value) {
        assertThat(grpc.admin.create(CreateMachineRequest.newBuilder().putOverrides("timer.tick_us", value).build())
                .getSettingsMap()).containsEntry("timer.tick_us", value);
    }

    @ParameterizedTest(name = "host \"{0}\"")
    @ValueSource(strings = {"bulk.test\u0000", "bulk.test\n", " bulk.test", "bulk.test ", "bulk.test.", "bulk..test",
            "bulk.test\r\n", "bulk.te\u0000st", "-bulk.test", "bulk_test", "b\u00fclk.test", "bulk.test:80", "[::1]x"})
    void connect_toAHostThatIsNotExactlyANameOrAddress_isEinval(String host) {
        try (UserThread t = grpc.kernel.attach(machine, "host")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(Errno.name(t.connect(fd, host, 80).getErrno())).isEqualTo("EINVAL");
            t.close(fd);
        }
    }

    @ParameterizedTest(name = "host \"{0}\"")
    @ValueSource(strings = {"bulk.test", "BULK.test"})
    void connect_toTheAllowListedName_inAnyCase_connects(String host) {
        try (UserThread t = grpc.kernel.attach(machine, "host")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(t.connect(fd, host, 80).getRet()).isZero();
            t.close(fd);
        }
    }

    @ParameterizedTest(name = "host \"{0}\"")
    @ValueSource(strings = {"::1", "127.0.0.1", "0.0.0.0", "example.com"})
    void connect_toAValidHostNotAllowListed_isRefused(String host) {
        try (UserThread t = grpc.kernel.attach(machine, "host")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(Errno.name(t.connect(fd, host, 80).getErrno())).isEqualTo("ECONNREFUSED");
            t.close(fd);
        }
    }
}
