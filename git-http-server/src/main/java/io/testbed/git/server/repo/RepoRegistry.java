package io.testbed.git.server.repo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set of repositories this server serves, keyed by name, each backed by {@code <reposDir>/<name>.git}.
 * <p>
 * A repository is added once and never removed or changed while the server runs, so reads need no
 * lock; additions are serialised, as generating a large repository twice at once would only waste
 * time. Every repository is opened once and shared: JGit repositories are thread-safe for reading.
 */
public class RepoRegistry implements AutoCloseable {

    /** Told about every repository added, with how long generating it took (absent when reused). */
    public interface Listener {
        void added(RepoInfo info, Optional<Duration> generation);
    }

    /** The name is taken by a repository generated from different parameters. */
    public static final class ConflictException extends RuntimeException {
        private final transient RepoInfo existing;

        ConflictException(RepoInfo existing, RepoSpec requested) {
            super("repository '" + existing.spec().name() + "' already exists with sizeBytes "
                    + existing.spec().sizeBytes() + " and seed " + existing.spec().seed() + " (requested sizeBytes "
                    + requested.sizeBytes() + ", seed " + requested.seed()
                    + "): choose another name or request the existing parameters");
            this.existing = existing;
        }

        public RepoInfo existing() {
            return existing;
        }
    }

    /** {@code testbed.git.max-repositories} is reached. */
    public static final class LimitException extends RuntimeException {
        LimitException(int max) {
            super("the server already holds " + max + " repositories, the limit: reuse one of them or raise "
                    + "testbed.git.max-repositories");
        }
    }

    /**
     * What {@link #ensure} did: {@code added} when the repository was not served before the call,
     * {@code generated} when it also had to be generated (rather than found valid on disk).
     */
    public record Ensured(RepoInfo info, boolean added, boolean generated) {
    }

    private record Entry(RepoInfo info, Repository repository, Optional<Duration> generation) {
    }

    private static final Logger log = LoggerFactory.getLogger(RepoRegistry.class);
    private static final String SUFFIX = ".git";

    private final Path dir;
    private final int maxRepositories;
    private final Map<String, Entry> entries = new ConcurrentSkipListMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public RepoRegistry(Path dir, int maxRepositories) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxRepositories = maxRepositories;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Serves {@code spec}, generating it unless a valid copy is already on disk.
     *
     * @throws ConflictException if the name is served with other parameters
     * @throws LimitException    if serving it would exceed the limit
     */
    public synchronized Ensured ensure(RepoSpec spec) throws IOException {
        Entry existing = entries.get(spec.name());
        if (existing != null) {
            if (!existing.info().spec().equals(spec)) {
                throw new ConflictException(existing.info(), spec);
            }
            return new Ensured(existing.info(), false, false);
        }
        if (entries.size() >= maxRepositories) {
            throw new LimitException(maxRepositories);
        }
        Path gitDir = gitDir(spec.name());
        Optional<RepoInfo> valid = RepoGenerator.validate(spec, gitDir);
        Optional<Duration> generation = Optional.empty();
        RepoInfo info;
        if (valid.isPresent()) {
            info = valid.get();
            log.info("Reusing {} ({} bytes, seed {}): head {}, pack {} bytes", spec.name(), spec.sizeBytes(),
                    spec.seed(), info.head(), info.packBytes());
        } else {
            long start = System.nanoTime();
            info = RepoGenerator.generate(spec, gitDir);
            generation = Optional.of(Duration.ofNanos(System.nanoTime() - start));
            log.info("Generated {} ({} bytes, seed {}) in {} ms: head {}, {} objects, pack {} bytes", spec.name(),
                    spec.sizeBytes(), spec.seed(), generation.get().toMillis(), info.head(), info.objects(),
                    info.packBytes());
        }
        Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
        entries.put(spec.name(), new Entry(info, repository, generation));
        for (Listener listener : listeners) {
            listener.added(info, generation);
        }
        return new Ensured(info, true, valid.isEmpty());
    }

    /**
     * Serves the valid generated repositories in the directory that are not served yet (for example
     * those created through the API before a restart), as far as the limit allows.
     */
    public synchronized void adoptExisting() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                name = name.substring(0, name.length() - SUFFIX.length());
                Path marker = child.resolve(RepoGenerator.MARKER);
                if (entries.containsKey(name) || !Files.isRegularFile(marker)) {
                    continue;
                }
                if (entries.size() >= maxRepositories) {
                    log.warn("Not serving {}: testbed.git.max-repositories ({}) reached", child, maxRepositories);
                    continue;
                }
                try {
                    Map<String, String> recorded = RepoGenerator.readMarker(marker);
                    RepoSpec spec = new RepoSpec(name, Long.parseLong(recorded.get("sizeBytes")),
                            Long.parseLong(recorded.get("seed")));
                    if (RepoGenerator.validate(spec, child).isPresent()) {
                        ensure(spec);
                    }
                } catch (RuntimeException e) {
                    log.warn("Not serving {}: its marker is unreadable ({})", child, e.getMessage());
                }
            }
        }
    }

    public Optional<RepoInfo> find(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::info);
    }

    /** All served repositories, by name. */
    public List<RepoInfo> list() {
        return entries.values().stream().map(Entry::info).toList();
    }

    public int size() {
        return entries.size();
    }

    public int maxRepositories() {
        return maxRepositories;
    }

    /** How long generating each repository took, for those generated by this process. */
    public Map<String, Duration> generationTimes() {
        Map<String, Duration> times = new TreeMap<>();
        entries.forEach((name, entry) -> entry.generation().ifPresent(d -> times.put(name, d)));
        return times;
    }

    /**
     * The open repository for {@code name}, with its use count raised: the caller must
     * {@link Repository#close() close} it (JGit's servlet filters do).
     */
    public Optional<Repository> open(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return Optional.empty();
        }
        entry.repository().incrementOpen();
        return Optional.of(entry.repository());
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public Path gitDir(String name) {
        return dir.resolve(name + SUFFIX);
    }

    @Override
    public void close() {
        entries.values().forEach(entry -> entry.repository().close());
    }
}
