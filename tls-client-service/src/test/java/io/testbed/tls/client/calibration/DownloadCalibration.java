package io.testbed.tls.client.calibration;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.ForwardingUserThread;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.download.DownloadPlan;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.ScratchDownloader;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 14's download references replayed with Akuma's scratch client (tls-client) against the real git
 * server on an in-process simulated machine (kernel-sim, virtual clock): the clone runs until the pack
 * has been written to {@code tmp.pack} and is about to be read back, where the runner stops it (C4 and
 * C5 are about the download). While it runs, every TLS read of the pack response is sampled with its
 * simulated time (after the write of its band-1 bytes, when scratch would print), so the display Akuma's
 * scratch shows can be computed as it does: floor(bytes x 976 / µs), its clock starting when the pack
 * request has been sent.
 */
final class DownloadCalibration {
    static final SimulatedMachines SIM = SimulatedMachines.get();
    /** The machine's counters at the end of the last {@link #run} (for the C4 benchmark runner). */
    static volatile Map<String, Long> lastCounters = Map.of();

    /** What one download gave: the request-sent time, (bytes received, time) per TLS read, the end of the download. */
    record Run(long requestSentNs, List<long[]> samples, long downloadEndNs, long firstSyscallNs, String status, int packWrites) {

        /** Akuma's display at the first TLS read that brought the body to at least {@code bytes}: floor(KiB/s). */
        long kbpsAt(long bytes) {
            for (long[] s : samples) {
                if (s[0] >= bytes) {
                    return display(s[0], s[1] - requestSentNs);
                }
            }
            throw new IllegalStateException("the download never reached " + bytes + " bytes (" + received() + ")");
        }

        /** Akuma's display at the end of the download ("download finished, total N KB (R kbps)"). */
        long kbpsAtEnd() {
            long[] last = samples.get(samples.size() - 1);
            return display(last[0], last[1] - requestSentNs);
        }

        long received() {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[0];
        }

        /** Seconds from the client's first syscall until tmp.pack was closed (the download phase). */
        double downloadSeconds() {
            return (downloadEndNs - firstSyscallNs) / 1e9;
        }

        static long display(long bytes, long ns) {
            return bytes * 976 / Math.max(1, ns / 1_000);
        }
    }

    private DownloadCalibration() {
    }

    /** Akuma's libakuma-tls transport with the given read and write sleeps (the default policy of scratch). */
    static PolicySpec akumaTls(int readSleepMs, int writeSleepMs) {
        return new PolicySpec("akuma-tls", readSleepMs, null, null, null, null, null, null, writeSleepMs);
    }

    /** The modelled userspace CPU with its TLS costs scaled by {@code factor} (1: the fitted table). */
    static CpuSpec cpu(double factor) {
        if (factor == 1.0) {
            return CpuSpec.modelled();
        }
        io.testbed.tls.client.cpu.UserCostTable t = io.testbed.tls.client.cpu.UserCostTable.akumaQemuTcg();
        return new CpuSpec("modelled", Math.round(t.handshakeNs() / 1e3 * factor), Math.round(t.aesGcmPerRecordNs() * factor),
                Math.round(t.aesGcmPerByteNs() * factor), Math.round(t.packPerByteNs() * factor), null);
    }

    /** Runs scratch on a fresh machine of {@code profile} + {@code overrides} until the pack is downloaded. */
    static Run run(String profile, Map<String, String> overrides, String repo, PolicySpec policy, CpuSpec cpu) throws IOException {
        Map<String, String> o = new LinkedHashMap<>(overrides);
        o.put("upstream.quiet_ms", "1000"); // the harness waits for the real server's answers: figures repeat
        String machine = SIM.create(profile, o);
        try {
            Recorder rec = new Recorder(SIM.kernel());
            DownloadPlan plan = new DownloadPlan("cal-" + repo, machine, repo, "git.testbed", 443, TlsEngines.get("bc"),
                    new TlsSettings("git.testbed", ServerVerifier.fromCaFile(SIM.git().caFile()), null, null),
                    WouldBlockPolicies.create(policy), 4096, FetchOptions.defaults("scratch/1.0"), cpu, false, true);
            DownloadResult r = ScratchDownloader.run(rec, plan, new DownloadProgress(new IoStats()), rec::trace);
            if (rec.downloadEndNs < 0) {
                throw new IllegalStateException("the download did not complete: " + r.status() + " " + r.error());
            }
            lastCounters = SIM.counters(machine);
            return new Run(rec.requestSentNs, rec.samples, rec.downloadEndNs, rec.firstNs, r.status(), rec.packWrites);
        } finally {
            SIM.delete(machine);
        }
    }

    /** Stops the clone where the pack is read back. */
    static final class StopAtReadBack extends RuntimeException {
        StopAtReadBack() {
            super("calibration: stopped at the pack's read-back", null, false, false);
        }
    }

    /** A kernel whose threads note every syscall's time, and a trace consumer that notes the TLS reads. */
    static final class Recorder implements Kernel {
        private final Kernel delegate;
        final List<long[]> samples = new ArrayList<>();
        long firstNs = -1;
        long lastExitNs;
        long lastSendtoExitNs;
        long requestSentNs = -1;
        long received;
        boolean pending;
        long downloadEndNs = -1;
        /** write() calls to a file while the pack arrives (one per TLS read that completed a pkt-line). */
        int packWrites;

        Recorder(Kernel delegate) {
            this.delegate = delegate;
        }

        /** The trace: "# tls read N" marks one 4096-byte TLS read of the pack response. */
        void trace(String line) {
            if (line.startsWith("# tls read ")) {
                if (requestSentNs < 0) {
                    requestSentNs = lastSendtoExitNs; // the last send before the response: the request
                }
                if (pending) {
                    samples.add(new long[] {received, lastExitNs}); // the previous read, served with no syscall since
                }
                received += Long.parseLong(line.substring("# tls read ".length()).trim());
                pending = true;
            }
        }

        private void before(SyscallRequest.Builder req) {
            boolean fileWrite = req.getCallCase() == SyscallRequest.CallCase.WRITE && req.getWrite().getFd() > 2;
            if (pending && !fileWrite) {
                samples.add(new long[] {received, lastExitNs}); // a read with nothing to write
                pending = false;
            }
            if (req.getCallCase() == SyscallRequest.CallCase.OPENAT && req.getOpenat().getPath().endsWith("tmp.pack")
                    && (req.getOpenat().getFlags() & 3) == Errno.O_RDONLY && requestSentNs >= 0) {
                downloadEndNs = lastExitNs;
                throw new StopAtReadBack();
            }
        }

        private void after(SyscallRequest.Builder req, SyscallReply r) {
            if (firstNs < 0) {
                firstNs = r.getEntryTimeNs();
            }
            lastExitNs = r.getExitTimeNs();
            if (req.getCallCase() == SyscallRequest.CallCase.SENDTO) {
                lastSendtoExitNs = lastExitNs;
            }
            if (pending && req.getCallCase() == SyscallRequest.CallCase.WRITE && req.getWrite().getFd() > 2) {
                packWrites++;
                samples.add(new long[] {received, lastExitNs});
                pending = false;
            }
        }

        @Override
        public UserThread attach(String machineId, String threadName, String owner) {
            return new ForwardingUserThread(delegate.attach(machineId, threadName, owner)) {

                @Override
                public SyscallReply invoke(SyscallRequest.Builder request) {
                    before(request);
                    SyscallReply r = super.invoke(request);
                    after(request, r);
                    return r;
                }
            };
        }

        @Override
        public void close() {
            // the shared in-process kernel stays open
        }
    }
}
