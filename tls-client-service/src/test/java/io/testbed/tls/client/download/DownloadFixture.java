package io.testbed.tls.client.download;

import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.transport.IoStats;

import java.util.List;

/** Builds {@link Download}s for tests outside this package. */
public final class DownloadFixture {
    private DownloadFixture() {
    }

    /** A running download whose progress has seen {@code packBytes} pack bytes over {@code stats}. */
    public static Download running(IoStats stats, long packBytes) {
        Download d = download(new DownloadProgress(stats));
        d.progress().update(packBytes);
        return d;
    }

    /** A download that finished with {@code result}. */
    public static Download finished(DownloadResult result) {
        Download d = download(new DownloadProgress(new IoStats()));
        d.finish(result);
        return d;
    }

    private static Download download(DownloadProgress progress) {
        return new Download("d-1", "simulated", "m-1", "pack-4m", "bc", PolicySpec.of("sleep"), "sleep 1 ms", "ca",
                4096, List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256"), "v0", false, CpuSpec.zero(), false,
                progress);
    }
}
