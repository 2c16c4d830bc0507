package io.testbed.tls.client.git;

import io.testbed.tls.client.http.HttpClient;
import io.testbed.tls.client.http.HttpResponse;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A git smart HTTP fetch of one ref. Protocol v0/v1 as Akuma's scratch does it: {@code GET info/refs},
 * then {@code POST git-upload-pack} with one {@code want} (multi_ack_detailed side-band-64k ofs-delta
 * no-progress agent=...), a flush and {@code done}; the NAK, then the side-band stream whose pack is
 * verified by JGit. Protocol v2 ({@code Git-Protocol: version=2}): {@code GET info/refs} for the
 * capabilities, {@code command=ls-refs} for the refs, {@code command=fetch} with one want and
 * {@code done}, whose {@code packfile} section is the same side-band stream. Whether each request is
 * its own TLS connection is the {@link HttpClient}'s choice (keep-alive). One instance per fetch.
 */
public final class GitFetcher {
    /** Pack progress is reported every this many bytes (scratch shows speed every 64 KiB). */
    public static final int PROGRESS_STEP = 64 * 1024;

    private static final String ADVERTISEMENT_TYPE = "application/x-git-upload-pack-advertisement";
    private static final String REQUEST_TYPE = "application/x-git-upload-pack-request";
    private static final String RESULT_TYPE = "application/x-git-upload-pack-result";

    private final HttpClient http;
    private final FetchOptions options;
    private volatile long packBytes;

    public GitFetcher(HttpClient http, FetchOptions options) {
        this.http = http;
        this.options = options;
    }

    /** Pack bytes received so far (also after a failure). */
    public long packBytes() {
        return packBytes;
    }

    public FetchResult fetch(String repo) throws IOException {
        String base = "/" + repo + ".git";
        Map<String, String> protocolHeader = switch (options.protocol()) {
            case FetchOptions.V1 -> Map.of("Git-Protocol", "version=1");
            case FetchOptions.V2 -> Map.of("Git-Protocol", "version=2");
            default -> Map.of();
        };
        Map<String, String> getHeaders = with(protocolHeader, "Accept", "*/*");
        Map<String, String> postHeaders = with(with(protocolHeader, "Content-Type", REQUEST_TYPE), "Accept", RESULT_TYPE);
        Map.Entry<String, String> ref;
        byte[] request;
        try (HttpResponse refs = http.get(base + "/info/refs?service=git-upload-pack", getHeaders)) {
            String type = refs.header("content-type");
            if (type == null || !type.startsWith(ADVERTISEMENT_TYPE)) {
                throw new GitProtocolException("server did not answer as smart HTTP (Content-Type " + type + ")");
            }
            if (FetchOptions.V2.equals(options.protocol())) {
                ProtocolV2.Capabilities caps = ProtocolV2.Capabilities.parse(refs.body());
                refs.close();
                try (HttpResponse listed = http.post(base + "/git-upload-pack", postHeaders,
                        ProtocolV2.lsRefsRequest(options.agent(), caps))) {
                    ref = ProtocolV2.defaultRef(ProtocolV2.parseLsRefs(listed.body()));
                }
                request = ProtocolV2.fetchRequest(ref.getValue(), options.agent(), caps, options.askProgress());
            } else {
                RefAdvertisement advertisement = RefAdvertisement.parse(refs.body());
                ref = advertisement.defaultRef();
                request = uploadRequest(ref.getValue(), advertisement.capabilities());
            }
        }

        HttpResponse result = http.post(base + "/git-upload-pack", postHeaders, request);
        try {
            PktLineReader pkt = new PktLineReader(result.body());
            if (FetchOptions.V2.equals(options.protocol())) {
                ProtocolV2.skipToPackfile(pkt);
            } else {
                readAcknowledgements(pkt);
            }
            SideBandInputStream sideBand = new SideBandInputStream(pkt);
            Counting counted = new Counting(sideBand);
            InputStream toParser = options.packFilter() == null ? counted : options.packFilter().apply(counted);
            int objects = PackReceiver.receive(toParser, options.tempDir());
            sideBand.drain();
            report();
            result.close();
            return new FetchResult(ref.getKey(), ref.getValue(), counted.trailerHex(), objects, packBytes, true,
                    sideBand.progressLines());
        } catch (IOException | RuntimeException e) {
            result.abort(); // the rest of the pack is not wanted
            throw e;
        } finally {
            report();
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    private byte[] uploadRequest(String want, java.util.Set<String> serverCaps) throws IOException {
        if (!serverCaps.contains("side-band-64k")) {
            throw new GitProtocolException("server does not offer side-band-64k (offers " + serverCaps + ")");
        }
        List<String> caps = new ArrayList<>();
        for (String c : new String[] {"multi_ack_detailed", "side-band-64k", "ofs-delta"}) {
            if (serverCaps.contains(c)) {
                caps.add(c);
            }
        }
        if (!options.askProgress() && serverCaps.contains("no-progress")) {
            caps.add("no-progress");
        }
        caps.add("agent=" + options.agent());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(PktLineReader.encode("want " + want + " " + String.join(" ", caps) + "\n"));
        out.write("0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(PktLineReader.encode("done\n"));
        return out.toByteArray();
    }

    /** Reads ACK/NAK lines up to the NAK (or final ACK) that precedes the pack. */
    private static void readAcknowledgements(PktLineReader pkt) throws IOException {
        while (true) {
            byte[] p = pkt.read();
            if (p == null || p == PktLineReader.FLUSH) {
                throw new GitProtocolException("upload-pack response ended before NAK/ACK");
            }
            String text = PktLineReader.text(p);
            if (text.startsWith("ERR ")) {
                throw new GitServerException(text.substring(4));
            }
            if (text.equals("NAK")) {
                return;
            }
            if (text.startsWith("ACK ")) {
                // multi_ack_detailed: "ACK id common|ready" may come first; a bare "ACK id" is final
                if (text.split(" ").length == 2) {
                    return;
                }
                continue;
            }
            throw new GitProtocolException("expected NAK or ACK, got: " + text);
        }
    }

    private void report() {
        if (options.listener() != null) {
            options.listener().packBytes(packBytes);
        }
    }

    /** Counts pack bytes, keeps the last 20 (the trailer) and reports progress every 64 KiB. */
    private final class Counting extends FilterInputStream {
        private final byte[] tail = new byte[20];
        private long nextReport = PROGRESS_STEP;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                if (n >= 20) {
                    System.arraycopy(b, off + n - 20, tail, 0, 20);
                } else {
                    System.arraycopy(tail, n, tail, 0, 20 - n);
                    System.arraycopy(b, off, tail, 20 - n, n);
                }
                packBytes += n;
                if (options.packConsumed() != null) {
                    options.packConsumed().accept(n);
                }
                if (packBytes >= nextReport) {
                    nextReport = (packBytes / PROGRESS_STEP + 1) * PROGRESS_STEP;
                    report();
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        String trailerHex() {
            return HexFormat.of().formatHex(tail);
        }
    }
}
