package io.testbed.tls.client.cpu;

import io.testbed.kernel.api.UserCpuKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserCostTableTest {

    @Test
    void akumaTable_isTheEntriesTimesTheTcgFactor_andInsideEachRange() {
        UserCostTable t = UserCostTable.akumaQemuTcg();
        assertThat(t.aesGcmPerByteNs()).isEqualTo(Math.round(16 * UserCostTable.TCG_FACTOR));
        assertThat(t.printPerByteNs()).isEqualTo(3_000); // device-bound: not scaled
        assertThat(t.handshakeNs()).isEqualTo(2_667_500);
        assertThat(ModelledCpu.defaults().label()).contains("handshake 2667 us", "record 12804 ns", "decrypted byte 171 ns");
        for (UserCostTable.Entry e : UserCostTable.entries()) {
            assertThat(e.ns()).as(e.name()).isBetween(e.lowNs(), e.highNs());
            assertThat(e.origin()).as(e.name()).isNotBlank();
        }
    }

    @Test
    void operations_scaleWithTheirUnits() {
        UserCostTable t = new UserCostTable(1_000, 100, 10, 3, 4, 30, 50, 1, 2_000, 150);
        assertThat(t.aesGcm(3, 1_000)).isEqualTo(3 * 100 + 10_000);
        assertThat(t.sha1(1_000)).isEqualTo(3_000);
        assertThat(t.inflate(10)).isEqualTo(40);
        assertThat(t.deflate(10)).isEqualTo(300);
        assertThat(t.pktLines(2, 100)).isEqualTo(200);
        assertThat(t.print(5)).isEqualTo(10_000);
        assertThat(t.alloc(1)).isEqualTo(150);
        assertThat(t.alloc(4097)).isEqualTo(300);
        assertThat(t.alloc(0)).isZero();
    }

    @Test
    void modelledCpu_chargesTheTableForTheNewHooks() {
        UserCostTable t = new UserCostTable(1_000, 100, 10, 3, 4, 30, 50, 1, 2_000, 150);
        UserCpuAccounting cpu = new ModelledCpu(1, 2, 3, 4, t).start();
        cpu.sha1(10);
        cpu.inflated(10);
        cpu.deflated(10);
        cpu.pktLines(2);
        assertThat(drain(cpu)).containsExactly(java.util.Map.entry(UserCpuKind.PACK, 30L + 40 + 300 + 100));
        assertThat(drain(cpu)).isEmpty();
        assertThat(ModelledCpu.defaults().handshakeNs()).isEqualTo(UserCostTable.akumaQemuTcg().handshakeNs());
    }

    @Test
    void modelledCpu_declaresTlsWorkAsTls_andGitWorkAsPack() {
        UserCostTable t = new UserCostTable(1_000, 100, 10, 3, 4, 30, 50, 1, 2_000, 150);
        UserCpuAccounting cpu = new ModelledCpu(7_000, 20, 3, 5, t).start();
        cpu.handshake();
        cpu.records(2);
        cpu.decrypted(100);
        cpu.packParsed(10);
        cpu.inflated(1);
        assertThat(drain(cpu)).containsExactly(java.util.Map.entry(UserCpuKind.TLS, 7_000L + 2 * 20 + 100 * 3),
                java.util.Map.entry(UserCpuKind.PACK, 10L * 5 + 4));
        // the modes that cannot tell: nothing (zero), all other (measured)
        UserCpuAccounting zero = new ZeroCpu();
        zero.handshake();
        assertThat(drain(zero)).isEmpty();
    }

    /** What {@code beforeSyscall} hands over, by kind, in the order given. */
    private static java.util.Map<UserCpuKind, Long> drain(UserCpuAccounting cpu) {
        java.util.Map<UserCpuKind, Long> m = new java.util.LinkedHashMap<>();
        cpu.beforeSyscall((kind, ns) -> m.merge(kind, ns, Long::sum));
        return m;
    }

    @Test
    void printsAndPages_areTheKernelsCosts_chargedOnlyThere() {
        // the kernel charges console bytes (write to fd 1/2) and mmap's page zeroing; the table's entries are
        // their origin and must be the kernel's defaults, and the client has no hook to charge them again
        java.util.Map<String, String> kernel = io.testbed.kernel.sim.config.Settings.defaults();
        UserCostTable t = UserCostTable.akumaQemuTcg();
        assertThat(t.printPerByteNs()).isEqualTo(Long.parseLong(kernel.get("cost.uart_byte_ns")));
        assertThat((double) t.alloc(UserCostTable.PAGE)).isCloseTo(Long.parseLong(kernel.get("cost.page_zero_ns")),
                org.assertj.core.api.Assertions.within(5.0));
        assertThat(java.util.Arrays.stream(UserCpuAccounting.class.getMethods()).map(java.lang.reflect.Method::getName))
                .doesNotContain("printed", "allocated");
    }

    @Test
    void negativeCosts_areRejected() {
        assertThatThrownBy(() -> new UserCostTable(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
