package io.testbed.tls.client.scratch;

import io.testbed.tls.client.git.GitProtocolException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * scratch's pkt-line side of the protocol (userspace/scratch/src/protocol.rs @7b52ac2):
 * {@code parse_ref_discovery} (the service line, a flush, then {@code <id> <name>[\0caps]} lines until a
 * flush) and {@code build_upload_pack_request} (517-552): {@code multi_ack}, then {@code side-band-64k}
 * (or {@code side-band}) and {@code ofs-delta} when the server offers them, {@code agent=scratch/1.0};
 * no {@code no-progress}; one want per distinct ref id; flush; {@code done}.
 */
final class RefLines {
    private RefLines() {
    }

    /** Fills {@code refs} (name -> id, in order) and returns the first line's capabilities ("" if none). */
    static String parse(byte[] data, Map<String, String> refs) throws GitProtocolException {
        int[] pos = {0};
        String service = line(data, pos);
        if (service == null || !service.contains("git-upload-pack")) {
            throw new GitProtocolException("unexpected service line '" + service + "'");
        }
        line(data, pos); // the flush after the service line
        String caps = "";
        boolean first = true;
        while (pos[0] < data.length) {
            String l = line(data, pos);
            if (l == null) {
                break;
            }
            if (l.endsWith("\n")) {
                l = l.substring(0, l.length() - 1);
            }
            int nul = l.indexOf('\0');
            String refPart = nul >= 0 ? l.substring(0, nul) : l;
            int space = refPart.indexOf(' ');
            if (space != 40) {
                continue; // parse_ref_line: not "<40 hex> <name>"
            }
            String id = refPart.substring(0, 40);
            if (!id.matches("[0-9a-f]{40}")) {
                throw new GitProtocolException("invalid ref SHA '" + id + "'");
            }
            refs.put(refPart.substring(41), id);
            if (first) {
                caps = nul >= 0 ? l.substring(nul + 1) : "";
                first = false;
            }
        }
        return caps;
    }

    /** One pkt-line's payload, or null for a flush/delim/end packet. */
    private static String line(byte[] data, int[] pos) throws GitProtocolException {
        if (data.length - pos[0] < 4) {
            throw new GitProtocolException("pkt-line too short");
        }
        int len = Sideband.hex4(data, pos[0]);
        if (len < 0) {
            throw new GitProtocolException("invalid pkt-line length: got '"
                    + new String(data, pos[0], 4, StandardCharsets.ISO_8859_1) + "' (expected hex)");
        }
        if (len <= 2) {
            pos[0] += 4;
            return null;
        }
        if (len < 4 || pos[0] + len > data.length) {
            throw new GitProtocolException("pkt-line length " + len + " out of range");
        }
        String s = new String(data, pos[0] + 4, len - 4, StandardCharsets.UTF_8);
        pos[0] += len;
        return s;
    }

    static boolean hasCap(String caps, String cap) {
        for (String c : caps.split(" ")) {
            if (c.equals(cap)) {
                return true;
            }
        }
        return false;
    }

    /** The upload-pack request body. */
    static byte[] uploadPackRequest(List<String> wants, String serverCaps) {
        StringBuilder caps = new StringBuilder("multi_ack");
        if (hasCap(serverCaps, "side-band-64k")) {
            caps.append(" side-band-64k");
        } else if (hasCap(serverCaps, "side-band")) {
            caps.append(" side-band");
        }
        if (hasCap(serverCaps, "ofs-delta")) {
            caps.append(" ofs-delta");
        }
        caps.append(" agent=scratch/1.0");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < wants.size(); i++) {
            pkt(body, i == 0 ? "want " + wants.get(i) + " " + caps + "\n" : "want " + wants.get(i) + "\n");
        }
        body.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        pkt(body, "done\n");
        return body.toByteArray();
    }

    private static void pkt(ByteArrayOutputStream out, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(String.format("%04x", b.length + 4).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
    }
}
