package io.testbed.gateway.kernel;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.ListMachinesRequest;
import io.testbed.kernel.api.v1.Machine;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.MachinesGrpc;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's side of kernel-sim's {@code Machines} service. Channels are opened lazily, one per
 * named target, so the gateway starts even when no kernel is up yet. The targets are the static
 * {@code testbed.kernels.<name>} list, or, with discovery, whatever {@link KernelDirectory} registers and
 * forgets as kernels come and go.
 */
@Component
public class MachineAdminClient {

    static final String SERVICE = "kernel-sim-service";

    private final KernelProperties properties;
    private final Map<String, String> targets = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    private final io.grpc.ClientInterceptor[] interceptors;

    public MachineAdminClient(KernelProperties properties,
                              org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters,
                              io.testbed.web.security.TokenProperties security) {
        this.properties = properties;
        this.targets.putAll(properties.kernels());
        io.micrometer.core.instrument.MeterRegistry registry = meters.getIfAvailable();
        List<io.grpc.ClientInterceptor> chain = new ArrayList<>();
        // gRPC client metrics (grpc.client.*) on the machine admin calls, when a registry is there
        if (registry != null) {
            chain.add(new io.micrometer.core.instrument.binder.grpc.MetricCollectingClientInterceptor(registry));
        }
        // the bearer token kernel-sim wants when its gRPC port is opened beyond loopback (issue 16)
        String token = security.resolve();
        if (token != null) {
            chain.add(new io.testbed.kernel.api.grpc.BearerToken(token).clientInterceptor());
        }
        this.interceptors = chain.toArray(io.grpc.ClientInterceptor[]::new);
    }

    /** The kernel target names known now (configured, or discovered and not gone). */
    public Set<String> kernels() {
        return Set.copyOf(targets.keySet());
    }

    /** @throws UnknownKernelException if {@code kernel} is not configured */
    public void requireKernel(String kernel) {
        if (!targets.containsKey(kernel)) {
            throw new UnknownKernelException(kernel, kernels());
        }
    }

    /** Where kernel {@code name} is, or null. */
    public String target(String name) {
        return targets.get(name);
    }

    /** Makes a discovered kernel known under {@code name}, reached at {@code target}. */
    void register(String name, String target) {
        String before = targets.put(name, target);
        if (before != null && !before.equals(target)) {
            ManagedChannel old = channels.remove(name);
            if (old != null) {
                old.shutdownNow();
            }
        }
    }

    /** Forgets a kernel that went away, and closes its channel. */
    void forget(String name) {
        targets.remove(name);
        ManagedChannel old = channels.remove(name);
        if (old != null) {
            old.shutdownNow();
        }
    }

    /**
     * Reads a kernel's machines and capacity ({@code Machines.List}) within {@code deadline}: its health check.
     *
     * @throws KernelUnavailableException when it does not answer in time
     */
    public KernelLoad load(String kernel, java.time.Duration deadline) {
        io.testbed.kernel.api.v1.MachineList list = call(kernel, "list machines", deadline,
                stub -> stub.list(ListMachinesRequest.getDefaultInstance()));
        int running = (int) list.getMachinesList().stream()
                .filter(m -> m.getClock() == Clock.CLOCK_VIRTUAL && "running".equals(m.getState())).count();
        return new KernelLoad(list.getMachinesCount(), running, list.getMaxMachines(), list.getProcessors());
    }

    public MachineInfo create(String kernel, MachineSpec spec) {
        CreateMachineRequest request = CreateMachineRequest.newBuilder()
                .setProfile(spec.profile())
                .putAllOverrides(spec.overrides())
                .setClock("live".equals(spec.clock()) ? Clock.CLOCK_LIVE : Clock.CLOCK_VIRTUAL)
                .setSeed(spec.seed())
                .setName(spec.name())
                .setOwner(spec.owner() == null ? "" : spec.owner())
                .build();
        return toInfo(kernel, call(kernel, "create a machine", stub -> stub.create(request)));
    }

    public MachineInfo get(String kernel, String machineId) {
        return toInfo(kernel, call(kernel, "get machine " + machineId, stub -> stub.get(ref(machineId))));
    }

