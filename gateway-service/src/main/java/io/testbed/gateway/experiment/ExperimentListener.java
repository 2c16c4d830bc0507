package io.testbed.gateway.experiment;

/** Told when every run of an experiment has ended (the reproduction judges its claims then). */
public interface ExperimentListener {
    void ended(ExperimentView experiment);
}
