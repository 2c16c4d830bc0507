/**
 * The framed binding of the kernel ABI (issue 19): the same {@code SyscallRequest}/{@code SyscallReply} messages as
 * the gRPC stream, length-prefixed on a Unix domain socket, one connection per simulated user thread, for a client
 * on kernel-sim's host. {@link io.testbed.kernel.api.framed.Frames} is the wire format both sides share,
 * {@link io.testbed.kernel.api.framed.FrameReader} cuts a byte stream into frames, and
 * {@link io.testbed.kernel.api.framed.FramedKernel} is the client, whose calling thread writes its request and reads
 * its reply itself. kernel-sim's listener is {@code api/framed} in kernel-sim-service.
 */
package io.testbed.kernel.api.framed;
