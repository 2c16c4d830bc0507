/**
 * Akuma's {@code scratch} git client (userspace/scratch @7b52ac2), re-enacted syscall by syscall on a
 * simulated machine: ref discovery and the pack POST on two TLS connections, the pack written to
 * {@code .git/objects/pack/tmp.pack} as it arrives, read back, unpacked into loose objects and
 * checked out, every file operation, console print and large allocation a syscall of the machine's
 * kernel. {@link io.testbed.tls.client.scratch.ScratchClient} is the clone;
 * {@link io.testbed.tls.client.scratch.ScratchSys} its syscall layer and figures. docs/CLIENTS.md
 * says what is faithful (with Akuma file:line) and what differs.
 */
package io.testbed.tls.client.scratch;
