package io.testbed.git.server.repo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.Deflater;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FileUtils;

/**
 * Writes a bare repository for a {@link RepoSpec}, all objects in one pack, so that upload-pack can
 * stream stored objects as they are instead of compressing on every clone.
 * <p>
 * Layout: {@code README.md} naming the spec, and {@value #FILES} files {@code data/part-NN.bin} of
 * SplitMix64 bytes (incompressible, so the pack is about as large as the content) added two per
 * commit over {@value #COMMITS} commits on {@code main}, by a fixed identity at fixed times. Nothing
 * depends on the machine, the clock or the JDK, so the commit ids are the same everywhere. Bump
 * {@link #LAYOUT} whenever any of this changes: existing repositories are then regenerated.
 */
public final class RepoGenerator {

    public static final String MARKER = "testbed-repo.properties";
    public static final String BRANCH = Constants.R_HEADS + "main";
    static final int LAYOUT = 1;
    static final int FILES = 8;
    static final int COMMITS = 4;
    /** Trees, commits, the README and pack framing take about this much; the random files get the rest. */
    static final long METADATA_ALLOWANCE = 1536;
    private static final Instant FIRST_COMMIT = Instant.parse("2024-01-01T00:00:00Z");
    private static final int CHUNK = 8192;

    private RepoGenerator() {
    }

