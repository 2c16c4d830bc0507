package io.testbed.kernel.sim.calibration;

import java.util.Map;

/**
 * One measurement Akuma's authors published, and how the model replays it.
 *
 * @param id          C1, C2, ... (issue 13 and 14)
 * @param title       what was measured
 * @param source      where it was published (document at commit)
 * @param profile     the code state, as a kernel-sim profile
 * @param conditions  settings on top of the profile that describe the run's conditions
 * @param program     the syscall program that replays it, in words
 * @param measured    the published figure, in {@code unit}
 * @param low         lowest acceptable model figure (a range reference), or the 15% band's low end
 * @param high        highest acceptable model figure
 * @param unit        "ms", "us", "KiB/s", ...
 * @param fits        the parameter this reference fixes, or "" when it only validates
 * @param run         runs the program on a driver built for this reference and returns the model's figure
 */
public record Reference(String id, String title, String source, String profile, Map<String, String> conditions,
                        String program, double measured, double low, double high, String unit, String fits,
                        Program run) {

    /** A syscall program: runs on the machine, returns the figure in the reference's unit. */
    @FunctionalInterface
    public interface Program {
        double run(Machine machine);
    }

    /** How a program gets its machine: settings resolved from the reference plus the parameters under test. */
    @FunctionalInterface
    public interface Machine {
        SyscallDriver create(io.testbed.kernel.sim.net.remote.UpstreamConnector connector);
    }

    /** A point reference accepted within ±{@code tolerance} (0.15 for the 15% goal). */
    public static Reference point(String id, String title, String source, String profile, Map<String, String> conditions,
                                  String program, double measured, String unit, String fits, double tolerance,
                                  Program run) {
        return new Reference(id, title, source, profile, conditions, program, measured, measured * (1 - tolerance),
                measured * (1 + tolerance), unit, fits, run);
    }

    /** Whether a model figure is acceptable. */
    public boolean accepts(double figure) {
        return figure >= low && figure <= high;
    }
}
