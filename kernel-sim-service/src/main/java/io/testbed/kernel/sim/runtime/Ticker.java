package io.testbed.kernel.sim.runtime;

/**
 * A source of real (wall) time, passed into the engine from outside. The model never reads it to
 * decide anything on the virtual clock; it is used only to pace the live clock and to bound the real
 * time the engine waits for a client or an upstream (Netty's {@code Ticker}, smoltcp's
 * {@code poll(timestamp)}).
 */
@FunctionalInterface
public interface Ticker {
    long nanoTime();
}