    /**
     * Generates {@code spec} as {@code gitDir}, replacing whatever is there. The repository is built
     * beside it and renamed into place, so readers never see a half-written one.
     */
    public static RepoInfo generate(RepoSpec spec, Path gitDir) throws IOException {
        Path parent = gitDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve("." + gitDir.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            RepoInfo info = write(spec, temp);
            writeMarker(temp, info);
            if (Files.exists(gitDir)) {
                FileUtils.delete(gitDir.toFile(), FileUtils.RECURSIVE);
            }
            Files.move(temp, gitDir, StandardCopyOption.ATOMIC_MOVE);
            return info;
        } finally {
            if (Files.exists(temp)) {
                FileUtils.delete(temp.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
            }
        }
    }

    private static RepoInfo write(RepoSpec spec, Path dir) throws IOException {
        try (Git git = Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call()) {
            Repository repo = git.getRepository();
            Set<ObjectId> objects = new HashSet<>();
            ObjectId head;
            try (PackInserter inserter = ((ObjectDirectory) repo.getObjectDatabase()).newPackInserter()) {
                inserter.checkExisting(false);
                // Random bytes do not compress: storing them (deflate level 0) is about three times faster
                // than the fastest compression and gives the same pack size.
                inserter.setCompressionLevel(Deflater.NO_COMPRESSION);
                head = insertHistory(spec, inserter, objects);
                inserter.flush();
            }
            RefUpdate update = repo.updateRef(BRANCH);
            update.setNewObjectId(head);
            update.setExpectedOldObjectId(ObjectId.zeroId());
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW) {
                throw new IOException("cannot create " + BRANCH + " in " + dir + ": " + result);
            }
            return new RepoInfo(spec, head.name(), objects.size(), packSize(dir));
        } catch (GitAPIException e) {
            throw new IOException("cannot initialise " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ObjectId insertHistory(RepoSpec spec, PackInserter inserter, Set<ObjectId> objects)
            throws IOException {
        SplitMix64 random = new SplitMix64(spec.seed());
        long payload = Math.max(spec.sizeBytes() - METADATA_ALLOWANCE, spec.sizeBytes() / 4);
        ObjectId readme = track(objects, inserter.insert(Constants.OBJ_BLOB, readme(spec)));
        ObjectId[] parts = new ObjectId[FILES];
        ObjectId parent = null;
        int perCommit = FILES / COMMITS;
        for (int commit = 0; commit < COMMITS; commit++) {
            TreeFormatter data = new TreeFormatter();
            for (int file = 0; file < (commit + 1) * perCommit; file++) {
                if (parts[file] == null) {
                    long size = payload / FILES + (file == FILES - 1 ? payload % FILES : 0);
                    parts[file] = track(objects,
                            inserter.insert(Constants.OBJ_BLOB, size, new RandomStream(random, size)));
                }
                data.append(partName(file), FileMode.REGULAR_FILE, parts[file]);
            }
            TreeFormatter root = new TreeFormatter();
            root.append("README.md", FileMode.REGULAR_FILE, readme);
            root.append("data", FileMode.TREE, track(objects, inserter.insert(data)));

            PersonIdent who = new PersonIdent("Testbed Generator", "generator@git.testbed",
                    FIRST_COMMIT.plusSeconds(60L * commit), ZoneOffset.UTC);
            CommitBuilder builder = new CommitBuilder();
            builder.setTreeId(track(objects, inserter.insert(root)));
            if (parent != null) {
                builder.setParentId(parent);
            }
            builder.setAuthor(who);
            builder.setCommitter(who);
            builder.setMessage(String.format("%s: add %s to %s (commit %d of %d)%n", spec.name(),
                    partName(commit * perCommit), partName((commit + 1) * perCommit - 1), commit + 1, COMMITS));
            parent = track(objects, inserter.insert(builder));
        }
        return parent;
    }

    private static String partName(int index) {
        return String.format("part-%02d.bin", index);
    }

    private static byte[] readme(RepoSpec spec) {
        return ("# " + spec.name() + "\n\n"
                + "Generated by the TLS kernel testbed's git-http-server.\n\n"
                + "- name: " + spec.name() + "\n"
                + "- sizeBytes: " + spec.sizeBytes() + "\n"
                + "- seed: " + spec.seed() + "\n"
                + "- layout: " + LAYOUT + "\n\n"
                + "data/ holds " + FILES + " files of SplitMix64 bytes from the seed, added over " + COMMITS
                + " commits.\n").getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectId track(Set<ObjectId> objects, ObjectId id) {
        objects.add(id);
        return id;
    }

    /**
     * The repository in {@code gitDir} if it is the complete result of generating {@code spec} with the
     * current layout: marker present and matching, {@code HEAD} on {@code main} at the recorded head,
     * and the recorded pack present at the recorded size.
     */
    public static Optional<RepoInfo> validate(RepoSpec spec, Path gitDir) {
        Path marker = gitDir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        try {
            Map<String, String> values = readMarker(marker);
            if (!String.valueOf(LAYOUT).equals(values.get("layout"))
                    || !spec.name().equals(values.get("name"))
                    || !String.valueOf(spec.sizeBytes()).equals(values.get("sizeBytes"))
                    || !String.valueOf(spec.seed()).equals(values.get("seed"))) {
                return Optional.empty();
            }
            RepoInfo info = new RepoInfo(spec, values.get("head"), Long.parseLong(values.get("objects")),
                    Long.parseLong(values.get("packBytes")));
            if (packSize(gitDir) != info.packBytes()) {
                return Optional.empty();
            }
            try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
                Ref head = repo.exactRef(Constants.HEAD);
                if (head == null || !head.isSymbolic() || !BRANCH.equals(head.getTarget().getName())
                        || head.getObjectId() == null || !head.getObjectId().name().equals(info.head())
                        || !repo.getObjectDatabase().has(head.getObjectId())) {
                    return Optional.empty();
                }
            }
            return Optional.of(info);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Reads what a marker records, without checking the repository against it. */
    static Map<String, String> readMarker(Path marker) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static void writeMarker(Path gitDir, RepoInfo info) throws IOException {
        String text = "# written by git-http-server after generating this repository; delete to regenerate\n"
                + "layout=" + LAYOUT + "\n"
                + "name=" + info.spec().name() + "\n"
                + "sizeBytes=" + info.spec().sizeBytes() + "\n"
                + "seed=" + info.spec().seed() + "\n"
                + "head=" + info.head() + "\n"
                + "objects=" + info.objects() + "\n"
                + "packBytes=" + info.packBytes() + "\n";
        Files.writeString(gitDir.resolve(MARKER), text, StandardCharsets.UTF_8);
    }

    private static long packSize(Path gitDir) throws IOException {
        long total = 0;
        int packs = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(gitDir.resolve("objects/pack"), "*.pack")) {
            for (Path pack : files) {
                total += Files.size(pack);
                packs++;
            }
        }
        if (packs != 1) {
            throw new IOException(gitDir + " should hold exactly one pack but holds " + packs);
        }
        return total;
    }

    /** {@code length} bytes of {@code random}, drawn in fixed chunks so callers' read sizes do not matter. */
    private static final class RandomStream extends InputStream {
        private final SplitMix64 random;
        private final byte[] chunk = new byte[CHUNK];
        private long remaining;
        private int position = CHUNK;

        RandomStream(SplitMix64 random, long length) {
            this.random = random;
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            if (position == CHUNK) {
                random.nextBytes(chunk, 0, CHUNK);
                position = 0;
            }
            int n = (int) Math.min(Math.min(length, CHUNK - position), remaining);
            System.arraycopy(chunk, position, buffer, offset, n);
            position += n;
            remaining -= n;
            return n;
        }
    }
}
