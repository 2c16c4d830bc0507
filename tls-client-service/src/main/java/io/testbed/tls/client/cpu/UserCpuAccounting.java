package io.testbed.tls.client.cpu;

/**
 * Decides how much userspace CPU time the download's thread declares before each syscall. On the
 * virtual clock simulated time stands still while the thread runs userspace code, so without
 * accounting the client's work is free; with it the charged time occupies the simulated core (and
 * may be preempted by the tick) before the syscall runs. One instance per download, used by its
 * thread only.
 *
 * <p>The event hooks are called where the work happens; {@link #beforeSyscall()} returns what to
 * charge now and {@link #afterSyscall()} marks the return to userspace.
 */
public interface UserCpuAccounting {

    /** The registered mode name ("zero", "modelled", "measured"). */
    String mode();

    /** The mode with its parameters, shown in results ("modelled: handshake 2000 us, ..."). */
    String label();

    /** False when two runs of the same download may charge different times. */
    boolean deterministic();

    /** A TLS handshake is about to run (charged before its first syscall). */
    default void handshake() {
    }

    /** {@code records} whole TLS records were received. */
    default void records(int records) {
    }

    /** {@code bytes} of application data came out of TLS decryption. */
    default void decrypted(long bytes) {
    }

    /** {@code bytes} of pack were handed to the pack parser. */
    default void packParsed(long bytes) {
    }

    /** {@code bytes} were hashed with SHA-1 (object ids). */
    default void sha1(long bytes) {
    }

    /** Inflating produced {@code bytes}. */
    default void inflated(long bytes) {
    }

    /** {@code bytes} were deflated (level 6). */
    default void deflated(long bytes) {
    }

    /** {@code lines} pkt-lines were parsed (their payload is counted by {@link #packParsed}). */
    default void pktLines(long lines) {
    }

    /** {@code bytes} were printed to the console. */
    default void printed(long bytes) {
    }

    /** A userspace allocation of {@code bytes} (Akuma maps and zero-fills whole pages). */
    default void allocated(long bytes) {
    }

    /** Nanoseconds of userspace CPU to declare with the syscall about to be made; resets. */
    long beforeSyscall();

    /** The syscall returned: userspace starts again. */
    default void afterSyscall() {
    }
}
