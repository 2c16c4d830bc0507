/**
 * Scheduling policies: one small interface, {@link io.testbed.kernel.sim.sched.policy.SchedulingPolicy}, whose
 * hooks receive {@code now}; {@link io.testbed.kernel.sim.sched.policy.AkumaRatio} is Akuma's pass at the seed's commit.
 */
package io.testbed.kernel.sim.sched.policy;
