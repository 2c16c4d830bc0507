package io.testbed.tls.client.policy;

/**
 * What every policy shares: a name, a label that ends with its idle bound ({@link IdleBound}), and an
 * effective spec made of its own parameters plus that bound. A policy says only what it does on
 * {@code EAGAIN}, how it describes itself and which parameters it has.
 */
abstract class IdleBoundedPolicy implements WouldBlockPolicy {
    private final String name;
    protected final IdleBound idle;

    IdleBoundedPolicy(String name, IdleBound idle) {
        this.name = name;
        this.idle = idle;
    }

    /** The label before the idle bound, e.g. {@code sleep 10 ms}. */
    abstract String describe();

    /** The policy's own parameters; the idle bound is added by {@link #effective()}. */
    PolicySpec parameters() {
        return PolicySpec.of(name);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String label() {
        return describe() + ", " + idle.label();
    }

    @Override
    public final PolicySpec effective() {
        return parameters().withIdle(idle.readsOrNull(), idle.msOrNull());
    }

    @Override
    public final int idleTimeoutReads() {
        return idle.reads();
    }

    @Override
    public final long idleTimeoutNs() {
        return idle.ns();
    }
}
