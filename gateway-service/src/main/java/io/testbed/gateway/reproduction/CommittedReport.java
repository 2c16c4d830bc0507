package io.testbed.gateway.reproduction;

import io.testbed.gateway.store.StoredJson;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The reproduction committed with the sources ({@code reports/reproduction.json} and {@code reports/charts/}),
 * which the results page shows, marked as such, while the database holds no completed reproduction (a
 * fresh clone).
 */
@Component
public class CommittedReport {
    /** Larger files are refused (the real report is a few hundred KiB). */
    static final long MAX_BYTES = 8L << 20;

    private final Path dir;

    public CommittedReport(@Value("${testbed.reproduction.committed-dir:reports}") String dir) {
        this.dir = Path.of(dir);
    }

    /** The committed report, or empty if there is none or it cannot be read as one. */
    public Optional<Report> report() {
        Path f = dir.resolve("reproduction.json");
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > MAX_BYTES) {
                return Optional.empty();
            }
            Report r = StoredJson.read(Files.readString(f), Report.class);
            return r.claims() == null ? Optional.empty() : Optional.of(r);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A committed chart's SVG by its report name (only names the report lists; no path from the request). */
    public Optional<String> chart(Report r, String name) {
        if (r.charts() == null || r.charts().stream().noneMatch(c -> c.name().equals(name)) || !name.matches("[a-z0-9-]+\\.svg")) {
            return Optional.empty();
        }
        Path f = dir.resolve("charts").resolve(name);
        try {
            return Files.isRegularFile(f) && Files.size(f) <= MAX_BYTES ? Optional.of(Files.readString(f)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
