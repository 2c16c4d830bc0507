package io.testbed.kernel.sim.api;

import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.ListMachinesRequest;
import io.testbed.kernel.api.v1.Machine;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a machine carries the id its creator gave it ({@code CreateMachineRequest.owner}), returned as is by
 * create, get and list, so the gateway finds the machines of a download or an experiment by that id, not by a name.
 */
class MachineOwnerTest {

    @Test
    void theOwnerGivenAtCreate_isReturnedByCreateGetAndList_andIsEmptyWhenNoneWasGiven() throws Exception {
        try (GrpcFixture grpc = GrpcFixture.machines(Duration.ofSeconds(20))) {
            Machine owned = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL)
                    .setName("experiment ex-1 cell 0 rep 1").setOwner("ex-1").build());
            Machine plain = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).build());
            assertThat(owned.getOwner()).isEqualTo("ex-1");
            assertThat(plain.getOwner()).isEmpty();
            assertThat(grpc.admin.get(MachineRef.newBuilder().setId(owned.getId()).build()).getOwner()).isEqualTo("ex-1");
            assertThat(grpc.admin.list(ListMachinesRequest.getDefaultInstance()).getMachinesList())
                    .extracting(Machine::getOwner).containsExactlyInAnyOrder("ex-1", "");
        }
    }
}
