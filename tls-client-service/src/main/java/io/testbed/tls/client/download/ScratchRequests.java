package io.testbed.tls.client.download;

import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.KernelTargets;


/**
 * What a request for client {@code scratch} may ask: Akuma's scratch has no choice of TLS version or
 * suite (embedded-tls: TLS 1.3, TLS_AES_128_GCM_SHA256), of git protocol (v0: it sends no
 * Git-Protocol header), of connection reuse (a new connection per request) or of server progress
 * (it never sends no-progress). Asking for anything else is a clear 400, not a silent change.
 */
final class ScratchRequests {

    private ScratchRequests() {
    }

    static void validate(DownloadRequest r, String kernel) {
        if (KernelTargets.HOST.equals(kernel)) {
            throw new InvalidDownloadException("kernel", "client scratch clones into the machine's file system: it needs a "
                    + "kernel-sim machine, not the host kernel (which has sockets only)");
        }
        if (r.tlsVersions() != null && !r.tlsVersions().isEmpty() && !r.tlsVersions().equals(TlsSettings.AKUMA_VERSIONS)) {
            throw new InvalidDownloadException("tls", "client scratch speaks only " + TlsSettings.AKUMA_VERSIONS
                    + " (embedded-tls 0.17), was " + r.tlsVersions());
        }
        if (r.cipherSuites() != null && !r.cipherSuites().isEmpty() && !r.cipherSuites().equals(TlsSettings.AKUMA_CIPHER_SUITES)) {
            throw new InvalidDownloadException("tls", "client scratch offers only " + TlsSettings.AKUMA_CIPHER_SUITES
                    + " (libakuma-tls Aes128GcmSha256), was " + r.cipherSuites());
        }
        if (r.protocol() != null && !r.protocol().isBlank() && !r.protocol().equals(FetchOptions.V0)) {
            throw new InvalidDownloadException("protocol", "client scratch speaks git protocol v0 only (no Git-Protocol header), was '"
                    + r.protocol() + "'");
        }
        if (Boolean.TRUE.equals(r.keepAlive())) {
            throw new InvalidDownloadException("keepAlive", "client scratch opens a new connection per request (Connection: close); keepAlive must be false or absent");
        }
        if (Boolean.FALSE.equals(r.progress())) {
            throw new InvalidDownloadException("progress", "client scratch never sends no-progress (its band-2 lines are printed as 'remote: ...'); progress must be true or absent");
        }
        if (r.readSize() != null && r.readSize() != io.testbed.tls.client.transport.SyscallSocket.DEFAULT_READ_SIZE) {
            throw new InvalidDownloadException("readSize", "client scratch reads what fits its 16 KiB record buffer and Akuma's kernel returns at most 4096 bytes per recvfrom; readSize must be 4096 or absent, was " + r.readSize());
        }
    }
}
