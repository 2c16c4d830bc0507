package io.testbed.gateway.run;

import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.tlsclient.StartRequest;
import io.testbed.gateway.tlsclient.TlsClient;
import io.testbed.gateway.tlsclient.TlsDownload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One machine and the downloads tls-client runs on it, through the steps every way the gateway runs a
 * machine's downloads goes: create the machine, start the downloads, poll them, read the machine's stats,
 * delete the machine. A single download ({@code download/}) and an experiment's run ({@code experiment/})
 * differ only in what they decide after each poll; {@link MachineRuns} creates the runs and drives the polls.
 * The machine is deleted at most once, and only if the run created it (not the kernel's default live machine).
 */
public final class MachineRun {

    private static final Logger log = LoggerFactory.getLogger(MachineRun.class);

    private final MachineAdminClient machines;
    private final TlsClient tlsClient;
    private final String kernel;
    private final String machineId;
    private final boolean created;
    private final String owner;
    private final List<String> downloadIds = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, TlsDownload> latest = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicBoolean deleted = new AtomicBoolean();

    MachineRun(MachineAdminClient machines, TlsClient tlsClient, String kernel, String machineId, boolean created, String owner) {
        this.machines = machines;
        this.tlsClient = tlsClient;
        this.kernel = kernel;
        this.machineId = machineId;
        this.created = created;
        this.owner = owner;
    }

    public String kernel() {
        return kernel;
    }

    public String machineId() {
        return machineId;
    }

    /** Whether this run created its machine (and so deletes it at the end). */
    public boolean created() {
        return created;
    }

    /** Whose run this is: the id of the download or the experiment that asked for it. */
    public String owner() {
        return owner;
    }

    /** Step 2: starts one download on the machine; returns tls-client's id for it (as {@link TlsClient#start} does). */
    public String start(String repo, String client, Map<String, Object> policy, Map<String, Object> cpu) {
        String id = tlsClient.start(new StartRequest(kernel, machineId, repo, client, policy, "ca", cpu));
        downloadIds.add(id);
        return id;
    }

    /** The ids of the downloads started, in order. */
    public List<String> downloadIds() {
        synchronized (downloadIds) {
            return List.copyOf(downloadIds);
        }
    }

    /**
     * Step 3: asks tls-client for the state of every download started and keeps it ({@link #latest}).
     *
     * @return whether any of them is still running
     * @throws RuntimeException whatever {@link TlsClient#status} throws, for the first download it could not read
     */
    public boolean poll() {
        boolean running = false;
        for (String id : downloadIds()) {
            TlsDownload d = tlsClient.status(id);
            latest.put(id, d);
            running |= d.running();
        }
        return running;
    }

    /** tls-client's latest report of each download, by id, in the order they were started (those polled at least once). */
    public Map<String, TlsDownload> latest() {
        synchronized (latest) {
            return new LinkedHashMap<>(latest);
        }
    }

    /** The machine as the kernel reports it now (its clock and state). */
    public MachineInfo machine() {
        return machines.get(kernel, machineId);
    }

    /** Step 4: the machine's counters and per-thread accounting. */
    public KernelStats stats() {
        return machines.stats(kernel, machineId);
    }

    /** {@link #stats}, or null if they could not be read (logged). */
    public KernelStats statsOrNull() {
        try {
            return stats();
        } catch (RuntimeException e) {
            log.warn("could not read stats of machine {} on kernel {} ({}): {}", machineId, kernel, owner, e.getMessage());
            return null;
        }
    }

    /** Step 5: deletes the machine if this run created it; once, whatever happened; a failure is logged. */
    public void delete() {
        if (!created || !deleted.compareAndSet(false, true)) {
            return;
        }
        try {
            machines.delete(kernel, machineId);
        } catch (RuntimeException e) {
            log.warn("could not delete machine {} on kernel {} ({}): {}", machineId, kernel, owner, e.getMessage());
        }
    }
}
