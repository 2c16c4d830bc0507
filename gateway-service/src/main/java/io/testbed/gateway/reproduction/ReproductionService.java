package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.ExperimentListener;
import io.testbed.gateway.experiment.ExperimentPlan;
import io.testbed.gateway.experiment.ExperimentService;
import io.testbed.gateway.experiment.InvalidExperimentException;
import io.testbed.gateway.experiment.ExperimentView;
import io.testbed.gateway.experiment.RunStatus;
import io.testbed.gateway.experiment.Summary;
import io.testbed.gateway.store.StoredJson;
import io.testbed.gateway.tlsclient.TlsClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the seed's claims: builds the reproduction's configurations ({@link ReproductionCells}) as one
 * experiment, and when its last run ended judges every claim ({@link ClaimJudge}), writes the report
 * (JSON and Markdown) and the charts ({@link SvgCharts}) into the database.
 */
@Service
public class ReproductionService implements ExperimentListener {

    private static final Logger log = LoggerFactory.getLogger(ReproductionService.class);
    private static final Pattern PACK_SIZE = Pattern.compile("(\\d+)([kmg])$");

    static final String VERDICT_RULE = "Each claim is judged on medians over the repetitions by the rule written under it. A verdict is"
            + " `holds` when the measured figures meet the rule in the seed's own configuration, `holds only under ...` when they"
            + " meet it only in the named condition or only in the named parts, `does not hold` otherwise, and `not measured` when"
            + " the configuration gave no figures (every run failed). Times are simulated (virtual clock), so the figures are the"
            + " same on any host.";

    private final ExperimentService experiments;
    private final TlsClient tlsClient;
    private final ReproductionRows rows;
    private final JdbcAggregateTemplate template;
    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    public ReproductionService(ExperimentService experiments, TlsClient tlsClient, ReproductionRows rows,
                               JdbcAggregateTemplate template, JdbcClient jdbc) {
        this.experiments = experiments;
        this.tlsClient = tlsClient;
        this.rows = rows;
        this.template = template;
        this.jdbc = jdbc;
        experiments.addListener(this);
    }

