package io.testbed.gateway.experiment;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.common.TooManyRunningException;
import io.testbed.gateway.download.DownloadProperties;
import io.testbed.gateway.git.GitServerClient;
import io.testbed.gateway.git.RepoTooLargeException;
import io.testbed.gateway.kernel.KernelDirectory;
import io.testbed.gateway.kernel.KernelFullException;
import io.testbed.gateway.kernel.KernelUnavailableException;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.store.StoredJson;
import io.testbed.gateway.tlsclient.Capabilities;
import io.testbed.gateway.tlsclient.TlsClient;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts experiments and runs them. An experiment is checked whole before anything is stored
 * (repos, clients, policies and CPU mode against what the services offer; every distinct machine by
 * creating and deleting it on every kernel), then stored with all its runs as {@code pending} in one
 * transaction, then its runs are queued on one pool of {@code testbed.experiments.parallel-runs}
 * threads shared by all experiments, each run going to the kernel {@link KernelDirectory} leases it (the
 * healthy one with the most free capacity; the static kernels in turn while none is probed healthy). A run
 * whose kernel becomes unreachable or full under it is started again from the beginning (same seed, so the
 * same result) on another kernel, at most {@code testbed.kernel-discovery.max-attempts} times. When
 * the last run of an experiment ends, the experiment is {@code completed} and the
 * {@link ExperimentListener}s are told. At most {@code testbed.experiments.max-running} experiments
 * (reproductions included) run at once: one more is refused before anything is checked or stored.
 */
@Service
public class ExperimentService {

    private static final Logger log = LoggerFactory.getLogger(ExperimentService.class);

    private final ExperimentRows experiments;
    private final RunRows runs;
    private final JdbcAggregateTemplate template;
    private final TransactionTemplate transactions;
    private final RunExecutor executor;
    private final MachineAdminClient machines;
    private final TlsClient tlsClient;
    private final GitServerClient git;
    private final ExperimentProperties properties;
    private final DownloadProperties downloadProperties;
    private final Semaphore slots;
    private final ExecutorService pool;
    private final Map<String, AtomicInteger> remaining = new ConcurrentHashMap<>();
    private final List<ExperimentListener> listeners = new CopyOnWriteArrayList<>();
    private final KernelDirectory directory;
    private final Clock clock = Clock.systemUTC();

