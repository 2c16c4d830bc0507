package io.testbed.bench.e2e;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The readable table of a bench.json: every figure, its target where the issue sets one, and whether it is met. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    private Table() {
    }

    static String of(JsonNode r) {
        Table t = new Table();
        JsonNode e = r.path("e2e");
        JsonNode j = r.path("jmh");
        t.virtualClockSpeed(e);
        t.roundTrips(e, j);
        t.engineEvents(e, j);
        t.schedulerPasses(j);
        t.overhead(e);
        t.concurrency(e);
        t.parallelMachines(e);
        t.memory(e);
        t.reproduction(r);
        return t.render(r);
    }

    private void virtualClockSpeed(JsonNode e) {
        JsonNode speed = e.path("virtualClockSpeed");
        if (!speed.isMissingNode()) {
            double s = speed.path("speed").asDouble();
            row("virtual-clock speed, pack-4m sleep 10 ms (simulated s / wall s, median)", f("%.1fx", s), ">= 100x", s >= 100);
        }
    }

    /** The syscall round trip: live over gRPC, and JMH's gRPC and in-process figures. */
    private void roundTrips(JsonNode e, JsonNode j) {
        JsonNode rtt = e.path("grpcRoundTrip");
        if (!rtt.isMissingNode()) {
            row("gRPC syscall round trip p50, tls-client-like process -> running kernel-sim", f("%.0f us", rtt.path("p50Us").asDouble()), "<= 50 us", rtt.path("p50Us").asDouble() <= 50);
            row("gRPC syscall round trip p99, same", f("%.0f us", rtt.path("p99Us").asDouble()), "<= 300 us", rtt.path("p99Us").asDouble() <= 300);
        }
        JsonNode framed = e.path("framedRoundTrip");
        if (!framed.isMissingNode()) {
            row("framed syscall stream round trip p50 / p99 (Unix socket; make run's tls-client transport), same",
                    f("%.0f / %.0f us", framed.path("p50Us").asDouble(), framed.path("p99Us").asDouble()), "<= 50 us / <= 300 us",
                    framed.path("p50Us").asDouble() <= 50 && framed.path("p99Us").asDouble() <= 300);
        }
        for (String binding : List.of("grpc-uds", "framed")) {
            JsonNode jmh = j.path("SyscallRoundTripBenchmark.clockGettime binding=" + binding + " clock=virtual");
            if (!jmh.isMissingNode()) {
                row(binding + " round trip p50 / p99, JMH, client and server in one JVM", f("%.0f / %.0f us", jmh.path("p50").asDouble(),
                        jmh.path("p99").asDouble()), "<= 50 us / <= 300 us", jmh.path("p50").asDouble() <= 50 && jmh.path("p99").asDouble() <= 300);
            }
        }
        JsonNode grpc = j.path("SyscallRoundTripBenchmark.clockGettime binding=grpc clock=virtual");
        if (!grpc.isMissingNode()) {
            row("gRPC round trip p50 / p99, JMH, client and server in one JVM", f("%.0f / %.0f us", grpc.path("p50").asDouble(), grpc.path("p99").asDouble()), "<= 50 us / <= 300 us",
                    grpc.path("p50").asDouble() <= 50 && grpc.path("p99").asDouble() <= 300);
        }
        JsonNode inproc = j.path("SyscallRoundTripBenchmark.clockGettime binding=inprocess clock=virtual");
        if (!inproc.isMissingNode()) {
            row("in-process syscall round trip p50 / p99 (JMH)", f("%.1f / %.1f us", inproc.path("p50").asDouble(), inproc.path("p99").asDouble()), "-", null);
        }
    }

    /** Engine events per second: JMH's downloads, the running kernel-sim's own count, JMH's would-block loopers. */
    private void engineEvents(JsonNode e, JsonNode j) {
        JsonNode dl = j.path("EngineBenchmark.download bytes=1048576 listener=none");
        if (!dl.isMissingNode()) {
            double ev = dl.path("eventsPerSecond").asDouble();
            double cpu = dl.path("eventsPerCpuSecond").asDouble();
            row("engine events/s, raw-TCP 1 MiB download on akuma-2026-01-31, no listener (JMH): per wall s / per CPU s",
                    f("%.2f / %.2f M/s", ev / 1e6, cpu / 1e6), ">= 10 M/s", Math.max(ev, cpu) >= 10e6);
        }
        JsonNode dlm = j.path("EngineBenchmark.download bytes=1048576 listener=metrics");
        if (!dlm.isMissingNode()) {
            double ev = dlm.path("eventsPerSecond").asDouble();
            double cpu = dlm.path("eventsPerCpuSecond").asDouble();
            row("engine events/s, same with the service's KernelMetrics listening (JMH): per wall s / per CPU s",
                    f("%.2f / %.2f M/s", ev / 1e6, cpu / 1e6), ">= 10 M/s", Math.max(ev, cpu) >= 10e6);
        }
        JsonNode vs = e.path("virtualClockSpeed");
        if (!vs.isMissingNode()) {
            List<Double> rates = new ArrayList<>();
            for (JsonNode run : vs.path("runs")) {
                if (!run.path("warmup").asBoolean() && run.path("wall_busy_ns").asLong() > 0) {
                    rates.add(run.path("events").asLong() / (run.path("wall_busy_ns").asLong() / 1e9));
                }
            }
            if (!rates.isEmpty()) {
                double ev = EndToEnd.median(rates);
                row("engine events/s in the running kernel-sim (benchmark 1: events / wall_busy)", f("%.2f M/s", ev / 1e6), ">= 10 M/s", ev >= 10e6);
            }
        }
        JsonNode sch = j.path("EngineBenchmark.scheduler");
        if (!sch.isMissingNode()) {
            double ev = sch.path("eventsPerSecond").asDouble();
            double cpu = sch.path("eventsPerCpuSecond").asDouble();
            row("engine events/s, 4 would-block loopers (JMH): per wall s / per CPU s", f("%.2f / %.2f M/s", ev / 1e6, cpu / 1e6),
                    ">= 10 M/s", Math.max(ev, cpu) >= 10e6);
        }
    }

    private void schedulerPasses(JsonNode j) {
        for (String users : List.of("1", "8", "24")) {
            JsonNode p = j.path("SchedulerPassBenchmark.pass policy=akuma-ratio users=" + users);
            if (!p.isMissingNode()) {
                row("one scheduler pass, akuma-ratio, " + users + " user threads (JMH)", f("%.0f ns", p.path("score").asDouble()), "-", null);
            }
        }
    }

    private void overhead(JsonNode e) {
        JsonNode ov = e.path("overhead");
        if (!ov.isMissingNode()) {
            double ratio = ov.path("ratio").asDouble();
            row("testbed overhead: live kernel-sim (fastest settings) / plain loopback socket, pack-4m",
                    f("%.1f%% (%.1f vs %.1f MB/s)", ratio * 100, ov.path("simMegabytesPerSecond").asDouble(), ov.path("hostBestMegabytesPerSecond").asDouble()),
                    ">= 70%", ratio >= 0.70);
            if (ov.has("modelBoundMegabytesPerSecond")) {
                double bound = ov.path("modelBoundMegabytesPerSecond").asDouble();
                row("  the modelled machine's own bound for it (virtual clock, same settings: " + f("%.3f", ov.path("modelFloorSimulatedSeconds").asDouble())
                                + " simulated s of kernel work)", f("%.1f MB/s = %.0f%% of the plain socket", bound,
                                100 * bound / ov.path("hostBestMegabytesPerSecond").asDouble()), "-", null);
            }
        }
    }

    private void concurrency(JsonNode e) {
        for (String series : List.of("oneMachine", "oneMachineRoundRobin")) {
            for (JsonNode c : e.path("concurrency").path(series)) {
                row(c.path("downloads").asInt() + " concurrent pack-4m downloads on one machine"
                                + (series.equals("oneMachine") ? " (akuma-2026-01-31" : " (sched.policy=round-robin") + ", started together)"
                                + ": wall (machine's simulated time)",
                        f("%.1f s (%.1f s, %d/%d ok)", c.path("wallSeconds").asDouble(), c.path("machineSimulatedSeconds").asDouble(),
                                c.path("succeeded").asInt(), c.path("downloads").asInt()), "-", null);
            }
        }
    }

    private void parallelMachines(JsonNode e) {
        JsonNode par = e.path("parallelMachines");
        if (!par.isMissingNode()) {
            double sp = par.path("speedup").asDouble();
            row("8-run experiment, 1 vs 2 parallel machines: wall", f("%.1f s vs %.1f s = %.2fx", par.path("parallel1").path("wallSeconds").asDouble(),
                    par.path("parallel2").path("wallSeconds").asDouble(), sp), ">= 1.9x", sp >= 1.9);
        }
    }

    private void memory(JsonNode e) {
        for (JsonNode mem : e.path("memory").path("bySize")) {
            String repo = mem.path("repo").asText();
            double k = mem.path("kernelSimPeakRssMb").asDouble();
            row("kernel-sim peak RSS, " + EndToEnd.MAX_DOWNLOADS + " concurrent " + repo, f("%.0f MB", k), "<= 512 MB", k <= 512);
            row("tls-client peak RSS, " + EndToEnd.MAX_DOWNLOADS + " concurrent " + repo, f("%.0f MB", mem.path("tlsClientPeakRssMb").asDouble()), "-", null);
            row("live heap per in-flight download half-way, " + repo + ": tls-client / kernel-sim (" + mem.path("inFlightAtSample").asInt() + " in flight; "
                            + mem.path("succeeded").asInt() + "/" + EndToEnd.MAX_DOWNLOADS + " ok)",
                    f("%.2f / %.2f MB", mem.path("tlsClientLiveHeapPerDownloadMb").asDouble(), mem.path("kernelSimLiveHeapPerDownloadMb").asDouble()),
                    "not growing with the pack", null);
        }
    }

    private void reproduction(JsonNode r) {
        JsonNode measured = r.path("e2e").path("reproduce");
        if (!measured.isMissingNode()) {
            double first = measured.path("firstWallSeconds").asDouble();
            double best = measured.path("bestWallSeconds").asDouble();
            JsonNode runs = measured.path("runs");
            row("reproduction without sensitivity runs (" + (runs.size() > 0 ? runs.get(0).path("runs").asInt() : 0) + " runs): first / best of "
                    + runs.size(), f("%.0f s / %.0f s", first, best), "<= 60 s", best <= 60);
        }
        JsonNode rep = r.path("reproduction");
        if (rep.path("measured").asBoolean()) {
            double w = rep.path("wallSeconds").asDouble();
            row("full reproduction (make reproduce, 4 MB)", f("%.0f s", w), "<= 60 s", w <= 60);
        } else {
            row("full reproduction (make reproduce, 4 MB)", "not yet measured", "<= 60 s", null);
        }
    }

    /** The header line (when, where, load) and the rows as a Markdown table. */
    private String render(JsonNode r) {
        JsonNode m = r.path("machine");
        StringBuilder sb = new StringBuilder();
        sb.append(f("Run %s on %d cores, %d MB, %s; load average %s at start, %s at end.%n%n", r.path("when").asText(),
                m.path("nproc").asInt(), m.path("memoryMb").asLong(), m.path("jdk").asText(), m.path("loadAtStart").asText(),
                r.path("loadAtEnd").asText()));
        sb.append("| figure | measured | target | met |\n|---|---:|---|---|\n");
        for (String[] row : rows) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.toString();
    }

    private void row(String what, String value, String target, Boolean met) {
        rows.add(new String[]{what, value, target, met == null ? "" : met ? "yes" : "**no**"});
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
