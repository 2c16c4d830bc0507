/**
 * Real TCP upstreams behind simulated connections: the allow-list and the socket I/O threads. Outside the
 * engine: it does blocking I/O and reports to the machine's inbox.
 */
package io.testbed.kernel.sim.upstream;
