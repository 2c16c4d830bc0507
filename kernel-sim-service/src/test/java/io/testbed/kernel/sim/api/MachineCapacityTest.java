package io.testbed.kernel.sim.api;

import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.ListMachinesRequest;
import io.testbed.kernel.api.v1.MachineList;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: {@code Machines.List} reports the kernel's capacity beside its machines, so a gateway spreading runs
 * over several kernels can see how full each is: the machine limit and the processors the JVM may use.
 */
class MachineCapacityTest {

    @Test
    void list_reportsTheMachineLimitAndProcessors_besideTheMachines() throws Exception {
        try (GrpcFixture grpc = GrpcFixture.machines(Duration.ofSeconds(20))) {
            MachineList empty = grpc.admin.list(ListMachinesRequest.getDefaultInstance());
            assertThat(empty.getMachinesCount()).isZero();
            assertThat(empty.getMaxMachines()).isEqualTo(64);
            assertThat(empty.getProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors()).isPositive();

            String a = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).build()).getId();
            grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).build());
            assertThat(grpc.admin.list(ListMachinesRequest.getDefaultInstance()).getMachinesCount()).isEqualTo(2);
            grpc.admin.delete(MachineRef.newBuilder().setId(a).build());
            MachineList one = grpc.admin.list(ListMachinesRequest.getDefaultInstance());
            assertThat(one.getMachinesCount()).isEqualTo(1);
            assertThat(one.getMaxMachines()).isEqualTo(64);
        }
    }
}
