package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import io.testbed.kernel.sim.net.remote.UpstreamConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Creates, finds and deletes simulated machines. Each machine gets its own engine thread, its own
 * upstream connector bound to the allow-list, and the wall {@link Ticker} from outside the engine.
 */
public class MachineRegistry implements AutoCloseable {
    public static final String DEFAULT_ID = "default";

    private final Map<String, Machine> machines = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AllowList allowList;
    private final KernelSimProperties properties;
    private final KernelListener listener;
    private final Ticker wall;
    private final ConnectorFactory connectors;

    /** Builds a machine's upstream connector; the default opens real sockets to allow-listed endpoints. */
    @FunctionalInterface
    public interface ConnectorFactory {
        /**
         * @param engine runs a callback on the machine's engine thread
         */
        UpstreamConnector create(AllowList allowList, Consumer<Runnable> engine, MachineSettings settings, int connectTimeoutMs);
    }

    /** Real sockets to the allow-listed endpoints ({@link SocketUpstreamConnector}). */
    public static final ConnectorFactory SOCKETS = (allowList, engine, settings, timeoutMs) ->
            new SocketUpstreamConnector(allowList, engine, settings.getInt(Settings.UPSTREAM_BUFFER_BYTES), timeoutMs, settings.is(Settings.UPSTREAM_SYNC_MARKS));

    public MachineRegistry(KernelSimProperties properties, KernelListener listener, Ticker wall) {
        this(properties, listener, wall, SOCKETS);
    }

    /** A registry whose machines reach their upstreams through {@code connectors} (e.g. an in-memory one in tests). */
    public MachineRegistry(KernelSimProperties properties, KernelListener listener, Ticker wall, ConnectorFactory connectors) {
        this.connectors = connectors;
        this.properties = properties;
        this.allowList = AllowList.parse(properties.getUpstreams());
        this.listener = listener;
        this.wall = wall;
        if (properties.isDefaultMachine()) {
            create(DEFAULT_ID, "default live machine", "", properties.getDefaultMachineProfile(),
                    properties.getDefaultMachineOverrides(), Clock.CLOCK_LIVE, 0);
        }
    }

    /**
     * Creates a machine.
     *
     * @throws IllegalArgumentException for a bad profile or setting
     * @throws IllegalStateException    when the machine limit is reached
     */
    public Machine create(String name, String profile, Map<String, String> overrides, Clock clock, long seed) {
        return create(name, "", profile, overrides, clock, seed);
    }

    /** {@link #create(String, String, Map, Clock, long)} for an owner: the id its creator gives it (kept, not read). */
    public Machine create(String name, String owner, String profile, Map<String, String> overrides, Clock clock, long seed) {
        return create("m-" + ids.incrementAndGet(), name, owner, profile, overrides, clock, seed);
    }

    private synchronized Machine create(String id, String name, String owner, String profile, Map<String, String> overrides,
                                        Clock clock, long seed) {
        MachineSettings settings = Profiles.resolve(profile, overrides);
        if (machines.size() >= properties.getMaxMachines()) {
            throw new IllegalStateException("machine limit reached (" + properties.getMaxMachines()
                    + "); delete machines you no longer need");
        }
        Clock effective = clock == Clock.CLOCK_LIVE ? Clock.CLOCK_LIVE : Clock.CLOCK_VIRTUAL;
        AtomicReference<MachineLoop> loopRef = new AtomicReference<>();
        UpstreamConnector connector = connectors.create(allowList, r -> loopRef.get().post(r), settings,
                properties.getUpstreamConnectTimeoutMs());
        boolean virtual = effective == Clock.CLOCK_VIRTUAL;
        MachineModel model = new MachineModel(settings, virtual, seed, UpstreamGate.peers(settings, wall, virtual, connector),
                listener);
        MachineLoop loop = new MachineLoop(id, model, wall, listener);
        loopRef.set(loop);
        Machine m = new Machine(id, name == null ? "" : name, effective, seed, settings, loop, owner == null ? "" : owner);
        machines.put(id, m);
        loop.start();
        return m;
    }

    public Machine get(String id) {
        return id == null ? null : machines.get(id);
    }

    /** The most machines this registry runs at once ({@code testbed.kernel.max-machines}). */
    public int maxMachines() {
        return properties.getMaxMachines();
    }

    public List<Machine> list() {
        List<Machine> l = new ArrayList<>(machines.values());
        l.sort((a, b) -> a.id().compareTo(b.id()));
        return l;
    }

    public boolean delete(String id) {
        Machine m = machines.remove(id);
        if (m == null) {
            return false;
        }
        m.loop().stop();
        return true;
    }

    public AllowList allowList() {
        return allowList;
    }

    @Override
    public void close() {
        machines.keySet().forEach(this::delete);
        allowList.close();
    }
}
