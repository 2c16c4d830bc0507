package io.testbed.kernel.sim.api;

import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.ListMachinesRequest;
import io.testbed.kernel.api.v1.Machine;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.ThreadStats;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aThreadsOwnerGivenAtAttach_isInItsStats_emptyWithoutOne_andALongerOneThan128IsRefused() throws Exception {
        try (GrpcFixture grpc = GrpcFixture.machines(Duration.ofSeconds(20))) {
            Machine m = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).build());
            UserThread owned = grpc.kernel.attach(m.getId(), "download-tc-1", "tc-1");
            UserThread plain = grpc.kernel.attach(m.getId(), "download-tc-2");
            assertThatThrownBy(() -> grpc.kernel.attach(m.getId(), "long", "x".repeat(129)))
                    .isInstanceOf(KernelException.class).hasMessageContaining("owner is at most 128");
            assertThat(grpc.admin.stats(MachineRef.newBuilder().setId(m.getId()).build()).getThreadsList())
                    .filteredOn(t -> t.getKind().equals("user"))
                    .extracting(ThreadStats::getName, ThreadStats::getOwner)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("download-tc-1", "tc-1"),
                            org.assertj.core.groups.Tuple.tuple("download-tc-2", ""));
            owned.close();
            plain.close();
        }
    }
}
