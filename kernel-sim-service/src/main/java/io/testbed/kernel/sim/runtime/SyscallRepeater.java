package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.RepeatedCalls;
import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.v1.Step;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.syscall.ReplySink;

import java.util.ArrayList;
import java.util.List;

/**
 * One user thread's way into its machine, shared by the gRPC and in-process bindings: it hands the
 * client's syscalls to the engine and its replies back, and runs a client's would-block loop
 * ({@code SyscallRequest.repeat}) kernel-side, saving the client a round trip per {@code EAGAIN} and per
 * wait. Each call of the loop is delivered exactly as a client's next syscall is, the moment the previous
 * one returned and with no userspace time declared, so the machine sees what it would see from a client
 * that loops itself with nothing to do in between; the reply lists every call before the last as
 * {@code steps}. The binding registers this object as the thread's {@link ReplySink} (the machine checks
 * that identity) and hears the replies through its own sink.
 */
public final class SyscallRepeater implements ReplySink {
    private final MachineLoop loop;
    private final ReplySink client;
    private volatile int tid = -1;

    // the repeated call in flight, touched on the engine thread only; call == null: a plain call
    private SyscallRequest call;
    private SyscallRequest wait;
    private RepeatOnWouldBlock repeat;
    private boolean inWait;
    private int wouldBlocks;
    private long idleSince;
    private List<Step> steps;
    /** The client's request the replies answer (its seq). */
    private long seq;
    /** After an early answer ({@link #answerEarly}): the loop's call in flight, which the client's next request takes over. */
    private SyscallRequest adopt;
    /** That call's reply, if it came before the client's request. */
    private SyscallReply adoptedReply;
    private boolean gone;

    public SyscallRepeater(MachineLoop loop, ReplySink client) {
        this.loop = loop;
        this.client = client;
    }

    /** The attach succeeded: the thread's slot on the machine. */
    public void attached(int tid) {
        this.tid = tid;
    }

    /**
     * The client's next syscall. A repeat that is not well formed is answered with {@code EINVAL} without
     * running anything (the machine does not see the call).
     */
    public void submit(SyscallRequest request) {
        String invalid = invalid(request);
        if (invalid != null) {
            loop.post(() -> {
                long now = loop.now();
                client.reply(SyscallReply.newBuilder().setSeq(request.getSeq()).setRet(-1).setErrno(Errno.EINVAL)
                        .setEntryTimeNs(now).setExitTimeNs(now).build());
            });
            return;
        }
        loop.post(() -> {
            if (adopt != null) {
                adoptBy(request);
            } else {
                loop.deliver(tid, this, begin(request));
            }
        });
    }

    /** Ends the thread on the machine if it is still this binding's. */
    public void detach(String reason) {
        if (tid >= 0) {
            loop.detach(tid, this, reason);
        }
    }

    /** Why a request's repeat cannot run, or null (also for a request without one). */
    static String invalid(SyscallRequest r) {
        if (!r.hasRepeat()) {
            return null;
        }
        RepeatOnWouldBlock rep = r.getRepeat();
        if (r.getCallCase() != SyscallRequest.CallCase.RECVFROM && r.getCallCase() != SyscallRequest.CallCase.SENDTO) {
            return "repeat is for recvfrom and sendto";
        }
        if (rep.getMaxWouldBlocks() < 1 || rep.getMaxWouldBlocks() > RepeatedCalls.MAX_WOULD_BLOCKS) {
            return "max_would_blocks must be 1.." + RepeatedCalls.MAX_WOULD_BLOCKS;
        }
        if (rep.getIdleSinceNs() < -1 || rep.getIdleBoundNs() < 0) {
            return "idle_since_ns must be >= -1 and idle_bound_ns >= 0";
        }
        return null;
    }

    /** A reply to the client, handed over once the engine's timed step is done (it is transport, not engine, work). */
    private void hand(SyscallReply r) {
        loop.send(() -> client.reply(r));
    }

    /** Engine thread: remembers a repeat and returns what to deliver first (the call without it). */
    private SyscallRequest begin(SyscallRequest r) {
        seq = r.getSeq();
        if (!r.hasRepeat()) {
            call = null;
            return r;
        }
        loop.repeating(this, true);
        repeat = r.getRepeat();
        // later calls of the loop: same seq (the reply answers the client's request), no userspace time
        call = r.toBuilder().clearRepeat().clearUserCpuNs().clearUserCpuTlsNs().clearUserCpuPackNs().build();
        SyscallRequest w = RepeatedCalls.waitRequest(repeat);
        wait = w == null ? null : w.toBuilder().setSeq(r.getSeq()).build();
        inWait = false;
        wouldBlocks = 0;
        idleSince = repeat.getIdleSinceNs();
        steps = new ArrayList<>();
        return r.toBuilder().clearRepeat().build();
    }

