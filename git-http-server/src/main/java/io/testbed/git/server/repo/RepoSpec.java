package io.testbed.git.server.repo;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a repository is generated from. Equal specs give byte-identical objects and the same head.
 *
 * @param name      repository name, served as {@code /<name>.git}
 * @param sizeBytes the size the served pack should have (within a few per cent)
 * @param seed      seed of the content's random source
 */
public record RepoSpec(String name, long sizeBytes, long seed) {

    public static final long MIN_SIZE = 1024;
    public static final long MAX_SIZE = 256L * 1024 * 1024;
    public static final long DEFAULT_SEED = 1;
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    private static final Pattern SIZED_NAME = Pattern.compile("^pack-([1-9][0-9]{0,5})([km])$");

    public RepoSpec {
        String problem = problemWith(name, sizeBytes);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Null when the pair is acceptable, otherwise a message saying what to change. */
    public static String problemWith(String name, long sizeBytes) {
        String nameProblem = problemWithName(name);
        if (nameProblem != null) {
            return nameProblem;
        }
        if (sizeBytes < MIN_SIZE || sizeBytes > MAX_SIZE) {
            return "sizeBytes " + sizeBytes + " is out of range: use " + MIN_SIZE + " (1 KiB) to " + MAX_SIZE
                    + " (256 MiB)";
        }
        Optional<Long> implied = impliedSize(name);
        if (implied.isPresent() && implied.get() != sizeBytes) {
            return "name '" + name + "' implies sizeBytes " + implied.get() + " but " + sizeBytes
                    + " was given: omit sizeBytes, give " + implied.get() + ", or choose a name not of the form pack-<n>k|m";
        }
        return null;
    }

    /** Null when {@code name} is acceptable, otherwise a message saying what to change. */
    public static String problemWithName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "name '" + name + "' is invalid: use 1 to 63 characters of a-z, 0-9 and '-', starting with a letter"
                    + " or digit (e.g. pack-4m)";
        }
        return null;
    }

    /** The size a {@code pack-<n>k} or {@code pack-<n>m} name stands for (KiB or MiB). */
    public static Optional<Long> impliedSize(String name) {
        Matcher m = name == null ? null : SIZED_NAME.matcher(name);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        long unit = m.group(2).equals("k") ? 1024 : 1024 * 1024;
        return Optional.of(Long.parseLong(m.group(1)) * unit);
    }

    /**
     * Parses one {@code testbed.git.repositories} entry: {@code name}, {@code name:sizeBytes} or
     * {@code name:sizeBytes:seed}; a missing size comes from the name, a missing seed is {@code defaultSeed}.
     */
    public static RepoSpec parse(String entry, long defaultSeed) {
        String[] parts = entry.trim().toLowerCase(Locale.ROOT).split(":");
        if (parts.length > 3) {
            throw new IllegalArgumentException("repository entry '" + entry + "' must be name[:sizeBytes[:seed]]");
        }
        String name = parts[0];
        long size = parts.length > 1 ? Long.parseLong(parts[1]) : impliedSize(name).orElseThrow(
                () -> new IllegalArgumentException("repository entry '" + entry
                        + "' has no size: name it pack-<n>k|m or write name:sizeBytes"));
        long seed = parts.length > 2 ? Long.parseLong(parts[2]) : defaultSeed;
        return new RepoSpec(name, size, seed);
    }
}
