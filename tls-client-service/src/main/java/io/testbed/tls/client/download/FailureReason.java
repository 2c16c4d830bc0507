package io.testbed.tls.client.download;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.KernelException;
import io.testbed.tls.client.git.GitProtocolException;
import io.testbed.tls.client.git.GitServerException;
import io.testbed.tls.client.git.PackRejectedException;
import io.testbed.tls.client.http.HttpProtocolException;
import io.testbed.tls.client.http.HttpStatusException;
import io.testbed.tls.client.transport.IdleTimeoutException;
import io.testbed.tls.client.transport.SyscallException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsException;
import org.bouncycastle.tls.TlsFatalAlert;

import javax.net.ssl.SSLException;
import java.security.cert.CertificateException;
import java.util.List;

/**
 * The bounded set of failure reasons used as a metric tag and in results, and the person-readable
 * message of a failure.
 */
public final class FailureReason {
    public static final List<String> ALL = List.of("certificate", "tls", "idle_timeout", "connection_refused",
            "connection_reset", "timed_out", "network_down", "unreachable", "syscall", "http", "git_server",
            "git_protocol", "pack_rejected", "kernel", "config", "other");

    private FailureReason() {
    }

    public static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // JSSE engines wrap the TrustManager's refusal in an SSLHandshakeException
            if (t instanceof CertificateException) {
                return "certificate";
            }
        }
        // the transport's failures (the kernel gone, a socket error, the idle bound) first: the layers
        // above wrap them (a pack parser fed by a broken stream says "pack rejected")
        Throwable transport = transportCause(e);
        if (transport instanceof KernelException) {
            return "kernel";
        }
        if (transport instanceof IdleTimeoutException) {
            return "idle_timeout";
        }
        if (transport instanceof SyscallException s) {
            return switch (s.errno()) {
                case Errno.ECONNREFUSED -> "connection_refused";
                case Errno.ECONNRESET, Errno.EPIPE -> "connection_reset";
                case Errno.ETIMEDOUT -> "timed_out";
                case Errno.ENETDOWN -> "network_down";
                case Errno.ENETUNREACH, Errno.EHOSTUNREACH -> "unreachable";
                default -> "syscall";
            };
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TlsFatalAlert a && a.getAlertDescription() == AlertDescription.bad_certificate) {
                return "certificate";
            }
            if (t instanceof CertificateException) {
                return "certificate";
            }
            if (t instanceof TlsException || t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof PackRejectedException) {
                return "pack_rejected";
            }
            if (t instanceof GitServerException) {
                return "git_server";
            }
            if (t instanceof GitProtocolException) {
                return "git_protocol";
            }
            if (t instanceof HttpStatusException || t instanceof HttpProtocolException) {
                return "http";
            }
            if (t instanceof KernelException) {
                return "kernel";
            }
            if (t instanceof ConfigurationException) {
                return "config";
            }
        }
        return "other";
    }

    /** The first failure of the kernel or the socket in the cause chain (they explain the rest), or null. */
    private static Throwable transportCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KernelException || t instanceof IdleTimeoutException || t instanceof SyscallException) {
                return t;
            }
        }
        return null;
    }

    /**
     * The message shown in results: the certificate check's own words for certificate failures, the
     * kernel's or the socket's for a failure they caused (whatever layer reported it).
     */
    public static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException && t.getMessage() != null) {
                return "TLS handshake failed: " + t.getMessage();
            }
        }
        Throwable transport = transportCause(e);
        if (transport != null && transport != e && transport.getMessage() != null) {
            return transport.getMessage();
        }
        if (e instanceof TlsException || e instanceof SSLException) {
            Throwable cause = e.getCause();
            return "TLS failed: " + e.getMessage()
                    + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** A download could not be set up from the service's configuration (CA file missing, ...). */
    public static final class ConfigurationException extends java.io.IOException {
        public ConfigurationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
