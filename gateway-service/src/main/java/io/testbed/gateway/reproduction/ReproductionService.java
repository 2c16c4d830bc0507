package io.testbed.gateway.reproduction;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.experiment.ExperimentListener;
import io.testbed.gateway.experiment.ExperimentPlan;
import io.testbed.gateway.experiment.ExperimentService;
import io.testbed.gateway.experiment.InvalidExperimentException;
import io.testbed.gateway.experiment.ExperimentView;
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
 * (JSON and Markdown) and the charts ({@link Charts}) into the database.
 */
@Service
public class ReproductionService implements ExperimentListener {

    private static final Logger log = LoggerFactory.getLogger(ReproductionService.class);
    private static final Pattern PACK_SIZE = Pattern.compile("(\\d+)([kmg])$");

    static final String VERDICT_RULE = "Each claim is judged on medians over the repetitions by the rule written under it, on the code"
            + " state it is about (the profile and commit named in its conditions). A verdict is `holds` when the figures meet the"
            + " rule, `holds only under ...` when they meet it only in the named condition or parts, `does not hold` otherwise, and"
            + " `not measurable` (with the reason) when a comparison's baseline made no progress (no download finished and none got"
            + " CPU) or a configuration gave no figures. Each verdict is then `robust` if every sensitivity variant (one uncertain"
            + " input moved to an end of its range) gives the same verdict, `fragile` otherwise, naming the inputs that flip it."
            + " Times are simulated (virtual clock), so the figures do not depend on the host.";

    private final ExperimentService experiments;
    private final TlsClient tlsClient;
    private final ReproductionRows rows;
    private final JdbcAggregateTemplate template;
    private final JdbcClient jdbc;
    private final io.testbed.gateway.kernel.MachineAdminClient machines;
    private final io.testbed.gateway.calibration.CalibrationReports calibration;
    private final Clock clock = Clock.systemUTC();

    public ReproductionService(ExperimentService experiments, TlsClient tlsClient, ReproductionRows rows,
                               JdbcAggregateTemplate template, JdbcClient jdbc, io.testbed.gateway.kernel.MachineAdminClient machines,
                               io.testbed.gateway.calibration.CalibrationReports calibration) {
        this.calibration = calibration;
        this.experiments = experiments;
        this.tlsClient = tlsClient;
        this.machines = machines;
        this.rows = rows;
        this.template = template;
        this.jdbc = jdbc;
        experiments.addListener(this);
    }

    /** Starts a reproduction; returns its id. */
    public synchronized ReproductionView submit(ReproductionRequest asked) {
        ReproductionRequest request = asked.withDefaults();
        if (request.cpu() == null && tlsClient.capabilities().cpu().contains(DEFAULT_CPU)) {
            request = new ReproductionRequest(request.repo(), request.client(), request.repetitions(), request.seed(), DEFAULT_CPU,
                    request.maxSimulatedSeconds(), request.loadRepo(), request.sensitivity());
        }
        double bound = request.maxSimulatedSeconds() != null ? request.maxSimulatedSeconds()
                : Math.max(30, 40 * packMiB(request.repo()));
        String id = "rp-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ReproductionRequest bounded = withBound(request, bound);
        // bad input and a full house are refused before the sensitivity's probe machines are made
        rename(() -> experiments.precheck(ReproductionCells.plan("check", bounded, bound, bounded.loadRepo(), List.of())));
        List<String> profiles = List.of(ReproductionCells.SEED, ReproductionCells.RATIO2, ReproductionCells.SEED_DOC);
        String cpu = request.cpu();
        List<Sensitivity.Variant> variants = Sensitivity.variants(request.sensitivity(), profiles, this::profileSettings, cpu)
                .stream().filter(v -> v.cpu() == null || (cpu != null && !v.cpu().equals(cpu))).toList();
        ExperimentPlan plan = ReproductionCells.plan("reproduction " + id + " (" + request.repo() + ")", bounded, bound,
                request.loadRepo(), variants);
        String[] experimentId = new String[1];
        rename(() -> experimentId[0] = experiments.submit(plan));
        template.insert(new ReproductionRow(id, experimentId[0], Status.RUNNING.label(), clock.instant(), null, StoredJson.write(bounded),
                null, null, null));
        log.info("reproduction {} started: experiment {} with {} runs ({} sensitivity variants)", id, experimentId[0], plan.totalRuns(),
                variants.size());
        return view(id).orElseThrow();
    }

