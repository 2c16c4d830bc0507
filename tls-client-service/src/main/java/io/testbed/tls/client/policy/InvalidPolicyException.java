package io.testbed.tls.client.policy;

/** A policy parameter out of range; {@link #field()} names it ({@code policy.sleepMs}). */
public class InvalidPolicyException extends IllegalArgumentException {
    private final String field;

    public InvalidPolicyException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    static int range(String name, Integer value, int dflt, int min, int max) {
        int v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw new InvalidPolicyException("policy." + name, "policy." + name + " must be in " + min + ".." + max + ", was " + v);
        }
        return v;
    }
}
