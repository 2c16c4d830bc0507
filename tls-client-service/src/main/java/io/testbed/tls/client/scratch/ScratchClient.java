package io.testbed.tls.client.scratch;

import io.testbed.tls.client.git.GitProtocolException;
import io.testbed.tls.client.git.PackListener;
import io.testbed.tls.client.git.PackRejectedException;
import io.testbed.tls.client.http.HttpStatusException;
import io.testbed.tls.client.transport.IoStats;
import io.testbed.tls.client.transport.SyscallException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code scratch clone https://<host>/<repo>} as Akuma's userspace/scratch does it at 7b52ac2
 * (src/repository.rs:27-151): ref discovery on its own connection, the directory and .git layout,
 * the pack streamed into {@code <repo>/.git/objects/pack/tmp.pack} (src/protocol.rs:183-262), read
 * back in 4096-byte reads (src/protocol.rs:265-301), unpacked into loose objects
 * ({@link ScratchPack}), refs and HEAD written, the HEAD commit's tree checked out
 * (src/repository.rs:316-351). Every file operation, print and large allocation is a syscall
 * ({@link ScratchSys}); the pack bytes as received are kept only to check the read-back copy.
 */
public final class ScratchClient {
    static final String GIT_DIR = ".git";
    static final String REQUEST_TYPE = "application/x-git-upload-pack-request";

    private final ScratchSys sys;
    private final ScratchHttp http;
    private final String host;
    private final String repo;
    private final PackListener progress;
    private final boolean packOnly;
    private final Outcome out = new Outcome();

    /**
     * @param repo     the repository name; the URL is {@code https://<host>/<repo>}, so paths are
     *                 {@code /<repo>.git/...} and the clone goes to directory {@code <repo>}
     * @param progress told the pack bytes written so far after each write (the service's progress)
     */
    public ScratchClient(ScratchSys sys, Connector connector, String host, String repo, PackListener progress) {
        this(sys, connector, host, repo, progress, false);
    }

    /**
     * @param packOnly stop when the pack is downloaded ({@code tmp.pack} written and closed): the phase the seed
     *                 and calibration reference C4 time; the bytes as received are kept (host memory, not the
     *                 machine's) for the check the read-back copy serves otherwise
     */
    public ScratchClient(ScratchSys sys, Connector connector, String host, String repo, PackListener progress, boolean packOnly) {
        this.packOnly = packOnly;
        this.sys = sys;
        this.http = new ScratchHttp(sys, connector, host);
        this.host = host;
        this.repo = repo;
        this.progress = progress == null ? total -> { } : progress;
    }

    /** What the clone did so far (filled in as it goes, so a failed clone still has its figures). */
    public Outcome outcome() {
        return out;
    }

    /** Runs the clone; throws for what makes scratch return an error. */
    public Outcome cloneRepo() throws IOException {
        IoStats stats = sys.thread().stats();
        String path = "/" + repo + ".git";
        sys.print("scratch: connecting to ");
        sys.print(host);
        sys.print("\n");
        Map<String, String> refs = new LinkedHashMap<>();
        String caps = discoverRefs(path, refs);
        if (refs.isEmpty()) {
            throw new GitProtocolException("no refs found");
        }
        printLine("scratch: found ", refs.size(), " refs\n");
        String head = refs.containsKey("HEAD") ? refs.get("HEAD") : refs.containsKey("refs/heads/main")
                ? refs.get("refs/heads/main") : refs.get("refs/heads/master");
        if (head == null) {
            throw new GitProtocolException("no HEAD or main branch found");
        }
        sys.print("scratch: HEAD -> ");
        sys.print(head);
        sys.print("\n");
        List<String> wants = new ArrayList<>();
        refs.forEach((name, id) -> {
            if (!name.equals("HEAD") && !wants.contains(id)) {
                wants.add(id);
            }
        });
        printLine("scratch: requesting ", wants.size(), " objects\n");
        sys.print("scratch: creating directory ");
        sys.print(repo);
        sys.print("\n");
        sys.mkdir(repo);
        String gitDir = repo + "/" + GIT_DIR;
        initGitDir(gitDir);
        writeFile(gitDir + "/config", config("https://" + host + "/" + repo));
        for (String d : new String[]{"/objects", "/objects/info", "/objects/pack"}) {
            sys.mkdir(gitDir + d);
        }
        sys.print("scratch: fetching and unpacking objects (streaming)\n");
        long count = fetchPackStreaming(path, wants, caps, gitDir);
        if (packOnly) {
            out.endNs = stats.lastExitNs();
            return out;
        }
        printLine("scratch: stored ", count, " objects\n");
        writeRefs(gitDir, refs);
        sys.print("scratch: checking out files\n");
        String commit = resolveHead(gitDir);
        out.commit = commit;
        checkoutCommit(new LooseStore(sys, gitDir), commit, repo);
        sys.print("scratch: done\n");
        sys.print("scratch: clone complete\n");
        out.endNs = stats.lastExitNs();
        return out;
    }

