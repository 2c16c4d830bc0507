package io.testbed.kernel.sim.api.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.SyscallsGrpc;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.kernel.sim.runtime.SyscallRepeater;
import io.testbed.kernel.sim.syscall.ReplySink;

/**
 * The syscall ABI over gRPC: one bidirectional stream per simulated user thread. The first request
 * must be {@code attach}; every later one is handed to the machine's engine in order. Protocol errors
 * end the stream with a gRPC status; syscall errors are replies with an errno.
 */
public class SyscallService extends SyscallsGrpc.SyscallsImplBase {
    private static final int MAX_NAME = 64;
    /** Attach.owner is an id the caller matches on, so a longer one is refused rather than cut. */
    static final int MAX_OWNER = 128;
    private final MachineRegistry registry;

    public SyscallService(MachineRegistry registry) {
        this.registry = registry;
    }

    @Override
    public StreamObserver<SyscallRequest> thread(StreamObserver<SyscallReply> responses) {
        return new ThreadStream((ServerCallStreamObserver<SyscallReply>) responses);
    }

    private final class ThreadStream implements StreamObserver<SyscallRequest>, ReplySink {
        private final ServerCallStreamObserver<SyscallReply> out;
        private volatile Machine machine;
        private volatile SyscallRepeater repeater;
        private volatile int tid = -1;
        private volatile boolean attaching;
        private boolean finished;

        ThreadStream(ServerCallStreamObserver<SyscallReply> out) {
            this.out = out;
            // a client that cancels (or vanishes) must not leave its thread and sockets behind
            out.setOnCancelHandler(() -> {
                synchronized (this) {
                    finished = true;
                }
                detach("client cancelled the stream");
            });
        }

        @Override
        public void onNext(SyscallRequest req) {
            if (tid < 0) {
                if (attaching) {
                    end(Status.FAILED_PRECONDITION.withDescription("wait for the attach reply before the first syscall"));
                    return;
                }
                if (!req.hasAttach()) {
                    end(Status.FAILED_PRECONDITION.withDescription("the first request of a thread stream must be attach"));
                    return;
                }
                attach(req);
                return;
            }
            if (req.hasAttach()) {
                // a thread attaches once; a second attach is a bad argument, not a new thread
                Machine m = machine;
                reply(SyscallReply.newBuilder().setSeq(req.getSeq()).setRet(-1).setErrno(Errno.EINVAL)
                        .setEntryTimeNs(m.loop().now()).setExitTimeNs(m.loop().now()).build());
                return;
            }
            repeater.submit(req);
        }

        private void attach(SyscallRequest req) {
            String id = req.getAttach().getMachineId();
            Machine m = registry.get(id);
            if (m == null || m.loop().stopped()) {
                end(Status.NOT_FOUND.withDescription("no machine '" + truncate(id) + "'"));
                return;
            }
            if (req.getAttach().getOwner().length() > MAX_OWNER) {
                end(Status.INVALID_ARGUMENT.withDescription("owner is at most " + MAX_OWNER + " characters"));
                return;
            }
            attaching = true;
            machine = m;
            SyscallRepeater link = new SyscallRepeater(m.loop(), this);
            repeater = link;
            String name = truncate(req.getAttach().getName().isBlank() ? "user" : req.getAttach().getName());
            long seq = req.getSeq();
            String owner = req.getAttach().getOwner();
            m.loop().attach(name, owner, link).whenComplete((t, e) -> {
                attaching = false;
                if (e != null) {
                    end(Status.UNAVAILABLE.withDescription("machine '" + id + "' is gone"));
                } else if (t == io.testbed.kernel.sim.machine.MachineModel.ATTACH_TIME_LIMIT) {
                    end(Status.FAILED_PRECONDITION.withDescription("machine '" + id
                            + "' reached machine.max_simulated_s and takes no new threads; delete it"));
                } else if (t < 0) {
                    end(Status.RESOURCE_EXHAUSTED.withDescription("machine '" + id + "' has no free thread slot"));
                } else {
                    link.attached(t);
                    tid = t;
                    boolean gone;
                    synchronized (this) {
                        gone = finished;
                    }
                    if (gone) {
                        // the stream ended while the attach was on its way: don't leave the thread behind
                        detach("client stream ended during attach");
                        return;
                    }
                    long now = m.loop().now();
                    reply(SyscallReply.newBuilder().setSeq(seq).setRet(t).setTid(t)
                            .setEntryTimeNs(now).setExitTimeNs(now).build());
                }
            });
        }

        private String truncate(String s) {
            return s.length() <= MAX_NAME ? s : s.substring(0, MAX_NAME);
        }

        @Override
        public void onError(Throwable t) {
            // the call is over (cancelled by the client, or closed by gRPC itself, e.g. an oversized
            // message): gRPC has the status already; only reap the thread
            synchronized (this) {
                finished = true;
            }
            detach("client stream error: " + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
            detach("client closed the stream");
            synchronized (this) {
                if (!finished) {
                    finished = true;
                    out.onCompleted();
                }
            }
        }

        private void detach(String reason) {
            SyscallRepeater link = repeater;
            if (link != null) {
                link.detach(reason);
            }
        }

        private void end(Status status) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            try {
                out.onError(status.asRuntimeException());
            } catch (IllegalStateException ignored) {
                // the call is already closed
            }
        }

        // ---- ReplySink: called on the engine thread ----

        @Override
        public synchronized void reply(SyscallReply reply) {
            if (finished || out.isCancelled()) {
                return;
            }
            try {
                out.onNext(reply);
            } catch (RuntimeException ignored) {
                // the client went away; its detach follows
            }
        }

        @Override
        public void ended(String reason) {
            if ("exit".equals(reason)) {
                synchronized (this) {
                    if (finished) {
                        return;
                    }
                    finished = true;
                }
                try {
                    out.onCompleted();
                } catch (IllegalStateException ignored) {
                    // already closed
                }
            } else {
                end(Status.ABORTED.withDescription("thread killed: " + reason));
            }
        }
    }
}