    public boolean delete(String kernel, String machineId) {
        return call(kernel, "delete machine " + machineId, stub -> stub.delete(ref(machineId))).getDeleted();
    }

    public KernelStats stats(String kernel, String machineId) {
        MachineStats stats = call(kernel, "read stats of machine " + machineId, stub -> stub.stats(ref(machineId)));
        List<KernelStats.ThreadStat> threads = stats.getThreadsList().stream()
                .map(t -> new KernelStats.ThreadStat(t.getTid(), t.getName(), t.getKind(), t.getState(),
                        t.getCpuNs(), t.getSlots(), t.getSwitchesIn(), t.getUserCpuNs(), t.getReadyNs(), t.getRunningNs(),
                        t.getSleepingNs(), t.getIoWaitNs(), t.getOffCpuNs(), t.getFsNs(), t.getBornNs(), t.getEndedNs(), t.getPollReadyNs(), t.getPollRunningNs(),
                        t.getUserCpuTlsNs(), t.getUserCpuPackNs(), t.getOwner()))
                .toList();
        return new KernelStats(stats.getNowNs(), new java.util.TreeMap<>(stats.getCountersMap()), threads);
    }

    /** Every machine of every configured kernel; a kernel that cannot be reached fails the whole call. */
    public List<MachineInfo> list() {
        List<MachineInfo> all = new ArrayList<>();
        for (String kernel : kernels().stream().sorted().toList()) {
            all.addAll(list(kernel));
        }
        return all;
    }

    /** The machines of one kernel. */
    public List<MachineInfo> list(String kernel) {
        return call(kernel, "list machines", stub -> stub.list(ListMachinesRequest.getDefaultInstance()))
                .getMachinesList().stream().map(m -> toInfo(kernel, m)).toList();
    }

    private <T> T call(String kernel, String what, Function<MachinesGrpc.MachinesBlockingStub, T> rpc) {
        return call(kernel, what, properties.kernelAdmin().deadline(), rpc);
    }

    private <T> T call(String kernel, String what, java.time.Duration deadline, Function<MachinesGrpc.MachinesBlockingStub, T> rpc) {
        requireKernel(kernel);
        String target = targets.get(kernel);
        MachinesGrpc.MachinesBlockingStub stub = MachinesGrpc.newBlockingStub(channel(kernel, target))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return rpc.apply(stub);
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            switch (status.getCode()) {
                case RESOURCE_EXHAUSTED -> throw new KernelFullException(
                        "kernel '" + kernel + "' is full and could not " + what + ": " + describe(status)
                                + "; nothing was started: retry after " + KernelFullException.RETRY_AFTER_SECONDS
                                + " s, when machines have ended");
                case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS -> throw new KernelRejectedException(
                        "kernel '" + kernel + "' refused to " + what + ": " + describe(status));
                default -> throw new KernelUnavailableException(kernel, target,
                        "kernel '" + kernel + "' could not " + what + ": " + describe(status)
                                + "; is kernel-sim running and testbed.kernels." + kernel + " right?", e);
            }
        }
    }

    private static String describe(Status status) {
        String description = status.getDescription() != null && !status.getDescription().isBlank()
                ? status.getDescription() : status.getCode().toString();
        return status.getCause() != null ? description + " (" + status.getCause().getMessage() + ")" : description;
    }

    private ManagedChannel channel(String kernel, String target) {
        return channels.computeIfAbsent(kernel, k -> ManagedChannelBuilder
                .forTarget(target)
                .usePlaintext()
                .intercept(interceptors)
                .build());
    }

    private static MachineRef ref(String machineId) {
        return MachineRef.newBuilder().setId(machineId).build();
    }

    private static MachineInfo toInfo(String kernel, Machine m) {
        String clock = switch (m.getClock()) {
            case CLOCK_LIVE -> "live";
            case CLOCK_VIRTUAL -> "virtual";
            default -> "unspecified";
        };
        return new MachineInfo(kernel, m.getId(), m.getName(), m.getProfile(), clock, m.getSeed(),
                new java.util.TreeMap<>(m.getSettingsMap()), m.getNowNs(), m.getThreads(), m.getState(), m.getOwner());
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
