package io.testbed.tls.client.download;

import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.cpu.UserCpuAccounting;
import io.testbed.tls.client.cpu.UserCpuModes;
import io.testbed.tls.client.git.PackRejectedException;
import io.testbed.tls.client.git.PackSha1;
import io.testbed.tls.client.scratch.NetworkTrace;
import io.testbed.tls.client.scratch.ScratchClient;
import io.testbed.tls.client.scratch.ScratchSys;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.transport.PackParser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs client {@code scratch}: Akuma's scratch clone ({@link ScratchClient}) as one simulated
 * process on the machine, every file operation a syscall of its file system. Afterwards, outside the
 * simulated process (no syscalls, no simulated time), the pack as read back from {@code tmp.pack} is
 * checked by JGit's {@link PackParser} in memory (trailer SHA-1, every object) and compared with
 * the bytes received; {@code pack.verified} says both held. Client {@code scratch-pack} stops when the pack
 * is downloaded: JGit checks the bytes as received (there is no read-back).
 */
public final class ScratchDownloader {

    private ScratchDownloader() {
    }

    /**
     * @param trace told one line per syscall the client makes besides the network's (tests), or null
     * @return never throws for a failed download: the failure is the result
     */
    public static DownloadResult run(Kernel kernel, DownloadPlan plan, DownloadProgress progress, Consumer<String> trace) {
        long wallStart = System.nanoTime();
        IoStats stats = progress.stats();
        Downloader.Handshake handshake = new Downloader.Handshake();
        UserThread raw = null;
        String cpuLabel = null;
        ScratchSys sys = null;
        ScratchClient client = null;
        try {
            UserCpuAccounting cpu = UserCpuModes.create(plan.cpu());
            cpuLabel = cpu.label();
            raw = kernel.attach(plan.machineId(), "download-" + plan.id(), plan.id());
            AccountingThread thread = new AccountingThread(trace == null ? raw : new NetworkTrace(raw, trace), stats, cpu);
            sys = new ScratchSys(thread, trace);
            client = new ScratchClient(sys, after -> Downloader.connect(thread, plan, handshake, after), plan.host(),
                    plan.repo(), progress::update, plan.packOnly());
            ScratchClient.Outcome o = client.cloneRepo();
            progress.settle(o.packBytes());
            DownloadResult.Pack pack = verify(o);
            return Downloader.result(null, stats, o.packBytes(), wallStart, handshake, cpuLabel,
                    plan.tls().verifier().label(), pack, new DownloadResult.Git("HEAD", o.commit(), o.remote()))
                    .withFileIo(fileIo(sys, o, stats));
        } catch (IOException | RuntimeException e) {
            ScratchClient.Outcome o = client == null ? null : client.outcome();
            long bytes = o == null ? 0 : o.packBytes();
            progress.settle(bytes);
            Throwable cause = o != null && o.readError() != null && e instanceof PackRejectedException
                    ? withReadError(e, o.readError()) : e;
            return Downloader.result(cause, stats, bytes, wallStart, handshake, cpuLabel, plan.tls().verifier().label(),
                    null, DownloadResult.Git.progressOnly(o == null ? List.of() : o.remote()))
                    .withFileIo(sys == null ? null : fileIo(sys, o, stats));
        } finally {
            if (raw != null) {
                try {
                    raw.close();
                } catch (RuntimeException ignored) {
                    // the thread is gone either way
                }
            }
        }
    }

    /** A pack scratch could not parse after a TLS read failed: the read is the story. */
    private static Throwable withReadError(Throwable e, IOException readError) {
        PackRejectedException p = new PackRejectedException(e.getMessage() + " (the body ended at a TLS read error: "
                + FailureReason.message(readError) + ")", readError);
        return p;
    }

    /** JGit's verdict on the bytes read back, and whether they are the bytes received. */
    static DownloadResult.Pack verify(ScratchClient.Outcome o) throws PackRejectedException {
        byte[] pack = o.pack();
        if (!o.readBackMatches()) {
            throw new PackRejectedException("pack rejected: tmp.pack read back differs from the " + o.packBytes()
                    + " bytes received (" + pack.length + " bytes read)", null);
        }
        PackSha1.useJdkUnlessSet();
        try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("scratch-check"));
             ObjectInserter inserter = repo.newObjectInserter()) {
            PackParser parser = inserter.newPackParser(new ByteArrayInputStream(pack));
            parser.setObjectChecking(true);
            parser.setAllowThin(false);
            parser.parse(NullProgressMonitor.INSTANCE);
            inserter.flush();
            if (!o.packOnly() && parser.getObjectCount() != o.packObjects()) {
                throw new PackRejectedException("pack rejected: JGit counts " + parser.getObjectCount()
                        + " objects, scratch stored " + o.objectsStored(), null);
            }
            String trailer = HexFormat.of().formatHex(pack, pack.length - 20, pack.length);
            return new DownloadResult.Pack(trailer, parser.getObjectCount(), true);
        } catch (PackRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PackRejectedException("pack rejected: " + e.getMessage(), e);
        }
    }

    static DownloadResult.FileIo fileIo(ScratchSys sys, ScratchClient.Outcome o, IoStats stats) {
        ScratchSys.Figures f = sys.figures();
        long start = stats.firstEntryNs();
        long end = stats.lastExitNs();
        long download = o == null || o.downloadEndNs() < 0 ? end : o.downloadEndNs();
        long packRead = o == null || o.packReadEndNs() < 0 ? Math.max(download, end) : o.packReadEndNs();
        long unpack = o == null || o.unpackEndNs() < 0 ? Math.max(packRead, end) : o.unpackEndNs();
        return new DownloadResult.FileIo(f.fileSyscalls(), f.opens(), f.fileReads(), f.fileWrites(), f.mkdirs(),
                f.bytesRead(), f.bytesWritten(), f.fsTimeNs(), f.consoleWrites(), f.consoleBytes(), f.mmaps(),
                f.mmapBytes(), o == null ? 0 : o.objectsStored(), o == null ? 0 : o.files().size(),
                Math.max(0, download - start), Math.max(0, packRead - download), Math.max(0, unpack - packRead),
                Math.max(0, end - unpack), o != null && o.readBackMatches());
    }
}
