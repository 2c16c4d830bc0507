package io.testbed.bench;

import io.testbed.bench.e2e.EndToEndRunner;

/**
 * {@code make bench}: the JMH micro-benchmarks (short settings), then the end-to-end benchmarks
 * against the running stack; writes {@code reports/bench.json}, prints the table and puts it into
 * {@code docs/BENCHMARKS.md} between its markers. {@code --help} lists the options.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(EndToEndRunner.run(args));
    }
}
