package io.testbed.kernel.sim.sched;

/**
 * What the running thread does next: hold the CPU for {@code cpuNs}, then {@link Then}. The effects of
 * the step are computed when it starts; the core is busy until it ends. Kernel steps are atomic; a
 * userspace step may be preempted by the timer.
 *
 * <p>A step may run in one of Akuma's windows ({@code sched.preempt_windows}): with preemption off, a
 * tick during it is lost (the pass returns at once and re-enabling preemption does not reschedule);
 * with IRQs off as well, the timer interrupt waits for the step's end, and is then lost too, because
 * Akuma unmasks IRQs before it re-enables preemption (src/socket.rs:801-817).
 *
 * @param preemptOff the step runs with preemption disabled
 * @param irqOff     the step runs with IRQs masked
 */
public record Step(long cpuNs, Then then, long wakeAt, boolean preemptOff, boolean irqOff) {

    public Step(long cpuNs, Then then, long wakeAt) {
        this(cpuNs, then, wakeAt, false, false);
    }

    /** This step with preemption disabled throughout (a tick during it is lost). */
    public Step preemptionOff() {
        return new Step(cpuNs, then, wakeAt, true, irqOff);
    }

    /** This step with preemption and IRQs disabled throughout (the timer waits for its end). */
    public Step irqsOff() {
        return new Step(cpuNs, then, wakeAt, true, true);
    }

    /** This step lengthened by {@code ns} (interrupt handling it absorbs), windows kept. */
    public Step plus(long ns) {
        return new Step(cpuNs + ns, then, wakeAt, preemptOff, irqOff);
    }

    public enum Then {
        /** Keep running the same thread (ask it for its next step). */
        CONTINUE,
        /** Userspace CPU time: like CONTINUE, but the timer may preempt it part-way. */
        USER,
        /** Voluntary scheduler pass; the thread stays runnable. */
        YIELD,
        /** WAITING until {@code wakeAt}, then a scheduler pass. */
        SLEEP,
        /**
         * WAITING for an I/O event (woken by the interrupt handler) or until {@code wakeAt}, whichever
         * comes first; a scheduler pass follows at once (no sleep model applies).
         */
        BLOCK,
        /** The syscall reply has been sent: the thread returns to userspace. */
        RETURN_TO_USER,
        /** The thread ends. */
        EXIT
    }

    public static Step cont(long cpuNs) {
        return new Step(cpuNs, Then.CONTINUE, 0);
    }

    public static Step user(long cpuNs) {
        return new Step(cpuNs, Then.USER, 0);
    }

    public static Step yield(long cpuNs) {
        return new Step(cpuNs, Then.YIELD, 0);
    }

    public static Step sleep(long cpuNs, long wakeAt) {
        return new Step(cpuNs, Then.SLEEP, wakeAt);
    }

    public static Step block(long cpuNs, long wakeAt) {
        return new Step(cpuNs, Then.BLOCK, wakeAt);
    }

    public static Step returnToUser(long cpuNs) {
        return new Step(cpuNs, Then.RETURN_TO_USER, 0);
    }

    public static Step exit(long cpuNs) {
        return new Step(cpuNs, Then.EXIT, 0);
    }
}
