/**
 * The engine: simulated time ({@link io.testbed.kernel.sim.engine.EventQueue}, totally ordered events), the
 * one seeded random source, the trace hash, the composition of one machine ({@link io.testbed.kernel.sim.engine.MachineModel})
 * and the engine thread that owns it ({@link io.testbed.kernel.sim.engine.MachineLoop}). Nothing here reads a clock:
 * real time enters only through a {@link io.testbed.kernel.sim.engine.Ticker} passed in.
 */
package io.testbed.kernel.sim.engine;
