package io.testbed.gateway.fakes;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
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
import io.testbed.kernel.api.v1.ThreadStats;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kernel-sim's {@code Machines} service over gRPC. Profile {@code nope} is refused with
 * INVALID_ARGUMENT, as is any setting whose name starts with {@code bogus.}; profile {@code down} fails with UNAVAILABLE; profile {@code full} with RESOURCE_EXHAUSTED (the machine limit); the live machine {@code default}
 * always exists. A machine's clock always reads 1 ms; its stats say 2.1 s. {@code List} reports
 * {@link #processors} and {@link #maxMachines} (0 unless set); while {@link #down} is set every call fails with
 * UNAVAILABLE, as a kernel whose process hangs or is gone (its calls are still counted).
 */
public final class FakeKernel implements AutoCloseable {

    public final Map<String, Machine> machines = new ConcurrentHashMap<>();
    public final List<String> created = new CopyOnWriteArrayList<>();
    public final List<String> deleted = new CopyOnWriteArrayList<>();
    /** The {@code authorization} metadata of every call (empty string when none): the gateway's bearer token. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Every Create call received, refused ones included. */
    public final AtomicInteger createCalls = new AtomicInteger();
    /** While true, every call fails with UNAVAILABLE. */
    public volatile boolean down;
    public volatile int processors;
    public volatile int maxMachines;
    private final Server server;

    public FakeKernel() throws IOException {
        machines.put("default", Machine.newBuilder().setId("default").setClock(io.testbed.kernel.api.v1.Clock.CLOCK_LIVE).build());
        io.grpc.ServerInterceptor failWhileDown = new io.grpc.ServerInterceptor() {
            @Override
            public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, io.grpc.Metadata headers,
                                                                   io.grpc.ServerCallHandler<Q, A> next) {
                if (call.getMethodDescriptor().getBareMethodName().equals("Create")) {
                    createCalls.incrementAndGet();
                }
                if (down) {
                    call.close(Status.UNAVAILABLE.withDescription("kernel down (test)"), new io.grpc.Metadata());
                    return new io.grpc.ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(io.grpc.ServerInterceptors.intercept(new MachinesGrpc.MachinesImplBase() {
            @Override
            public void create(CreateMachineRequest request, StreamObserver<Machine> reply) {
                if (request.getProfile().equals("nope")) {
                    reply.onError(Status.INVALID_ARGUMENT.withDescription("unknown profile 'nope'; known: akuma-2026-01-31").asRuntimeException());
                    return;
                }
                String bogus = request.getOverridesMap().keySet().stream().filter(k -> k.startsWith("bogus.")).findFirst().orElse(null);
                if (bogus != null) {
                    reply.onError(Status.INVALID_ARGUMENT.withDescription("unknown setting '" + bogus + "'; kernel-sim-service/README.md lists the settings").asRuntimeException());
                    return;
                }
                if (request.getProfile().equals("full")) {
                    reply.onError(Status.RESOURCE_EXHAUSTED.withDescription("machine limit reached (64 machines); delete one first").asRuntimeException());
                    return;
                }
                if (request.getProfile().equals("down")) {
                    reply.onError(Status.UNAVAILABLE.withDescription("engine overloaded").asRuntimeException());
                    return;
                }
                Machine m = Machine.newBuilder().setId("m-" + ids.incrementAndGet()).setName(request.getName()).setOwner(request.getOwner())
                        .setProfile(request.getProfile()).setClock(request.getClock()).setSeed(request.getSeed())
                        .putAllSettings(request.getOverridesMap()).setState("running").build();
                machines.put(m.getId(), m);
                created.add(m.getId());
                reply.onNext(m);
                reply.onCompleted();
            }

            @Override
            public void get(MachineRef request, StreamObserver<Machine> reply) {
                Machine m = machines.get(request.getId());
                if (m == null) {
                    reply.onError(Status.NOT_FOUND.withDescription("no machine " + request.getId()).asRuntimeException());
                    return;
                }
                reply.onNext(m.toBuilder().setNowNs(1_000_000L).build());
                reply.onCompleted();
            }

            @Override
            public void delete(MachineRef request, StreamObserver<DeleteMachineReply> reply) {
                boolean found = machines.remove(request.getId()) != null;
                deleted.add(request.getId());
                reply.onNext(DeleteMachineReply.newBuilder().setDeleted(found).build());
                reply.onCompleted();
            }

            @Override
            public void stats(MachineRef request, StreamObserver<MachineStats> reply) {
                reply.onNext(MachineStats.newBuilder().setId(request.getId()).setNowNs(2_100_000_000L)
                        .putCounters("context_switches", 42).putCounters("boosts", 7)
                        .addThreads(ThreadStats.newBuilder().setTid(0).setName("net").setKind("network").setCpuNs(5_000_000))
                        .build());
                reply.onCompleted();
            }

            @Override
            public void list(ListMachinesRequest request, StreamObserver<MachineList> reply) {
                reply.onNext(MachineList.newBuilder().addAllMachines(machines.values()).setProcessors(processors)
                        .setMaxMachines(maxMachines).build());
                reply.onCompleted();
            }
        }, failWhileDown)).intercept(new io.grpc.ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers,
                                                                       io.grpc.ServerCallHandler<Q, R> next) {
                String value = headers.get(io.testbed.kernel.api.grpc.BearerToken.AUTHORIZATION);
                authorizations.add(value == null ? "" : value);
                return next.startCall(call, headers);
            }
        }).build().start();
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
