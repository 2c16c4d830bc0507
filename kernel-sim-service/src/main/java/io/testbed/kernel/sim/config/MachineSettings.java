package io.testbed.kernel.sim.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The validated, typed settings of one machine: each {@link Setting} of {@link Settings} parsed once from its
 * validated string, in the model's unit (times in nanoseconds). Read with {@link #get}, or without boxing with
 * {@link #getLong}, {@link #getInt} and {@link #is}: each is an array load by the setting's index.
 */
public final class MachineSettings {
    public final String profile;
    private final Map<String, String> values;
    /** The parsed values, by {@link Setting#index()}. */
    private final Object[] typed;
    /** The parsed values as longs (numbers; 1/0 for flags), by {@link Setting#index()}. */
    private final long[] longs;

    @SuppressWarnings({"unchecked", "rawtypes"})
    MachineSettings(String profile, Map<String, String> values) {
        this.profile = profile;
        this.values = Collections.unmodifiableMap(values);
        List<Setting<?>> all = Settings.typed();
        typed = new Object[Setting.count()];
        longs = new long[Setting.count()];
        for (Setting s : all) {
            Object v = s.parse(values.get(s.name()));
            typed[s.index()] = v;
            longs[s.index()] = s.asLong(v);
        }
        int rtoMinMs = getInt(Settings.TCP_RTO_MIN_MS);
        int rtoMaxMs = getInt(Settings.TCP_RTO_MAX_MS);
        if (rtoMinMs > rtoMaxMs) {
            throw new IllegalArgumentException("setting 'tcp.rto_min_ms' (" + rtoMinMs + ") must not exceed 'tcp.rto_max_ms' (" + rtoMaxMs + ")");
        }
    }

    /**
     * These settings with some values replaced (validated): for a model that reuses the machine's TCP with
     * other buffers, such as the smoltcp remote end.
     */
    public MachineSettings with(Map<String, String> changes) {
        return new MachineSettings(profile, Settings.apply(values, changes));
    }

    /** Every effective setting, by name, as the wire shows it. */
    public Map<String, String> values() {
        return values;
    }

    /** The value of a setting, e.g. {@code get(Settings.SLEEP_MODEL)}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) typed[setting.index()];
    }

    /** The value of a long setting, unboxed, e.g. {@code getLong(Settings.TIMER_TICK_NS)}. */
    public long getLong(Setting<Long> setting) {
        return longs[setting.index()];
    }

    /** The value of an int setting, unboxed, e.g. {@code getInt(Settings.TCP_MSS)}. */
    public int getInt(Setting<Integer> setting) {
        return (int) longs[setting.index()];
    }

    /** The value of a flag, unboxed, e.g. {@code is(Settings.THREADS_HERD)}. */
    public boolean is(Setting<Boolean> setting) {
        return longs[setting.index()] != 0;
    }

    public boolean irqWakeup() {
        return get(Settings.POLL_MODE) == PollMode.IRQ_WAKEUP;
    }

    public boolean directPoll() {
        return get(Settings.POLL_MODE) == PollMode.DIRECT_POLL;
    }

    /** CPU time to copy {@code bytes} between user and kernel buffers. */
    public long copyCost(int bytes) {
        return getLong(Settings.COST_COPY_PER_KIB_NS) * bytes / 1024;
    }
}