    public ExperimentService(ExperimentRows experiments, RunRows runs, JdbcAggregateTemplate template,
                             TransactionTemplate transactions, RunExecutor executor, MachineAdminClient machines,
                             TlsClient tlsClient, GitServerClient git, ExperimentProperties properties,
                             DownloadProperties downloadProperties, KernelDirectory directory) {
        this.experiments = experiments;
        this.runs = runs;
        this.template = template;
        this.transactions = transactions;
        this.executor = executor;
        this.machines = machines;
        this.tlsClient = tlsClient;
        this.git = git;
        this.properties = properties;
        this.downloadProperties = downloadProperties;
        this.directory = directory;
        this.slots = new Semaphore(Math.max(1, properties.maxRunning()));
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, properties.parallelRuns()), r -> {
            Thread t = new Thread(r, "experiment-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void addListener(ExperimentListener listener) {
        listeners.add(listener);
    }

    public ExperimentProperties properties() {
        return properties;
    }

    /**
     * Checks, stores and queues an experiment.
     *
     * @return its id
     * @throws TooManyRunningException      {@code max-running} experiments and reproductions are running already
     * @throws ExperimentTooLargeException over {@code max-runs}
     * @throws RepoTooLargeException       a repository over {@code testbed.downloads.max-repo-bytes}
     * @throws InvalidExperimentException  asking for what the services do not have
     */
    public String submit(ExperimentPlan plan) {
        if (!slots.tryAcquire()) {
            throw new TooManyRunningException("experiments and reproductions", Math.max(1, properties.maxRunning()),
                    "testbed.experiments.max-running", 30);
        }
        boolean queued = false;
        try {
            String id = checkAndStore(plan);
            queued = true;
            return id;
        } finally {
            if (!queued) {
                slots.release();
            }
        }
    }

    private String checkAndStore(ExperimentPlan plan) {
        check(plan);
        String id = "ex-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Instant now = clock.instant();
        List<RunRow> rows = new ArrayList<>();
        for (Cell cell : plan.cells()) {
            for (int rep = 1; rep <= cell.repetitions(plan.repetitions()); rep++) {
                rows.add(new RunRow(id + "-c" + cell.index() + "-r" + rep, id, cell.index(), rep, cell.seed(plan.seed(), rep),
                        Status.PENDING.label(), null, null, null, null, null, null));
            }
        }
        transactions.executeWithoutResult(tx -> {
            template.insert(new ExperimentRow(id, plan.name(), plan.kind(), Status.RUNNING.label(), now, null, plan.totalRuns(),
                    StoredJson.write(plan), null));
            rows.forEach(template::insert);
        });
        remaining.put(id, new AtomicInteger(rows.size()));
        log.info("experiment {} ({}) accepted: {} cells x {} repetitions", id, plan.name(), plan.cells().size(), plan.repetitions());
        for (RunRow row : rows) {
            pool.submit(() -> execute(id, plan, row));
        }
        return id;
    }

    /**
     * Checks a plan as {@link #submit} would, without storing it, and that another experiment would be accepted
     * now (for a caller that must do work, such as creating machines, before its real plan exists).
     */
    public void precheck(ExperimentPlan plan) {
        if (slots.availablePermits() == 0) {
            throw new TooManyRunningException("experiments and reproductions", Math.max(1, properties.maxRunning()),
                    "testbed.experiments.max-running", 30);
        }
        check(plan);
    }

    /** The whole matrix, before anything is stored or run: a refusal names the value (400) or the bound (413). */
    private void check(ExperimentPlan plan) {
        if (plan.totalRuns() > properties.maxRuns()) {
            throw new ExperimentTooLargeException(plan.totalRuns(), properties.maxRuns());
        }
        if (plan.cells().isEmpty()) {
            throw new InvalidExperimentException("cells", "The experiment has no cells: every dimension needs at least one value");
        }
        Map<String, Long> repoSizes = git.repoSizes();
        Capabilities capabilities = tlsClient.capabilities();
        checkCpu(plan, capabilities);
        Set<MachineConfig> machineConfigs = checkCells(plan, repoSizes, capabilities);
        checkPolicies(plan);
        checkMachinesOnEveryKernel(machineConfigs);
    }

    /** The CPU mode against tls-client's. */
    private static void checkCpu(ExperimentPlan plan, Capabilities capabilities) {
        if (plan.cpu() != null && !capabilities.cpu().isEmpty() && !capabilities.cpu().contains(plan.cpu())) {
            throw new InvalidExperimentException("cpu", "Unknown cpu mode '" + plan.cpu() + "'; tls-client-service offers: " + capabilities.cpu());
        }
        if (plan.cpu() != null && capabilities.cpu().isEmpty()) {
            throw new InvalidExperimentException("cpu", "This tls-client-service does not offer userspace CPU modes; leave cpu out");
        }
    }

    /** Each cell's repo, client, policy type, downloads and machine settings; the distinct machines, to try. */
    private Set<MachineConfig> checkCells(ExperimentPlan plan, Map<String, Long> repoSizes, Capabilities capabilities) {
        Set<MachineConfig> machineConfigs = new LinkedHashSet<>();
        for (Cell cell : plan.cells()) {
            if (!repoSizes.containsKey(cell.repo())) {
                throw new InvalidExperimentException("repos", "Unknown repo '" + cell.repo() + "'; the git server has: "
                        + repoSizes.keySet().stream().sorted().toList());
            }
            GitServerClient.requireWithin(cell.repo(), repoSizes.get(cell.repo()), downloadProperties.maxRepoBytes().toBytes());
            if (!capabilities.clients().contains(cell.client())) {
                throw new InvalidExperimentException("clients", "Unknown client '" + cell.client() + "'; tls-client-service offers: " + capabilities.clients());
            }
            if (!capabilities.policies().contains(cell.policy().type())) {
                throw new InvalidExperimentException("policies", "Unknown policy type '" + cell.policy().type()
                        + "'; tls-client-service offers: " + capabilities.policies());
            }
            if (cell.downloads() < 1 || cell.downloads() > properties.maxDownloadsPerRun()) {
                throw new InvalidExperimentException("downloads", "downloads must be 1.." + properties.maxDownloadsPerRun()
                        + " per run (testbed.experiments.max-downloads-per-run), was " + cell.downloads());
            }
            String[] bad = io.testbed.gateway.kernel.OverrideValues.firstProblem(cell.machine().overrides());
            if (bad != null) {
                throw new InvalidExperimentException("machines", bad[1]);
            }
            Map<String, String> withSessions = new LinkedHashMap<>(cell.machine().overrides());
            withSessions.put("sessions.count", Integer.toString(cell.sessions()));
            machineConfigs.add(new MachineConfig("", cell.machine().profile(), withSessions));
        }
        return machineConfigs;
    }

    private void checkPolicies(ExperimentPlan plan) {
        // every policy once, by tls-client itself (its bounds are the only ones): a refused one is found before anything runs
        Set<PolicySpec> policies = new LinkedHashSet<>();
        plan.cells().forEach(c -> policies.add(c.policy()));
        for (PolicySpec p : policies) {
            String problem = tlsClient.policyProblem(p.asMap());
            if (problem != null) {
                throw new InvalidExperimentException("policies", "policy '" + p.label() + "' is refused by tls-client-service: " + problem);
            }
        }
    }

    private void checkMachinesOnEveryKernel(Set<MachineConfig> machineConfigs) {
        // every machine once on every kernel: a refused profile or setting is found before anything runs
        List<String> kernels = directory.usable();
        if (kernels.isEmpty()) {
            try (KernelDirectory.Lease none = directory.lease(java.time.Duration.ZERO)) {
                kernels = List.of(none.kernel());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidExperimentException("machines", "interrupted while looking for a kernel");
            }
        }
        for (String kernel : kernels) {
            for (MachineConfig m : machineConfigs) {
                MachineInfo probe = machines.create(kernel, new MachineSpec(m.profile(), m.overrides(), "virtual", 0, "experiment check"));
                machines.delete(kernel, probe.id());
            }
        }
    }

    private void execute(String experimentId, ExperimentPlan plan, RunRow pending) {
        Cell cell = plan.cells().get(pending.cellIndex());
        RunRow[] row = {pending};
        try {
            RunExecutor.Outcome outcome = null;
            int attempts = directory.properties().maxAttempts();
            for (int attempt = 1; outcome == null; attempt++) {
                try (KernelDirectory.Lease lease = directory.lease(directory.properties().waitForKernel())) {
                    String kernel = lease.kernel();
                    row[0] = pending.started(kernel, null, row[0].startedAt() != null ? row[0].startedAt() : clock.instant());
                    template.update(row[0]);
                    try {
                        outcome = executor.run(experimentId, plan, cell, pending.repetition(), pending.seed(), kernel,
                                (k, machineId) -> {
                                    row[0] = pending.started(k, machineId, row[0].startedAt());
                                    template.update(row[0]);
                                });
                    } catch (KernelUnavailableException | KernelFullException e) {
                        String problem = e.getMessage() != null ? e.getMessage() : e.toString();
                        if (e instanceof KernelUnavailableException) {
                            directory.failed(kernel, problem);
                        }
                        if (attempt >= attempts) {
                            throw e;
                        }
                        log.warn("run {} (attempt {} of {}) lost kernel {}: starting it again on another kernel: {}",
                                pending.id(), attempt, attempts, kernel, problem);
                    }
                }
            }
            template.update(row[0].ended(outcome.status(), clock.instant(),
                    outcome.result() == null ? null : StoredJson.write(outcome.result()), truncate(outcome.error())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            template.update(row[0].ended(Status.FAILED, clock.instant(), null, "the gateway stopped during the run"));
        } catch (RuntimeException e) {
            log.warn("run {} failed: {}", pending.id(), e.toString());
            template.update(row[0].ended(Status.FAILED, clock.instant(), null, truncate(e.getMessage() != null ? e.getMessage() : e.toString())));
        } finally {
            AtomicInteger left = remaining.get(experimentId);
            if (left != null && left.decrementAndGet() == 0) {
                remaining.remove(experimentId);
                // free the running slot before the end is visible: whoever sees it ended may submit another at once
                slots.release();
                complete(experimentId);
            }
        }
    }

    private void complete(String experimentId) {
        ExperimentRow row = experiments.findById(experimentId).orElseThrow();
        long failed = runs.ofExperiment(experimentId).stream().filter(r -> Status.FAILED.is(r.status())).count();
        template.update(row.finished(Status.COMPLETED.label(), clock.instant(), failed == 0 ? null : failed + " of " + row.totalRuns() + " runs failed"));
        log.info("experiment {} completed{}", experimentId, failed == 0 ? "" : " (" + failed + " runs failed)");
        ExperimentView view = view(experimentId).orElseThrow();
        for (ExperimentListener l : listeners) {
            try {
                l.ended(view);
            } catch (RuntimeException e) {
                log.error("a listener failed on experiment {}", experimentId, e);
            }
        }
    }

    public Optional<ExperimentView> view(String id) {
        return experiments.findById(id).map(row -> view(row, runs.ofExperiment(id)));
    }

    /** The most recent experiments, newest first, without their cells. */
    public List<ExperimentView> recent(int limit) {
        return experiments.recent(limit).stream().map(row -> {
            ExperimentView v = view(row, runs.ofExperiment(row.id()));
            return new ExperimentView(v.id(), v.name(), v.kind(), v.status(), v.createdAt(), v.finishedAt(), v.seed(),
                    v.repetitions(), v.cpu(), v.maxSimulatedSeconds(), v.progress(), v.error(), List.of());
        }).toList();
    }

    private static ExperimentView view(ExperimentRow row, List<RunRow> runRows) {
        ExperimentPlan plan = StoredJson.read(row.spec(), ExperimentPlan.class);
        int[] counts = new int[6];
        for (RunRow r : runRows) {
            Status status = Status.of(r.status());
            switch (status == null ? Status.CANCELLED : status) {
                case PENDING -> counts[0]++;
                case RUNNING -> counts[1]++;
                case SUCCEEDED -> counts[2]++;
                case FAILED -> counts[3]++;
                case STOPPED -> counts[4]++;
                default -> counts[5]++;
            }
        }
        List<ExperimentView.CellView> cells = new ArrayList<>();
        for (Cell c : plan.cells()) {
            List<ExperimentView.RunView> rv = new ArrayList<>();
            List<RunResult> results = new ArrayList<>();
            for (RunRow r : runRows) {
                if (r.cellIndex() != c.index()) {
                    continue;
                }
                RunResult result = r.result() == null ? null : StoredJson.read(r.result(), RunResult.class);
                if (result != null) {
                    results.add(result);
                }
                rv.add(new ExperimentView.RunView(r.id(), r.repetition(), r.seed(), r.status(), r.kernel(), r.machineId(),
                        r.startedAt(), r.finishedAt(), r.error(), result));
            }
            cells.add(new ExperimentView.CellView(c.index(), c.label(), c.group(), c.repo(), c.client(), c.policy().asMap(),
                    c.policy().label(), c.machine().label(), c.machine().profile(), c.machine().overrides(), c.downloads(),
                    c.sessions(), rv, Summary.of(results)));
        }
        return new ExperimentView(row.id(), row.name(), row.kind(), row.status(), row.createdAt(), row.finishedAt(),
                plan.seed(), plan.repetitions(), plan.cpu(), plan.maxSimulatedSeconds(),
                new ExperimentView.Progress(runRows.size(), counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]),
                row.error(), cells);
    }

    /**
     * After a restart: runs that were in flight are marked failed, runs not started are cancelled, and
     * their experiments failed, each with the reason (StartupRecovery then deletes their machines, found
     * by their owner: the experiment's id). Nothing is resumed: a result is only ever from one uninterrupted run.
     *
     * @return the ids of the experiments that were running
     */
    public List<String> recoverAfterRestart() {
        Instant now = clock.instant();
        List<String> ids = new ArrayList<>();
        for (ExperimentRow row : experiments.findByStatus(Status.RUNNING.label())) {
            int inFlight = 0, notStarted = 0;
            for (RunRow r : runs.ofExperiment(row.id())) {
                if (Status.RUNNING.is(r.status())) {
                    inFlight++;
                    template.update(r.ended(Status.FAILED, now, null, "in flight when the gateway stopped (found at its restart, "
                            + now + "); machine " + r.machineId() + " on kernel " + r.kernel() + " was deleted if it still existed"));
                } else if (Status.PENDING.is(r.status())) {
                    notStarted++;
                    template.update(r.ended(Status.CANCELLED, now, null, "not started when the gateway stopped (found at its restart, " + now + ")"));
                }
            }
            template.update(row.finished(Status.FAILED.label(), now, "the gateway stopped while the experiment ran: " + inFlight
                    + " runs in flight were marked failed, " + notStarted + " not yet started were cancelled; submit it again"));
            ids.add(row.id());
            log.warn("experiment {} was running when the gateway stopped: {} runs failed, {} cancelled", row.id(), inFlight, notStarted);
        }
        return ids;
    }

    /**
     * How the machines of an experiment's runs are named ({@code experiment <id> cell <n> rep <r>}): a label in the
     * kernel's machine list (a restarted gateway finds them by their owner, the experiment's id).
     */
    public static String machineNamePrefix(String experimentId) {
        return "experiment " + experimentId + " ";
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 3900 ? s : s.substring(0, 3900) + "...";
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
