package io.testbed.kernel.sim.api.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.DeleteMachineReply;
import io.testbed.kernel.api.v1.ListMachinesRequest;
import io.testbed.kernel.api.v1.Machine;
import io.testbed.kernel.api.v1.MachineList;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.MachinesGrpc;
import io.testbed.kernel.sim.runtime.MachineRegistry;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The machine admin API over gRPC, with bounded, validated inputs. */
public class MachinesService extends MachinesGrpc.MachinesImplBase {
    private static final int MAX_OVERRIDES = 64;
    private static final int MAX_TEXT = 128;
    private final MachineRegistry registry;

    public MachinesService(MachineRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void create(CreateMachineRequest req, StreamObserver<Machine> out) {
        if (req.getOverridesCount() > MAX_OVERRIDES) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("at most " + MAX_OVERRIDES + " overrides").asRuntimeException());
            return;
        }
        for (Map.Entry<String, String> e : req.getOverridesMap().entrySet()) {
            if (e.getKey().length() > MAX_TEXT || e.getValue().length() > MAX_TEXT) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("override names and values are at most " + MAX_TEXT
                        + " characters").asRuntimeException());
                return;
            }
        }
        if (req.getName().length() > MAX_TEXT || req.getProfile().length() > MAX_TEXT || req.getOwner().length() > MAX_TEXT) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("name, owner and profile are at most " + MAX_TEXT + " characters").asRuntimeException());
            return;
        }
        try {
            var m = registry.create(req.getName(), req.getOwner(), req.getProfile(), req.getOverridesMap(), req.getClock(), req.getSeed());
            out.onNext(describe(m));
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (IllegalStateException e) {
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void get(MachineRef ref, StreamObserver<Machine> out) {
        var m = registry.get(ref.getId());
        if (m == null) {
            out.onError(notFound(ref));
            return;
        }
        out.onNext(describe(m));
        out.onCompleted();
    }

    @Override
    public void list(ListMachinesRequest req, StreamObserver<MachineList> out) {
        MachineList.Builder b = MachineList.newBuilder()
                .setMaxMachines(registry.maxMachines())
                .setProcessors(Runtime.getRuntime().availableProcessors());
        registry.list().forEach(m -> b.addMachines(describe(m)));
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void delete(MachineRef ref, StreamObserver<DeleteMachineReply> out) {
        if (!registry.delete(ref.getId())) {
            out.onError(notFound(ref));
            return;
        }
        out.onNext(DeleteMachineReply.newBuilder().setDeleted(true).build());
        out.onCompleted();
    }

    @Override
    public void stats(MachineRef ref, StreamObserver<MachineStats> out) {
        var m = registry.get(ref.getId());
        if (m == null) {
            out.onError(notFound(ref));
            return;
        }
        try {
            out.onNext(m.loop().stats().get(10, TimeUnit.SECONDS));
            out.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.CANCELLED.asRuntimeException());
        } catch (ExecutionException | TimeoutException e) {
            out.onError(Status.UNAVAILABLE.withDescription("machine '" + ref.getId() + "' did not answer: " + e).asRuntimeException());
        }
    }

    private static RuntimeException notFound(MachineRef ref) {
        String id = ref.getId().length() > MAX_TEXT ? ref.getId().substring(0, MAX_TEXT) : ref.getId();
        return Status.NOT_FOUND.withDescription("no machine '" + id + "'").asRuntimeException();
    }

    static Machine describe(io.testbed.kernel.sim.runtime.Machine m) {
        return Machine.newBuilder().setId(m.id()).setName(m.name()).setOwner(m.owner()).setProfile(m.settings().profile)
                .setClock(m.clock()).setSeed(m.seed()).putAllSettings(m.settings().values())
                .setNowNs(m.loop().now())
                .setState(m.loop().failure() != null ? "failed" : m.loop().stopped() ? "stopped" : m.loop().held() ? "held" : "running")
                .build();
    }
}
