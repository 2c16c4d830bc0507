package io.testbed.kernel.sim.time;

/**
 * A running 64-bit hash of what the machine did (time, kind, subject, value), cheap enough to keep
 * always on: two runs of the same scenario with the same seed must end with the same hash.
 */
public final class Trace {
    private long hash = 0xcbf29ce484222325L;
    private long records;
    private Tap tap;

    /** Sees every record (fast-forward's recorder); null for none. */
    public interface Tap {
        void record(long time, int kind, long subject, long value);
    }

    public void tap(Tap tap) {
        this.tap = tap;
    }

    public void record(long time, int kind, long subject, long value) {
        if (tap != null) {
            tap.record(time, kind, subject, value);
        }
        hash = mix(hash, time);
        hash = mix(hash, kind);
        hash = mix(hash, subject);
        hash = mix(hash, value);
        records++;
    }

    /**
     * Records {@code time[i] + shift, kind[i], subject[i], value[i]} for i in [from, to): the same as that many
     * {@link #record} calls (fast-forward's replay of crossed passes), without the tap.
     */
    public void replay(long[] time, int[] kind, long[] subject, long[] value, int from, int to, long shift) {
        long h = hash;
        for (int i = from; i < to; i++) {
            h = mix(h, time[i] + shift);
            h = mix(h, kind[i]);
            h = mix(h, subject[i]);
            h = mix(h, value[i]);
        }
        hash = h;
        records += to - from;
    }

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0x100000001b3L;
        return h ^ (h >>> 29);
    }

    public long hash() {
        return hash;
    }

    public long records() {
        return records;
    }
}
