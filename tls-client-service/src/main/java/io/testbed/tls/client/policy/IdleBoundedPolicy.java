package io.testbed.tls.client.policy;

/**
 * What the policies that only differ in their reaction to {@code EAGAIN} share: a name, a label, and
 * an idle bound ({@link IdleBound}) reported as their effective spec.
 */
abstract class IdleBoundedPolicy implements WouldBlockPolicy {
    private final String name;
    private final String labelPrefix;
    protected final IdleBound idle;

    IdleBoundedPolicy(String name, String labelPrefix, IdleBound idle) {
        this.name = name;
        this.labelPrefix = labelPrefix;
        this.idle = idle;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String label() {
        return labelPrefix + ", " + idle.label();
    }

    @Override
    public PolicySpec effective() {
        return new PolicySpec(name, null, idle.readsOrNull(), idle.msOrNull(), null, null, null, null);
    }

    @Override
    public int idleTimeoutReads() {
        return idle.reads();
    }

    @Override
    public long idleTimeoutNs() {
        return idle.ns();
    }
}