    private String discoverRefs(String path, Map<String, String> refs) throws IOException {
        String infoRefs = path + "/info/refs?service=git-upload-pack";
        sys.print("scratch: fetching refs from ");
        sys.print(infoRefs);
        sys.print("\n");
        sys.mark("connection 1: GET info/refs");
        ScratchHttp.Response r = http.get(infoRefs);
        sys.print("scratch: got status ");
        sys.print(String.valueOf(r.status()));
        sys.print("\n");
        if (r.status() != 200) {
            String preview = new String(r.body(), 0, Math.min(200, r.body().length), StandardCharsets.UTF_8);
            sys.print("scratch: response: ");
            sys.print(preview);
            sys.print("\n");
            throw new HttpStatusException("GET", infoRefs, r.status(), "", preview);
        }
        String type = r.header("content-type") == null ? "" : r.header("content-type");
        sys.print("scratch: content-type: ");
        sys.print(type);
        sys.print("\n");
        if (!type.contains("x-git-upload-pack-advertisement")) {
            throw new GitProtocolException("not a smart Git server (content-type '" + type + "')");
        }
        sys.print("scratch: body starts with: ");
        sys.print(new String(r.body(), 0, Math.min(40, r.body().length), StandardCharsets.UTF_8));
        sys.print("\n");
        return RefLines.parse(r.body(), refs);
    }

    private long fetchPackStreaming(String path, List<String> wants, String caps, String gitDir) throws IOException {
        IoStats stats = sys.thread().stats();
        String uploadPack = path + "/git-upload-pack";
        sys.print("scratch: requesting pack from ");
        sys.print(uploadPack);
        sys.print("\n");
        byte[] body = RefLines.uploadPackRequest(wants, caps);
        boolean sideband = RefLines.hasCap(caps, "side-band") || RefLines.hasCap(caps, "side-band-64k");
        Sideband demux = new Sideband(sys);
        String packPath = gitDir + "/objects/pack/tmp.pack";
        int fd = sys.open(packPath, ScratchSys.WRITE_FLAGS);
        if (fd < 0) {
            throw new SyscallException("openat", -fd, "failed to create temp pack file " + packPath);
        }
        MessageDigest received = sha1();
        java.io.ByteArrayOutputStream kept = packOnly ? new java.io.ByteArrayOutputStream() : null;
        sys.mark("connection 2: POST git-upload-pack");
        try {
            http.postStreaming(uploadPack, REQUEST_TYPE, body, chunk -> {
                byte[] pack = sideband ? demux.process(chunk) : chunk;
                if (pack.length > 0) {
                    long n = sys.write(fd, pack, 0, pack.length);
                    if (n < 0) {
                        throw new SyscallException("write", (int) -n, "failed to write pack data");
                    }
                    received.update(pack);
                    if (kept != null) {
                        kept.write(pack, 0, pack.length);
                    }
                    out.packBytes += pack.length;
                    progress.packBytes(out.packBytes);
                }
            });
        } finally {
            out.remote = demux.remoteLines();
            out.readError = http.readError;
        }
        sys.close(fd);
        out.receivedSha1 = received.digest();
        out.downloadEndNs = stats.lastExitNs();
        if (kept != null) {
            // the run ends where the download phase does (C4): at tmp.pack's close
            out.pack = kept.toByteArray();
            out.packOnly = true;
            return 0;
        }
        printLine("scratch: downloaded ", out.packBytes, " bytes\n");
        sys.print("scratch: parsing pack file...\n");
        long count = parsePackFromFile(packPath, gitDir);
        printLine("scratch: stored ", count, " objects\n");
        return count;
    }

    private long parsePackFromFile(String packPath, String gitDir) throws IOException {
        IoStats stats = sys.thread().stats();
        int fd = sys.open(packPath, 0);
        if (fd < 0) {
            throw new SyscallException("openat", -fd, "failed to open pack file " + packPath);
        }
        GrowingBuffer pack = new GrowingBuffer(sys);
        while (true) {
            byte[] b = sys.read(fd, LooseStore.READ_BUF);
            if (b.length == 0) {
                break;
            }
            pack.append(b);
        }
        sys.close(fd);
        out.pack = pack.bytes();
        out.packReadEndNs = stats.lastExitNs();
        try {
            ScratchPack parser = new ScratchPack(sys, out.pack);
            printLine("scratch: pack contains ", parser.objectCount(), " objects\n");
            out.packObjects = parser.objectCount();
            List<String> ids = parser.parseAll(new LooseStore(sys, gitDir));
            out.objectsStored = ids.size();
            out.unpackEndNs = stats.lastExitNs();
            return ids.size();
        } finally {
            pack.free();
        }
    }