    /** The userspace CPU mode of a reproduction that names none, when tls-client offers it: the calibrated model. */
    static final String DEFAULT_CPU = "modelled";

    /** Runs {@code r}, naming the reproduction's own fields in a refusal, not the matrix's they were expanded into. */
    private static void rename(Runnable r) {
        try {
            r.run();
        } catch (InvalidExperimentException e) {
            throw new InvalidExperimentException(switch (e.field()) {
                case "repos" -> "repo";
                case "clients" -> "client";
                default -> e.field();
            }, e.getMessage());
        }
    }

    /**
     * A profile's effective settings, read from kernel-sim: a machine made with the profile and deleted at
     * once (the sensitivity scales each profile's own costs).
     */
    Map<String, String> profileSettings(String profile) {
        String kernel = io.testbed.gateway.kernel.KernelProperties.DEFAULT_KERNEL;
        io.testbed.gateway.kernel.MachineInfo m = machines.create(kernel, new io.testbed.gateway.kernel.MachineSpec(profile, Map.of(),
                "virtual", 1L, "reproduction: settings of " + profile));
        try {
            return m.settings();
        } finally {
            machines.delete(kernel, m.id());
        }
    }

    private static ReproductionRequest withBound(ReproductionRequest r, double bound) {
        return new ReproductionRequest(r.repo(), r.client(), r.repetitions(), r.seed(), r.cpu(), bound, r.loadRepo(), r.sensitivity());
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
            Map<String, String> charts = Charts.all(experiment, report);
            charts.forEach((name, svg) -> jdbc.sql("INSERT INTO charts (reproduction_id, name, svg) VALUES (:id, :name, :svg)")
                    .param("id", row.id()).param("name", name).param("svg", svg).update());
            template.update(row.ended(Status.COMPLETED.label(), report.finishedAt(), json, MarkdownReport.of(report), null));
            log.info("reproduction {} completed in {} s: {}", row.id(), Math.round(report.wallSeconds()),
                    report.claims().stream().map(c -> c.number() + " " + c.verdict()).toList());
        } catch (RuntimeException e) {
            log.error("reproduction {}: the report could not be written", row.id(), e);
            template.update(row.ended(Status.FAILED.label(), clock.instant(), null, null, "the report could not be written: " + e));
        }
    }

    /**
     * Judges a completed reproduction's stored figures again with the current rules and rewrites its report
     * and charts (no run is repeated): for a rule fixed after the runs.
     */
    public synchronized Optional<ReproductionView> rejudge(String id) {
        ReproductionRow row = rows.findById(id).orElse(null);
        if (row == null || !Status.COMPLETED.is(row.status())) {
            return Optional.empty();
        }
        ExperimentView experiment = experiments.view(row.experimentId()).orElseThrow();
        Report old = StoredJson.read(row.reportJson(), Report.class);
        Report fresh = report(row, experiment);
        Report report = new Report(fresh.reproductionId(), fresh.experimentId(), fresh.repo(), fresh.client(), fresh.repetitions(),
                fresh.seed(), fresh.cpu(), fresh.maxSimulatedSeconds(), old.startedAt(), old.finishedAt(), old.wallSeconds(), fresh.runs(),
                fresh.runsFailed(), fresh.verdictRule(), fresh.claims(), fresh.configurations(), fresh.charts(), fresh.notes(),
                fresh.profiles(), fresh.sensitivitySet(), fresh.sensitivity(), fresh.againstRealKernel(), fresh.opening(), fresh.jitterUs(),
                fresh.loadRepo());
        jdbc.sql("DELETE FROM charts WHERE reproduction_id = :id").param("id", id).update();
        Charts.all(experiment, report).forEach((name, svg) -> jdbc.sql("INSERT INTO charts (reproduction_id, name, svg) VALUES (:id, :name, :svg)")
                .param("id", id).param("name", name).param("svg", svg).update());
        template.update(row.ended(Status.COMPLETED.label(), old.finishedAt(), StoredJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report),
                MarkdownReport.of(report), null));
        log.info("reproduction {} judged again: {}", id, report.claims().stream().map(c -> c.number() + " " + c.verdict()).toList());
        return view(id);
    }

    Report report(ReproductionRow row, ExperimentView experiment) {
        ReproductionRequest request = StoredJson.read(row.request(), ReproductionRequest.class);
        ClaimJudge judge = new ClaimJudge(experiment);
        Instant finished = clock.instant();
        List<Report.Configuration> configurations = new ArrayList<>();
        for (ExperimentView.CellView c : experiment.cells()) {
            if (c.group() != null && c.group().startsWith(Sensitivity.GROUP_PREFIX)) {
                continue;
            }
            Map<String, Summary.Stat> s = c.summary();
            configurations.add(new Report.Configuration(c.index(), c.label(), c.group(), c.policyLabel(), c.machine(), c.downloads(),
                    c.sessions(), c.runs().size(), (int) c.runs().stream().filter(r -> Status.SUCCEEDED.is(r.status())).count(),
                    med(s, "simulatedSeconds"), med(s, "throughputBytesPerSecond"), med(s, "wouldBlocks"), med(s, "sleepSeconds"),
                    med(s, "networkCpuShare"), med(s, "downloadCpuShareMean"), med(s, "echoP50Ms"), med(s, "echoP99Ms"),
                    med(s, "echoLoss"), c.repo(), ReproductionProfiles.commitOf(c.profile()), judge.meanSplit(c.label())));
        }
        List<Report.Claim> claims = judge.claims();
        SensitivityResult sens = SensitivityResult.of(experiment, claims, request.sensitivity());
        claims = sens.claims();
        List<String> notes = notes(request, experiment);
        String opening = ReportOpening.of(judge, claims);
        return new Report(row.id(), experiment.id(), request.repo(), request.client(), request.repetitions(), request.seed(),
                request.cpu(), request.maxSimulatedSeconds() == null ? 0 : request.maxSimulatedSeconds(), row.createdAt(), finished,
                Duration.between(row.createdAt(), finished).toMillis() / 1000.0, experiment.progress().total(),
                experiment.progress().failed(), VERDICT_RULE, claims, configurations, Charts.captions(), notes,
                ReproductionProfiles.used(), request.sensitivity(), sens.rows(), RealKernel.figures(judge, calibration.latest()), opening,
                ReproductionCells.JITTER_US, request.loadRepo());
    }

    /** The profile name of a cell's machine description ({@code profile} or {@code profile + overrides}). */
    static String profileOf(String machine) {
        if (machine == null) {
            return null;
        }
        String m = machine.trim();
        int cut = m.indexOf(' ');
        return cut < 0 ? m : m.substring(0, cut);
    }

    private List<String> notes(ReproductionRequest request, ExperimentView experiment) {
        List<String> notes = new ArrayList<>();
        notes.add("Runs with more than one download start their downloads one after another through tls-client; their machine holds"
                + " simulated time until the last one has attached (machine.start_after_threads), so they all start at time 0.");
        notes.add("Every link has " + ReproductionCells.JITTER_US + " us of seeded jitter (link.jitter_us: each segment is delayed by"
                + " a further 0 to " + ReproductionCells.JITTER_US + " us, uniform, order kept), an estimate of QEMU's user-mode network"
                + " on one host: slirp delivers in QEMU's main-loop iterations, a few hundred microseconds apart under TCG. The"
                + " repetitions differ by their seeds, so 'median (min - max)' is a spread, not one value three times.");
        notes.add("The claims about load, CPU shares and stalls (3-8) download " + request.loadRepo() + " instead of " + request.repo()
                + ": they are about shares and latencies, which do not need 4 MiB, and the seed's commit writes the pack with"
                + " whole-file ext2 writes whose cost grows with the file (quadratic).");
        notes.add("`stopped` runs reached the bound on simulated time with downloads unfinished; their figures are kept and count"
                + " as not finished. `failed` runs: " + experiment.progress().failed() + ", `stopped` runs: " + experiment.progress().stopped() + ".");
        notes.add("Userspace CPU: tls-client's `" + request.cpu() + "` mode (the calibrated per-operation cost table of Akuma's clients"
                + " under QEMU TCG, UserCostTable) for client `" + request.client() + "`.");
        return notes;
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
        for (ReproductionRow row : rows.findByStatus(Status.RUNNING.label())) {
            template.update(row.ended(Status.FAILED.label(), clock.instant(), null, null,
                    "the gateway stopped while it ran (found at its restart); its experiment " + row.experimentId() + " was failed; start it again"));
            log.warn("reproduction {} was running when the gateway stopped; marked failed", row.id());
        }
    }
}
