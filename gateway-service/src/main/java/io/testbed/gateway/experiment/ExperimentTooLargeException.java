package io.testbed.gateway.experiment;

/** An experiment with more runs than {@code testbed.experiments.max-runs}. Answered with 413. */
public class ExperimentTooLargeException extends RuntimeException {

    private final long runs;
    private final int bound;

    public ExperimentTooLargeException(long runs, int bound) {
        super("The experiment has " + runs + " runs (cells x repetitions) but at most " + bound
                + " are accepted (testbed.experiments.max-runs); split it, or use fewer values or repetitions");
        this.runs = runs;
        this.bound = bound;
    }

    public long runs() {
        return runs;
    }

    public int bound() {
        return bound;
    }
}