    private void writeRefs(String gitDir, Map<String, String> refs) throws IOException {
        for (String d : new String[]{"/refs", "/refs/heads", "/refs/tags", "/refs/remotes"}) {
            sys.mkdir(gitDir + d);
        }
        boolean main = false;
        for (Map.Entry<String, String> r : refs.entrySet()) {
            String name = r.getKey();
            if (name.startsWith("refs/heads/")) {
                String branch = name.substring("refs/heads/".length());
                sys.mkdir(gitDir + "/refs/remotes/origin");
                writeFile(gitDir + "/refs/remotes/origin/" + branch, r.getValue() + "\n");
                if (branch.equals("main") || branch.equals("master")) {
                    writeFile(gitDir + "/refs/heads/" + branch, r.getValue() + "\n");
                }
                main |= branch.equals("main");
            } else if (name.startsWith("refs/tags/")) {
                writeFile(gitDir + "/refs/tags/" + name.substring("refs/tags/".length()), r.getValue() + "\n");
            }
        }
        String branch = main || !refs.containsKey("refs/heads/master") ? "main" : "master";
        writeFile(gitDir + "/HEAD", "ref: refs/heads/" + branch + "\n");
        sys.print("scratch: HEAD set to ");
        sys.print(branch);
        sys.print("\n");
    }

    private String resolveHead(String gitDir) throws IOException {
        String head = readSmallFile(gitDir + "/HEAD").trim();
        if (head.startsWith("ref: ")) {
            head = readSmallFile(gitDir + "/" + head.substring(5)).trim();
        }
        if (!head.matches("[0-9a-f]{40}")) {
            throw new GitProtocolException("invalid SHA in HEAD: '" + head + "'");
        }
        return head;
    }

    private void checkoutCommit(LooseStore store, String commit, String dest) throws IOException {
        byte[] raw = store.read(commit);
        String text = new String(raw, ScratchPack.indexOf(raw, (byte) 0) + 1, raw.length - ScratchPack.indexOf(raw, (byte) 0) - 1,
                StandardCharsets.UTF_8);
        if (!text.startsWith("tree ") || text.length() < 45) {
            throw new PackRejectedException("commit " + commit + " has no tree", null);
        }
        checkoutTree(store, text.substring(5, 45), dest);
    }

    private void checkoutTree(LooseStore store, String tree, String dest) throws IOException {
        byte[] raw = store.read(tree);
        int p = ScratchPack.indexOf(raw, (byte) 0) + 1;
        while (p < raw.length) {
            int space = p;
            while (raw[space] != ' ') {
                space++;
            }
            int nul = space;
            while (raw[nul] != 0) {
                nul++;
            }
            String mode = new String(raw, p, space - p, StandardCharsets.US_ASCII);
            String name = new String(raw, space + 1, nul - space - 1, StandardCharsets.UTF_8);
            String id = java.util.HexFormat.of().formatHex(raw, nul + 1, nul + 21);
            p = nul + 21;
            String path = dest + "/" + name;
            if (mode.equals("40000") || mode.equals("040000")) {
                sys.mkdir(path);
                out.directories++;
                checkoutTree(store, id, path);
            } else {
                byte[] blob = store.read(id);
                int start = ScratchPack.indexOf(blob, (byte) 0) + 1;
                int fd = sys.open(path, ScratchSys.WRITE_FLAGS);
                if (fd >= 0) {
                    sys.write(fd, blob, start, blob.length - start);
                    sys.close(fd);
                    out.files.put(path, id);
                }
            }
        }
    }

    private void initGitDir(String gitDir) {
        for (String d : new String[]{"", "/objects", "/objects/pack", "/objects/info", "/refs", "/refs/heads",
                "/refs/tags", "/refs/remotes", "/refs/remotes/origin"}) {
            sys.mkdir(gitDir + d);
        }
    }

    private static String config(String url) {
        return "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n[remote \"origin\"]\n\turl = "
                + url + "\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n";
    }

