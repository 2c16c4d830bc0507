package io.testbed.tls.client.cpu;

import io.testbed.kernel.api.UserCpuKind;

import java.util.function.ObjLongConsumer;

/**
 * Decides how much userspace CPU time the download's thread declares before each syscall. On the
 * virtual clock simulated time stands still while the thread runs userspace code, so without
 * accounting the client's work is free; with it the charged time occupies the simulated core (and
 * may be preempted by the tick) before the syscall runs. One instance per download, used by its
 * thread only.
 *
 * <p>The event hooks are called where the work happens; {@link #beforeSyscall} hands over what to
 * charge now and {@link #afterSyscall()} marks the return to userspace. Each hook's work has a kind
 * ({@link UserCpuKind}), declared with the charge so the kernel can say where the client's CPU went:
 * {@link #handshake}, {@link #records} and {@link #decrypted} are the TLS library's work; {@link #packParsed},
 * {@link #pktLines}, {@link #inflated}, {@link #deflated} and {@link #sha1} are git's (the pack stream, its
 * objects, and for scratch the loose objects it writes and reads back for the checkout). CPU time a mode
 * cannot attribute (measured host CPU time) is {@link UserCpuKind#OTHER}.
 */
public interface UserCpuAccounting {

    /** The registered mode name ("zero", "modelled", "measured"). */
    String mode();

    /** The mode with its parameters, shown in results ("modelled: handshake 2000 us, ..."). */
    String label();

    /** False when two runs of the same download may charge different times. */
    boolean deterministic();

    /** A TLS handshake is about to run (charged before its first syscall). TLS work. */
    default void handshake() {
    }

    /** {@code records} whole TLS records were received. TLS work. */
    default void records(int records) {
    }

    /** {@code bytes} of application data came out of TLS decryption. TLS work. */
    default void decrypted(long bytes) {
    }

    /** {@code bytes} of pack were handed to the pack parser (or copied through the client's buffers). Pack work. */
    default void packParsed(long bytes) {
    }

    /** {@code bytes} were hashed with SHA-1 (object ids). Pack work. */
    default void sha1(long bytes) {
    }

    /** Inflating produced {@code bytes}. Pack work. */
    default void inflated(long bytes) {
    }

    /** {@code bytes} were deflated (level 6). Pack work. */
    default void deflated(long bytes) {
    }

    /** {@code lines} pkt-lines were parsed (their payload is counted by {@link #packParsed}). Pack work. */
    default void pktLines(long lines) {
    }

    // No hooks for prints and allocations: the kernel charges them (a console write(1/2) per byte on the UART,
    // cost.uart_byte_ns; mmap's zero-filling per page, cost.page_zero_ns), so a client cannot charge them twice.

    /**
     * Hands the userspace CPU used since the previous syscall to {@code charge}, kind by kind (only the
     * kinds with time), to be declared with the syscall about to be made; resets.
     */
    void beforeSyscall(ObjLongConsumer<UserCpuKind> charge);

    /** The syscall returned: userspace starts again. */
    default void afterSyscall() {
    }
}
