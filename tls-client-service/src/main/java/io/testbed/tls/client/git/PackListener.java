package io.testbed.tls.client.git;

/** Told how many pack bytes have arrived, every {@link GitFetcher#PROGRESS_STEP} bytes and at the end. */
@FunctionalInterface
public interface PackListener {
    void packBytes(long total);
}
