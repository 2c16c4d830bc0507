package io.testbed.tls.client.git;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The answer to {@code GET info/refs?service=git-upload-pack} (smart HTTP v0/v1): the service line,
 * a flush, then one ref per pkt-line, the first carrying the capabilities after a NUL.
 */
public record RefAdvertisement(Map<String, String> refs, Set<String> capabilities) {

    static final String SERVICE_LINE = "# service=git-upload-pack";

    public static RefAdvertisement parse(InputStream body) throws IOException {
        PktLineReader pkt = new PktLineReader(body);
        byte[] first = pkt.read();
        if (first == null || first == PktLineReader.FLUSH || !PktLineReader.text(first).equals(SERVICE_LINE)) {
            throw new GitProtocolException("not a smart HTTP upload-pack advertisement (expected '" + SERVICE_LINE + "')");
        }
        byte[] flush = pkt.read();
        if (flush != PktLineReader.FLUSH) {
            throw new GitProtocolException("no flush after the service line");
        }
        Map<String, String> refs = new LinkedHashMap<>();
        Set<String> caps = new LinkedHashSet<>();
        boolean firstRef = true;
        byte[] line;
        while ((line = pkt.read()) != null && line != PktLineReader.FLUSH) {
            String text = PktLineReader.text(line);
            if (text.startsWith("ERR ")) {
                throw new GitServerException(text.substring(4));
            }
            if (firstRef && text.equals("version 1")) {
                continue;
            }
            if (firstRef) {
                int nul = text.indexOf('\0');
                if (nul >= 0) {
                    caps.addAll(Arrays.asList(text.substring(nul + 1).trim().split(" ")));
                    text = text.substring(0, nul);
                }
                firstRef = false;
            }
            int space = text.indexOf(' ');
            if (space != 40) {
                throw new GitProtocolException("bad ref line: " + text);
            }
            String name = text.substring(41);
            if (!name.equals("capabilities^{}")) {
                refs.put(name, text.substring(0, 40));
            }
        }
        if (line == null) {
            throw new GitProtocolException("ref advertisement ended without a flush");
        }
        return new RefAdvertisement(Collections.unmodifiableMap(refs), Collections.unmodifiableSet(caps));
    }

    /** The ref Akuma's scratch clones: HEAD, else refs/heads/main, else refs/heads/master. */
    public Map.Entry<String, String> defaultRef() throws GitProtocolException {
        for (String name : new String[] {"HEAD", "refs/heads/main", "refs/heads/master"}) {
            String id = refs.get(name);
            if (id != null) {
                return Map.entry(name, id);
            }
        }
        throw new GitProtocolException(refs.isEmpty() ? "the repository is empty"
                : "no HEAD, refs/heads/main or refs/heads/master among " + refs.keySet());
    }
}
