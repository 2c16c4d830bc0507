package io.testbed.web.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The bearer token of issue 16, item 5 ({@code testbed.security.*}): checked on this service's write
 * endpoints when it binds beyond loopback, and sent to the services it calls whenever it is set.
 * <p>
 * The same rules for gateway-service, tls-client-service and git-http-server. kernel-sim checks its gRPC
 * port with kernel-api's {@code BearerToken}.
 *
 * @param token          the token itself ({@code TESTBED_TOKEN}); empty = none
 * @param tokenFile      a file holding the token (trailing white space ignored); empty = none; not both
 * @param allowAnonymous accept anonymous writes even when opened beyond loopback (a trusted network only)
 */
@ConfigurationProperties("testbed.security")
public record TokenProperties(@DefaultValue("") String token, @DefaultValue("") String tokenFile,
                              @DefaultValue("false") boolean allowAnonymous) {

    /**
     * The properties holding a service's bind addresses; any of them beyond loopback opens it. The management
     * address counts only where the management server has a port of its own (git-http-server's 8083).
     */
    static final List<String> BIND_ADDRESSES = List.of("server.address", "management.server.address");

    /**
     * The token, from {@code token} or {@code token-file}; null when neither is set.
     *
     * @throws IllegalStateException both set, an unreadable file, or a token a header cannot carry or a guess finds
     */
    public String resolve() {
        if (!token.isEmpty() && !tokenFile.isEmpty()) {
            throw new IllegalStateException("set testbed.security.token or testbed.security.token-file, not both");
        }
        String value = token;
        if (!tokenFile.isEmpty()) {
            try {
                value = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read testbed.security.token-file " + tokenFile + ": " + e, e);
            }
        }
        if (value.isEmpty()) {
            return null;
        }
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalStateException("testbed.security.token is not usable: " + problem);
        }
        return value;
    }

    /** What is wrong with a token, or null: printable ASCII without spaces, at least 16 characters. */
    static String problem(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return "it has a character that is not printable ASCII (or is a space) at index " + i;
            }
        }
        return token.length() < 16 ? "it has " + token.length() + " characters; use at least 16 (e.g. openssl rand -hex 32)" : null;
    }

    /** Whether {@code given} (the request's token) is {@code expected}, in time independent of where they differ. */
    static boolean sameToken(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bind settings of {@link #BIND_ADDRESSES} that reach beyond loopback, as {@code name=value}: unset
     * or empty (every interface), a wildcard, a non-loopback address, or a name that does not resolve.
     */
    public static List<String> openedBeyondLoopback(Environment environment) {
        List<String> opened = new ArrayList<>();
        for (String property : BIND_ADDRESSES) {
            if (property.startsWith("management.") && !ownManagementPort(environment)) {
                continue;
            }
            String address = environment.getProperty(property, "").strip();
            if (!isLoopback(address)) {
                opened.add(property + "=" + (address.isEmpty() ? "(every interface)" : address));
            }
        }
        return opened;
    }

    /** The management server listens on a port of its own (not the main one, not disabled): its address counts. */
    private static boolean ownManagementPort(Environment environment) {
        String port = environment.getProperty("management.server.port", "").strip();
        return !port.isEmpty() && !port.equals("-1")
                && (port.equals("0") || !port.equals(environment.getProperty("server.port", "8080").strip()));
    }

    /** Whether {@code address} names a loopback address; an empty or unresolvable one does not. */
    public static boolean isLoopback(String address) {
        if (address.isEmpty()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