    // ---- ReplySink: called on the engine thread ----

    @Override
    public void reply(SyscallReply r) {
        if (adopt != null) {
            adoptedReply = r;
            return;
        }
        if (r.getSeq() != seq) {
            r = r.toBuilder().setSeq(seq).build(); // an adopted call answers the request that took it over
        }
        if (call == null) {
            hand(r);
            return;
        }
        SyscallRequest next = next(r);
        if (next != null) {
            steps.add(RepeatedCalls.asStep(inWait ? wait.getCallCase() : call.getCallCase(), r));
            inWait = next == wait;
            // delivered from the inbox, as a client's call is (this reply is still being made)
            loop.repeated(tid, this, next);
            return;
        }
        SyscallReply out = steps.isEmpty() ? r : r.toBuilder().addAllSteps(steps).build();
        call = null;
        steps = null;
        loop.repeating(this, false);
        hand(out);
    }

    /**
     * Engine thread, the machine standing at {@code machine.stop_at_ms} (its figures are read now): a loop
     * with calls completed answers the client at once with them, the last completed call as the reply, so
     * the client's figures are what they would be had it looped itself. The loop's call in flight stays
     * in flight: the client's next request, which must be that same call (with no userspace time), takes
     * it over instead of running again. Returns whether it answered.
     */
    boolean answerEarly() {
        if (call == null || steps == null || steps.isEmpty() || adopt != null) {
            return false;
        }
        Step last = steps.remove(steps.size() - 1);
        adopt = inWait ? wait : call;
        SyscallReply early = RepeatedCalls.asReply(last).toBuilder().setSeq(seq).addAllSteps(steps).build();
        call = null;
        steps = null;
        loop.repeating(this, false);
        hand(early);
        return true;
    }

    /** Whether an early answer waits for the client's next request. */
    boolean adopting() {
        return adopt != null;
    }

    /** Engine thread: the client's request after an early answer takes over the call in flight. */
    private void adoptBy(SyscallRequest r) {
        SyscallRequest inFlight = adopt;
        adopt = null;
        loop.adopted(this);
        SyscallRequest asCall = r.toBuilder().clearSeq().clearRepeat().build();
        if (invalid(r) != null || !asCall.equals(inFlight.toBuilder().clearSeq().build())) {
            loop.kill(tid, this, "after a repeated call answered early, the next request must be the call it had in flight ("
                    + inFlight.getCallCase().name().toLowerCase(java.util.Locale.ROOT) + ", no userspace time)");
            return;
        }
        begin(r);
        SyscallReply waiting = adoptedReply;
        adoptedReply = null;
        if (waiting != null) {
            reply(waiting);
        }
    }

    /** What the loop calls after {@code r}, or null when {@code r} is the answer. */
    private SyscallRequest next(SyscallReply r) {
        if (inWait) {
            return r.getRet() < 0 ? null : call;
        }
        if (r.getRet() >= 0 || r.getErrno() != Errno.EAGAIN) {
            return null;
        }
        wouldBlocks++;
        if (idleSince < 0) {
            idleSince = r.getEntryTimeNs();
        }
        if (wouldBlocks >= repeat.getMaxWouldBlocks()) {
            return null;
        }
        if (repeat.getIdleBoundNs() > 0 && r.getExitTimeNs() - idleSince >= repeat.getIdleBoundNs()) {
            return null;
        }
        return wait != null ? wait : call;
    }

    /**
     * The thread is gone. A repeated call cut short first answers with what it completed (the last completed
     * call as the reply, the ones before it as steps), so the client learns of every syscall it would have
     * seen answered had it looped itself, and then of the end, as its next call would.
     */
    @Override
    public void ended(String reason) {
        if (gone) {
            return; // a call after the end is refused with a reason of its own: the client keeps the first
        }
        gone = true;
        if (call != null) {
            answerEarly();
        }
        call = null;
        steps = null;
        adopt = null;
        adoptedReply = null;
        loop.repeating(this, false);
        loop.adopted(this);
        loop.send(() -> client.ended(reason));
    }
}
