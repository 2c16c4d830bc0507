/**
 * Interactive sessions (Akuma's SSH): keystrokes arriving on the NIC at a seeded rate, a thread per session that
 * echoes them, and the echo latency that measures responsiveness.
 */
package io.testbed.kernel.sim.session;
