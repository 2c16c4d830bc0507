package io.testbed.git.server.repo;

/**
 * The SplitMix64 generator (Steele, Lea and Flood, 2014), written out so that the bytes of every
 * generated repository, and so its commit ids, depend on the seed alone and never on a JDK's choice
 * of algorithm. Little-endian bytes of successive {@link #nextLong()} values fill byte arrays.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code length} bytes; a length that is not a multiple of 8 discards the rest of the last value. */
    void nextBytes(byte[] buffer, int offset, int length) {
        int i = 0;
        while (i < length) {
            long value = nextLong();
            for (int b = 0; b < 8 && i < length; b++, i++) {
                buffer[offset + i] = (byte) (value >>> (8 * b));
            }
        }
    }
}
