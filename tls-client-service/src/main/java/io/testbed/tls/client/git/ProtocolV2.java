package io.testbed.tls.client.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Git protocol v2 over smart HTTP (gitprotocol-v2): the capability advertisement, {@code ls-refs}
 * and {@code fetch} with one want and {@code done} (so the response has no acknowledgments section
 * and starts with {@code packfile}, whose data is side-band-64k).
 */
final class ProtocolV2 {
    private static final byte[] DELIM = "0001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FLUSH = "0000".getBytes(StandardCharsets.US_ASCII);

    private ProtocolV2() {
    }

    /** The server's v2 capabilities: {@code name} or {@code name=value} per line. */
    record Capabilities(Map<String, String> values) {
        static Capabilities parse(InputStream body) throws IOException {
            PktLineReader pkt = new PktLineReader(body);
            byte[] line = pkt.read();
            if (line != null && line != PktLineReader.FLUSH && PktLineReader.text(line).startsWith("# service=")) {
                if (pkt.read() != PktLineReader.FLUSH) {
                    throw new GitProtocolException("no flush after the service line");
                }
                line = pkt.read();
            }
            if (line == null || line == PktLineReader.FLUSH || !PktLineReader.text(line).equals("version 2")) {
                throw new GitProtocolException("the server did not answer protocol v2 (first line: "
                        + (line == null || line == PktLineReader.FLUSH ? "none" : "'" + PktLineReader.text(line) + "'") + ")");
            }
            Map<String, String> values = new LinkedHashMap<>();
            while ((line = pkt.read()) != null && line != PktLineReader.FLUSH) {
                String text = PktLineReader.text(line);
                int eq = text.indexOf('=');
                values.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            }
            if (!values.containsKey("ls-refs") || !values.containsKey("fetch")) {
                throw new GitProtocolException("the server's v2 capabilities lack ls-refs or fetch: " + values.keySet());
            }
            return new Capabilities(values);
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        /** The words of a capability's value ("fetch=shallow wait-for-done" -> {shallow, wait-for-done}). */
        Set<String> features(String name) {
            String v = values.get(name);
            return v == null || v.isEmpty() ? Set.of() : new LinkedHashSet<>(java.util.List.of(v.split(" ")));
        }
    }

    static byte[] lsRefsRequest(String agent, Capabilities caps) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command(out, "ls-refs", agent, caps);
        out.write(PktLineReader.encode("symrefs\n"));
        out.write(PktLineReader.encode("ref-prefix HEAD\n"));
        out.write(PktLineReader.encode("ref-prefix refs/heads/\n"));
        out.write(FLUSH);
        return out.toByteArray();
    }

    /** ls-refs answer: {@code <oid> <name>[ attributes]} per line, up to a flush. */
    static Map<String, String> parseLsRefs(InputStream body) throws IOException {
        PktLineReader pkt = new PktLineReader(body);
        Map<String, String> refs = new LinkedHashMap<>();
        byte[] line;
        while ((line = pkt.read()) != null && line != PktLineReader.FLUSH) {
            String text = PktLineReader.text(line);
            if (text.startsWith("ERR ")) {
                throw new GitServerException(text.substring(4));
            }
            String[] parts = text.split(" ");
            if (parts.length < 2 || parts[0].length() != 40) {
                throw new GitProtocolException("bad ls-refs line: " + text);
            }
            refs.put(parts[1], parts[0]);
        }
        if (line == null) {
            throw new GitProtocolException("ls-refs answer ended without a flush");
        }
        return refs;
    }

    static Map.Entry<String, String> defaultRef(Map<String, String> refs) throws GitProtocolException {
        return new RefAdvertisement(refs, Set.of()).defaultRef();
    }

    static byte[] fetchRequest(String want, String agent, Capabilities caps, boolean askProgress) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command(out, "fetch", agent, caps);
        out.write(PktLineReader.encode("want " + want + "\n"));
        out.write(PktLineReader.encode("ofs-delta\n"));
        if (!askProgress) {
            out.write(PktLineReader.encode("no-progress\n"));
        }
        out.write(PktLineReader.encode("done\n"));
        out.write(FLUSH);
        return out.toByteArray();
    }

    private static void command(ByteArrayOutputStream out, String command, String agent, Capabilities caps) throws IOException {
        out.write(PktLineReader.encode("command=" + command + "\n"));
        if (caps.has("agent")) {
            out.write(PktLineReader.encode("agent=" + agent + "\n"));
        }
        if (caps.has("object-format")) {
            out.write(PktLineReader.encode("object-format=sha1\n"));
        }
        out.write(DELIM);
    }

    /**
     * Reads the fetch response's sections up to the {@code packfile} line; an {@code ERR} line fails
     * with the server's message. (Sections before it, such as shallow-info, are skipped: none is
     * asked for.)
     */
    static void skipToPackfile(PktLineReader pkt) throws IOException {
        while (true) {
            byte[] p = pkt.read();
            if (p == null) {
                throw new GitProtocolException("fetch response ended before the packfile section");
            }
            if (p == PktLineReader.FLUSH) {
                continue; // a delimiter between sections
            }
            String text = PktLineReader.text(p);
            if (text.startsWith("ERR ")) {
                throw new GitServerException(text.substring(4));
            }
            if (text.equals("packfile")) {
                return;
            }
        }
    }
}
