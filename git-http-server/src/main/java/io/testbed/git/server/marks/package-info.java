/**
 * Marks: the server's own account of when it has written all it will write until it reads more, for
 * kernel-sim's virtual clock (docs/MODEL.md "Remote hosts and real bytes").
 * <p>
 * {@link io.testbed.git.server.marks.MarkingHttp11NioProtocol} puts the HTTPS connector on a
 * {@link io.testbed.git.server.marks.MarkingNioEndpoint}, whose channels read and write through a
 * {@link io.testbed.git.server.marks.CountingSocketChannel} (exact socket-level byte counts per
 * connection, {@link io.testbed.git.server.marks.ConnectionCounts}) and whose socket wrapper publishes a
 * {@link io.testbed.git.server.marks.Mark} to the {@link io.testbed.git.server.marks.MarkBoard} each time
 * Tomcat registers the connection for read with nothing left to write, and when it closes.
 * {@link io.testbed.git.server.marks.MarkFeedServer} streams each subscriber the marks of its own
 * connections; {@link io.testbed.git.server.marks.MarksConfiguration} wires them.
 */
package io.testbed.git.server.marks;