    /** Starts a reproduction; returns its id. */
    public synchronized ReproductionView submit(ReproductionRequest asked) {
        ReproductionRequest request = asked.withDefaults();
        double bound = request.maxSimulatedSeconds() != null ? request.maxSimulatedSeconds()
                : Math.max(30, 40 * packMiB(request.repo()));
        String id = "rp-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ExperimentPlan plan = ReproductionCells.plan("reproduction " + id + " (" + request.repo() + ")",
                withBound(request, bound), tlsClient.capabilities().policies(), bound);
        String experimentId;
        try {
            experimentId = experiments.submit(plan);
        } catch (InvalidExperimentException e) {
            // name the reproduction's own fields, not the matrix's they were expanded into
            throw new InvalidExperimentException(switch (e.field()) {
                case "repos" -> "repo";
                case "clients" -> "client";
                default -> e.field();
            }, e.getMessage());
        }
        template.insert(new ReproductionRow(id, experimentId, "running", clock.instant(), null, StoredJson.write(withBound(request, bound)),
                null, null, null));
        log.info("reproduction {} started: experiment {} with {} runs", id, experimentId, plan.totalRuns());
        return view(id).orElseThrow();
    }

    private static ReproductionRequest withBound(ReproductionRequest r, double bound) {
        return new ReproductionRequest(r.repo(), r.client(), r.repetitions(), r.seed(), r.cpu(), bound);
    }

    /** The pack's size from its name ({@code pack-256k}, {@code pack-4m}); 4 MiB if the name does not say. */
    static double packMiB(String repo) {
        Matcher m = PACK_SIZE.matcher(repo.toLowerCase(Locale.ROOT));
        if (!m.find()) {
            return 4;
        }
        double n = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "k" -> n / 1024;
            case "g" -> n * 1024;
            default -> n;
        };
    }

    @Override
    public synchronized void ended(ExperimentView experiment) {
        if (!"reproduction".equals(experiment.kind())) {
            return;
        }
        ReproductionRow row = rows.findByExperimentId(experiment.id()).orElse(null);
        if (row == null) {
            log.warn("experiment {} ended but no reproduction names it", experiment.id());
            return;
        }
        try {
            Report report = report(row, experiment);
            String json = StoredJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
            Map<String, String> charts = SvgCharts.all(experiment);
            charts.forEach((name, svg) -> jdbc.sql("INSERT INTO charts (reproduction_id, name, svg) VALUES (:id, :name, :svg)")
                    .param("id", row.id()).param("name", name).param("svg", svg).update());
            template.update(row.ended("completed", report.finishedAt(), json, MarkdownReport.of(report), null));
            log.info("reproduction {} completed in {} s: {}", row.id(), Math.round(report.wallSeconds()),
                    report.claims().stream().map(c -> c.number() + " " + c.verdict()).toList());
        } catch (RuntimeException e) {
            log.error("reproduction {}: the report could not be written", row.id(), e);
            template.update(row.ended("failed", clock.instant(), null, null, "the report could not be written: " + e));
        }
    }

    Report report(ReproductionRow row, ExperimentView experiment) {
        ReproductionRequest request = StoredJson.read(row.request(), ReproductionRequest.class);
        ClaimJudge judge = new ClaimJudge(experiment);
        Instant finished = clock.instant();
        List<Report.Configuration> configurations = new ArrayList<>();
        for (ExperimentView.CellView c : experiment.cells()) {
            Map<String, Summary.Stat> s = c.summary();
            configurations.add(new Report.Configuration(c.index(), c.label(), c.group(), c.policyLabel(), c.machine(), c.downloads(),
                    c.sessions(), c.runs().size(), (int) c.runs().stream().filter(r -> RunStatus.SUCCEEDED.equals(r.status())).count(),
                    med(s, "simulatedSeconds"), med(s, "throughputBytesPerSecond"), med(s, "wouldBlocks"), med(s, "sleepSeconds"),
                    med(s, "networkCpuShare"), med(s, "downloadCpuShareMean"), med(s, "echoP50Ms"), med(s, "echoP99Ms")));
        }
        List<String> notes = new ArrayList<>();
        notes.add("Runs with more than one download start their downloads one after another through tls-client; their machine holds"
                + " simulated time until the last one has attached (machine.start_after_threads), so they all start at time 0 and"
                + " a run repeats exactly when its real upstream answers within upstream.quiet_ms (upstream_late_arrivals counts"
                + " the times it did not).");
        notes.add("`stopped` runs reached the bound on simulated time with downloads unfinished; their figures are kept and count"
                + " as not finished. `failed` runs: " + experiment.progress().failed() + ", `stopped` runs: " + experiment.progress().stopped() + ".");
        long idleFailures = experiment.cells().stream().filter(c -> "idle-timeout".equals(c.group()))
                .flatMap(c -> c.runs().stream()).filter(r -> RunStatus.FAILED.equals(r.status())).count();
        if (idleFailures > 0) {
            notes.add(idleFailures + " of the failed runs are claim 7's stalled downloads ending in the idle timeout, as intended:"
                    + " that failure is the measurement.");
        }
        if (request.cpu() == null) {
            notes.add("Userspace CPU: tls-client's default accounting (no cost for TLS and git work between syscalls unless it says otherwise);"
                    + " CPU shares are the kernel's work on each thread's behalf.");
        }
        return new Report(row.id(), experiment.id(), request.repo(), request.client(), request.repetitions(), request.seed(),
                request.cpu(), request.maxSimulatedSeconds() == null ? 0 : request.maxSimulatedSeconds(), row.createdAt(), finished,
                Duration.between(row.createdAt(), finished).toMillis() / 1000.0, experiment.progress().total(),
                experiment.progress().failed(), VERDICT_RULE, judge.claims(), configurations, SvgCharts.captions(), notes);
    }

    private static Double med(Map<String, Summary.Stat> s, String figure) {
        Summary.Stat stat = s.get(figure);
        return stat == null ? null : stat.median();
    }

    public Optional<ReproductionView> view(String id) {
        return rows.findById(id).map(this::view);
    }

    public Optional<ReproductionView> latest() {
        return rows.latestCompleted().map(this::view);
    }

    public List<ReproductionView> recent(int limit) {
        return rows.recent(limit).stream().map(this::view).toList();
    }

    public Optional<String> reportJson(String id) {
        return rows.findById(id).map(ReproductionRow::reportJson);
    }

    public Optional<String> reportMarkdown(String id) {
        return rows.findById(id).map(ReproductionRow::reportMd);
    }

    public Optional<Report> report(String id) {
        return reportJson(id).map(j -> StoredJson.read(j, Report.class));
    }

    public Optional<String> chart(String id, String name) {
        return jdbc.sql("SELECT svg FROM charts WHERE reproduction_id = :id AND name = :name").param("id", id).param("name", name)
                .query(String.class).optional();
    }

    private ReproductionView view(ReproductionRow row) {
        ExperimentView.Progress progress = experiments.view(row.experimentId()).map(ExperimentView::progress).orElse(null);
        List<ReproductionView.Verdict> verdicts = List.of();
        ReproductionView.Links links = null;
        if (row.reportJson() != null) {
            Report report = StoredJson.read(row.reportJson(), Report.class);
            verdicts = report.claims().stream().map(c -> new ReproductionView.Verdict(c.number(), c.title(), c.verdict(), c.finding())).toList();
            String base = "/api/reproductions/" + row.id();
            links = new ReproductionView.Links(base + "/report.md", base + "/report.json",
                    report.charts().stream().map(c -> base + "/charts/" + c.name()).toList(), "/results?reproduction=" + row.id());
        }
        return new ReproductionView(row.id(), row.status(), row.experimentId(), row.createdAt(), row.finishedAt(),
                StoredJson.read(row.request(), ReproductionRequest.class), progress, verdicts, row.error(), links);
    }

    /** After a restart: a reproduction that was running is failed with the reason (its experiment was failed too). */
    public void recoverAfterRestart() {
        for (ReproductionRow row : rows.findByStatus("running")) {
            template.update(row.ended("failed", clock.instant(), null, null,
                    "the gateway stopped while it ran (found at its restart); its experiment " + row.experimentId() + " was failed; start it again"));
            log.warn("reproduction {} was running when the gateway stopped; marked failed", row.id());
        }
    }
}