    /** write_file_content / write_config: open O_WRONLY|O_CREAT|O_TRUNC, one write, close. */
    private void writeFile(String path, String content) throws IOException {
        int fd = sys.open(path, ScratchSys.WRITE_FLAGS);
        if (fd < 0) {
            throw new SyscallException("openat", -fd, "failed to create " + path);
        }
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        sys.write(fd, b, 0, b.length);
        sys.close(fd);
    }

    /** read_file_content (src/refs.rs): open, 256-byte reads until one returns 0, close. */
    private String readSmallFile(String path) throws IOException {
        int fd = sys.open(path, 0);
        if (fd < 0) {
            throw new GitProtocolException("ref not found: " + path);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            byte[] b = sys.read(fd, 256);
            if (b.length == 0) {
                break;
            }
            data.write(b, 0, b.length);
        }
        sys.close(fd);
        return data.toString(StandardCharsets.UTF_8);
    }

    private void printLine(String before, long n, String after) {
        sys.print(before);
        printNum(sys, n);
        sys.print(after);
    }

    /** scratch's print_num: one print per decimal digit. */
    static void printNum(ScratchSys sys, long n) {
        String digits = Long.toString(n);
        for (int i = 0; i < digits.length(); i++) {
            sys.print(digits.substring(i, i + 1));
        }
    }

    /** print_size: N MB, N KB or N bytes (floor), the number digit by digit. */
    static void printSize(ScratchSys sys, long bytes) {
        if (bytes >= 1024 * 1024) {
            printNum(sys, bytes / (1024 * 1024));
            sys.print(" MB");
        } else if (bytes >= 1024) {
            printNum(sys, bytes / 1024);
            sys.print(" KB");
        } else {
            printNum(sys, bytes);
            sys.print(" bytes");
        }
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** scratch's {@code Vec<u8>} grown by extend_from_slice: amortized doubling, each growth an mmap + munmap. */
    private static final class GrowingBuffer {
        private final ScratchSys sys;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private long addr;
        private long capacity;

        GrowingBuffer(ScratchSys sys) {
            this.sys = sys;
        }

        void append(byte[] b) {
            long needed = (long) data.size() + b.length;
            if (needed > capacity) {
                long grown = Math.max(Math.max(capacity * 2, needed), 8);
                long fresh = sys.mmap(grown);
                if (capacity > 0) {
                    sys.munmap(addr, capacity);
                }
                addr = fresh;
                capacity = grown;
            }
            sys.cpu().packParsed(b.length);
            data.write(b, 0, b.length);
        }

        byte[] bytes() {
            return data.toByteArray();
        }

        void free() {
            if (capacity > 0) {
                sys.munmap(addr, capacity);
                capacity = 0;
            }
        }
    }

    /** The figures and products of one clone. */
    public static final class Outcome {
        long packBytes;
        byte[] receivedSha1;
        byte[] pack;
        int packObjects;
        long objectsStored;
        long directories;
        String commit;
        List<String> remote = List.of();
        IOException readError;
        long downloadEndNs = -1;
        long packReadEndNs = -1;
        long unpackEndNs = -1;
        long endNs = -1;
        boolean packOnly;
        final Map<String, String> files = new LinkedHashMap<>();

        /** Band-1 bytes received and written to tmp.pack. */
        public long packBytes() {
            return packBytes;
        }

        /**
         * The pack as read back from tmp.pack through the kernel (null before that); in a pack-only run, the
         * bytes as received (the run ends before the read-back).
         */
        public byte[] pack() {
            return pack;
        }

        /** Whether the copy read back is byte for byte what was received. */
        public boolean readBackMatches() {
            return pack != null && receivedSha1 != null && MessageDigest.isEqual(sha1().digest(pack), receivedSha1);
        }

        /** The run stopped when the pack was downloaded (no read-back, unpack or checkout). */
        public boolean packOnly() {
            return packOnly;
        }

        public int packObjects() {
            return packObjects;
        }

        public long objectsStored() {
            return objectsStored;
        }

        public String commit() {
            return commit;
        }

        /** The band-2 lines the server sent ("remote: ..."). */
        public List<String> remote() {
            return remote;
        }

        /** The TLS read error that ended the body early (scratch carries on), or null. */
        public IOException readError() {
            return readError;
        }

        /** Files checked out: path -> the blob id whose content was written there. */
        public Map<String, String> files() {
            return files;
        }

        public long directories() {
            return directories;
        }

        public long downloadEndNs() {
            return downloadEndNs;
        }

        public long packReadEndNs() {
            return packReadEndNs;
        }

        public long unpackEndNs() {
            return unpackEndNs;
        }

        public long endNs() {
            return endNs;
        }
    }
}
