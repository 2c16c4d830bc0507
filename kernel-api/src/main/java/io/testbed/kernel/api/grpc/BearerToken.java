package io.testbed.kernel.api.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The gRPC ABI's one credential (issue 16): {@code authorization: Bearer <token>} metadata on every call.
 * kernel-sim checks it with {@link #serverInterceptor()} when its gRPC port is opened beyond loopback;
 * tls-client and the gateway attach it to their channels with {@link #clientInterceptor()} when they have a token. The
 * token is compared in constant time ({@link MessageDigest#isEqual}), so a caller cannot learn it
 * byte by byte from how long a refusal takes.
 */
public final class BearerToken {

    /** The metadata key: the same header HTTP uses. */
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";

    private final byte[] token;

    /**
     * @param token the shared secret (testbed.security.token); printable ASCII without spaces, at least 16 characters
     * @throws IllegalArgumentException for a token that could not travel in a header or is too short to be a secret
     */
    public BearerToken(String token) {
        String problem = problem(token);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What is wrong with {@code token} as a bearer token, or null when it is fine: the services refuse to
     * start with this message rather than accept a token a header cannot carry or a guess finds.
     */
    public static String problem(String token) {
        if (token == null || token.isEmpty()) {
            return "the token is empty";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return "the token has a character that is not printable ASCII (or is a space) at index " + i;
            }
        }
        if (token.length() < 16) {
            return "the token has " + token.length() + " characters; use at least 16 (e.g. openssl rand -hex 32)";
        }
        return null;
    }

    /** Whether an {@code Authorization} value carries this token ({@code Bearer <token>}), in constant time. */
    public boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] given = authorization.substring(SCHEME.length()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token);
    }

    /** The {@code Authorization} header value a client sends. */
    public String headerValue() {
        return SCHEME + new String(token, StandardCharsets.US_ASCII);
    }

    /** Sends the token on every call of a channel ({@code ManagedChannelBuilder.intercept(...)}). */
    public io.grpc.ClientInterceptor clientInterceptor() {
        String value = headerValue();
        return new io.grpc.ClientInterceptor() {
            @Override
            public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method,
                                                                 io.grpc.CallOptions options, io.grpc.Channel next) {
                return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, value);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /** Refuses every call without this token: {@code UNAUTHENTICATED}, before any handler runs. */
    public ServerInterceptor serverInterceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String given = headers.get(AUTHORIZATION);
                if (!matches(given)) {
                    call.close(Status.UNAUTHENTICATED.withDescription(given == null
                            ? "this kernel is opened beyond loopback: send 'authorization: Bearer <testbed.security.token>' metadata"
                            : "the bearer token is not this kernel's testbed.security.token"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }
}
