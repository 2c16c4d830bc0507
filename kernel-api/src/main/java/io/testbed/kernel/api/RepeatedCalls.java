package io.testbed.kernel.api;

import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.v1.Step;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.SyscallRequestOrBuilder;

/**
 * Reads a repeated call ({@code SyscallRequest.repeat}, the client's would-block loop run by the kernel) back
 * as the syscalls it made: decorators that watch every syscall (accounting, traces) walk them with
 * {@link #forEach} and see the same sequence, with the same replies, as from a client that loops itself.
 */
public final class RepeatedCalls {
    /** The most EAGAINs one repeated call may wait through before it must answer. */
    public static final int MAX_WOULD_BLOCKS = 4096;

    private RepeatedCalls() {
    }

    /** One syscall of a (possibly repeated) call: what was called and what it answered. */
    @FunctionalInterface
    public interface Each {
        void call(SyscallRequest.CallCase call, SyscallRequestOrBuilder request, SyscallReply reply);
    }

    /**
     * Calls {@code each} for every syscall behind {@code reply}: for a plain call once, for a repeated one
     * each step and then the last call. A wait's request is the repeat's wait (a nanosleep, sched_yield or
     * poll request); the repeated call's is {@code request} itself. Step replies carry ret, errno, times
     * and revents (no data, no seq).
     */
    public static void forEach(SyscallRequestOrBuilder request, SyscallReply reply, Each each) {
        if (reply.getStepsCount() == 0) {
            each.call(lastCall(request, reply), request, reply);
            return;
        }
        SyscallRequest wait = waitRequest(request.getRepeat());
        for (Step s : reply.getStepsList()) {
            SyscallRequest.CallCase call = SyscallRequest.CallCase.forNumber(s.getCall());
            each.call(call, call == request.getCallCase() ? request : wait, asReply(s));
        }
        SyscallRequest.CallCase last = lastCall(request, reply);
        each.call(last, last == request.getCallCase() ? request : wait, reply);
    }

    /**
     * What the reply answers: the request's call, or for a repeated call that ended on a failed wait,
     * the wait (the step before it was then an EAGAIN of the call).
     */
    public static SyscallRequest.CallCase lastCall(SyscallRequestOrBuilder request, SyscallReply reply) {
        int n = reply.getStepsCount();
        if (n == 0 || !request.hasRepeat()) {
            return request.getCallCase();
        }
        Step before = reply.getSteps(n - 1);
        boolean beforeWasCall = before.getCall() == request.getCallCase().getNumber();
        SyscallRequest.CallCase wait = waitCall(request.getRepeat());
        return beforeWasCall && wait != SyscallRequest.CallCase.CALL_NOT_SET ? wait : request.getCallCase();
    }

    /** The syscall a repeat waits with, or {@code CALL_NOT_SET} when it calls again at once. */
    public static SyscallRequest.CallCase waitCall(RepeatOnWouldBlock repeat) {
        return switch (repeat.getWaitCase()) {
            case NANOSLEEP -> SyscallRequest.CallCase.NANOSLEEP;
            case SCHED_YIELD -> SyscallRequest.CallCase.SCHED_YIELD;
            case POLL -> SyscallRequest.CallCase.POLL;
            case WAIT_NOT_SET -> SyscallRequest.CallCase.CALL_NOT_SET;
        };
    }

    /** The wait as a request of its own (no seq, no userspace time), or null when there is none. */
    public static SyscallRequest waitRequest(RepeatOnWouldBlock repeat) {
        return switch (repeat.getWaitCase()) {
            case NANOSLEEP -> SyscallRequest.newBuilder().setNanosleep(repeat.getNanosleep()).build();
            case SCHED_YIELD -> SyscallRequest.newBuilder().setSchedYield(repeat.getSchedYield()).build();
            case POLL -> SyscallRequest.newBuilder().setPoll(repeat.getPoll()).build();
            case WAIT_NOT_SET -> null;
        };
    }

    /** A step as a reply of its own. */
    public static SyscallReply asReply(Step s) {
        return SyscallReply.newBuilder().setRet(s.getRet()).setErrno(s.getErrno())
                .setEntryTimeNs(s.getEntryTimeNs()).setExitTimeNs(s.getExitTimeNs())
                .addAllRevents(s.getReventsList()).build();
    }

    /** A reply as a step of call {@code call}. */
    public static Step asStep(SyscallRequest.CallCase call, SyscallReply r) {
        return Step.newBuilder().setCall(call.getNumber()).setRet(r.getRet()).setErrno(r.getErrno())
                .setEntryTimeNs(r.getEntryTimeNs()).setExitTimeNs(r.getExitTimeNs())
                .addAllRevents(r.getReventsList()).build();
    }
}
