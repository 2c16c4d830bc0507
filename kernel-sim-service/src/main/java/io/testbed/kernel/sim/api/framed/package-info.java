/**
 * The framed syscall stream (issue 19): kernel-sim's optional listener on a Unix domain socket
 * ({@code testbed.kernel.framed.uds-path}) that carries kernel-api's {@code Frames} (length-prefixed
 * {@code SyscallRequest}/{@code SyscallReply}), one connection per user thread, into the gRPC adapter's own
 * {@code SyscallService} stream. A thin transport next to {@code api/grpc}: no syscall behaviour of its own.
 */
package io.testbed.kernel.sim.api.framed;
