package io.testbed.tls.client.cpu;

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
        cpu.printed(1);
        cpu.allocated(4096);
        assertThat(cpu.beforeSyscall()).isEqualTo(30 + 40 + 300 + 100 + 2_000 + 150);
        assertThat(cpu.beforeSyscall()).isZero();
        assertThat(ModelledCpu.defaults().handshakeNs()).isEqualTo(UserCostTable.akumaQemuTcg().handshakeNs());
    }

    @Test
    void negativeCosts_areRejected() {
        assertThatThrownBy(() -> new UserCostTable(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
