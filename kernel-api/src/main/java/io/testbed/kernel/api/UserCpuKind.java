package io.testbed.kernel.api;

/**
 * What a thread's userspace CPU time was spent on, as the client declares it with each syscall
 * ({@code SyscallRequest.user_cpu_tls_ns} and {@code user_cpu_pack_ns}; the rest of {@code user_cpu_ns}
 * is {@link #OTHER}). The kernel keeps the parts per thread ({@code ThreadStats} 19, 20), so "where the
 * time went" can say how much of the client's CPU was TLS and how much was git.
 */
public enum UserCpuKind {
    /** The TLS library: handshake, record decryption and encryption. */
    TLS,
    /** Git pack work: pkt-lines and side-band, pack parsing, inflate, deflate, SHA-1 of objects. */
    PACK,
    /** Anything else, and CPU time whose kind the client cannot tell (measured host CPU time). */
    OTHER
}
