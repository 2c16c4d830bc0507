package io.testbed.kernel.sim.fs;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.runtime.Machine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.testbed.kernel.api.Errno.AT_FDCWD;
import static io.testbed.kernel.api.Errno.O_APPEND;
import static io.testbed.kernel.api.Errno.O_CREAT;
import static io.testbed.kernel.api.Errno.O_RDONLY;
import static io.testbed.kernel.api.Errno.O_RDWR;
import static io.testbed.kernel.api.Errno.O_TRUNC;
import static io.testbed.kernel.api.Errno.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data integrity, simulated cost and determinism of the file syscalls on a machine: what is written
 * reads back byte for byte under every code state (seeded random writes, lseeks, holes, O_TRUNC,
 * O_APPEND, against a plain byte array); a write's simulated time is the sectors and bits it cost; the
 * same program gives the same trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileRoundTripTest {
    private SimFixture sim;

    @BeforeAll
    void start() {
        sim = SimFixture.machines();
    }

    @AfterAll
    void stop() throws Exception {
        sim.close();
    }

    private static int open(UserThread t, String path, int flags) {
        SyscallReply r = t.openat(AT_FDCWD, path, flags, 0644);
        assertThat(r.getErrno()).as("open %s", path).isZero();
        return (int) r.getRet();
    }

    private static byte[] readAll(UserThread t, String path, int chunk) {
        int fd = open(t, path, O_RDONLY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyscallReply r;
        while ((r = t.read(fd, chunk)).getRet() > 0) {
            out.writeBytes(r.getData().toByteArray());
        }
        assertThat(r.getErrno()).isZero();
        t.close(fd);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "fs.write={0} fs.read={1} fs.openat={2}")
    @CsvSource({"whole-file,whole-file,exists-check", "whole-file,whole-file,trunc-only",
            "write-at,whole-file,trunc-only", "write-at,read-at,trunc-only"})
    void randomWritesSeeksAndTruncations_readBackExactly(String write, String read, String openat) {
        Machine m = sim.create("rt", Map.of("fs.write", write, "fs.read", read, "fs.openat", openat), Clock.CLOCK_VIRTUAL, 3);
        Random rnd = new Random(42);
        byte[] ref = new byte[0];
        try (UserThread t = sim.kernel.attach(m.id(), "rt")) {
            assertThat(t.mkdirat(AT_FDCWD, "/dir", 0755).getRet()).isZero();
            int fd = open(t, "/dir/data.bin", O_RDWR | O_CREAT | O_TRUNC);
            long pos = 0;
            for (int op = 0; op < 60; op++) {
                int kind = rnd.nextInt(10);
                if (kind < 6) {
                    byte[] b = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 300 : 9000)];
                    rnd.nextBytes(b);
                    assertThat(t.write(fd, b, 0, b.length).getRet()).isEqualTo(b.length);
                    if (pos + b.length > ref.length) {
                        ref = Arrays.copyOf(ref, (int) pos + b.length); // a hole reads as zeros
                    }
                    System.arraycopy(b, 0, ref, (int) pos, b.length);
                    pos += b.length;
                } else if (kind < 8) {
                    long to = rnd.nextInt(ref.length + 5000);
                    assertThat(t.lseek(fd, to, Errno.SEEK_SET).getRet()).isEqualTo(to);
                    pos = to;
                } else if (kind == 8) {
                    int len = 1 + rnd.nextInt(5000);
                    SyscallReply r = t.read(fd, len);
                    int n = (int) Math.max(0, Math.min(len, ref.length - pos));
                    assertThat(r.getRet()).isEqualTo(n);
                    assertThat(r.getData().toByteArray()).isEqualTo(Arrays.copyOfRange(ref, (int) Math.min(pos, ref.length), (int) Math.min(pos, ref.length) + n));
                    pos += n;
                } else {
                    assertThat(t.fstat(fd).getStSize()).isEqualTo(ref.length);
                }
            }
            assertThat(readAll(t, "/dir/data.bin", 4096)).isEqualTo(ref);
            // O_TRUNC then a shorter write: nothing of the old contents is left (92639fb0's bug is not modelled)
            int tr = open(t, "/dir/data.bin", O_WRONLY | O_TRUNC);
            assertThat(t.write(tr, new byte[]{7, 8, 9}, 0, 3).getRet()).isEqualTo(3);
            assertThat(readAll(t, "/dir/data.bin", 4096)).containsExactly(7, 8, 9);
            int ap = open(t, "/dir/data.bin", O_WRONLY | O_APPEND);
            assertThat(t.write(ap, new byte[]{10}, 0, 1).getRet()).isEqualTo(1);
            assertThat(readAll(t, "/dir/data.bin", 2)).containsExactly(7, 8, 9, 10);
        }
        sim.registry.delete(m.id());
    }

    @Test
    void manyFilesInManyDirectories_allReadBack() {
        Machine m = sim.create("tree", Map.of(), Clock.CLOCK_VIRTUAL, 3);
        Random rnd = new Random(7);
        List<byte[]> contents = new ArrayList<>();
        try (UserThread t = sim.kernel.attach(m.id(), "tree")) {
            t.mkdirat(AT_FDCWD, "/.git", 0755);
            t.mkdirat(AT_FDCWD, "/.git/objects", 0755);
            for (int i = 0; i < 120; i++) {
                String dir = String.format("/.git/objects/%02x", i % 40);
                int md = (int) t.mkdirat(AT_FDCWD, dir, 0755).getErrno();
                assertThat(md).isIn(0, Errno.EEXIST);
                byte[] b = new byte[rnd.nextInt(3000)];
                rnd.nextBytes(b);
                contents.add(b);
                int fd = open(t, dir + "/obj" + i, O_WRONLY | O_CREAT | O_TRUNC);
                assertThat(t.write(fd, b, 0, b.length).getRet()).isEqualTo(b.length);
                t.close(fd);
            }
            for (int i = 0; i < 120; i++) {
                String path = String.format("/.git/objects/%02x/obj%d", i % 40, i);
                assertThat(readAll(t, path, 4096)).as(path).isEqualTo(contents.get(i));
            }
        }
        sim.registry.delete(m.id());
    }

    @Test
    void aWritesSimulatedTime_isItsSectorsAndBitsAtTheSettingsCosts() throws Exception {
        Machine m = sim.create("cost", Map.of("cost.sector_ns", "20000", "cost.bitmap_bit_ns", "10"), Clock.CLOCK_VIRTUAL, 3);
        try (UserThread t = sim.kernel.attach(m.id(), "cost")) {
            int fd = open(t, "/f", O_WRONLY | O_CREAT | O_TRUNC);
            t.write(fd, new byte[4096], 0, 4096); // as in Ext2CostTest: 62 reads, 37 writes, 3154 bits
            Map<String, Long> before = SimFixture.settled(m).getCountersMap();
            SyscallReply r = t.write(fd, new byte[4096], 0, 4096);
            Map<String, Long> after = SimFixture.settled(m).getCountersMap();
            long sectors = after.get("fs_sectors_read") - before.get("fs_sectors_read")
                    + after.get("fs_sectors_written") - before.get("fs_sectors_written");
            long bits = after.get("fs_bitmap_bits_scanned") - before.get("fs_bitmap_bits_scanned");
            assertThat(sectors).isEqualTo(150 + 93);
            long fsNs = after.get("fs_time_ns") - before.get("fs_time_ns");
            assertThat(fsNs).isEqualTo(sectors * 20_000 + bits * 10);
            long took = r.getExitTimeNs() - r.getEntryTimeNs();
            // the core also runs the scheduler and the network thread at the ticks in between
            assertThat(took).isBetween(fsNs, fsNs + 1_000_000);
        }
        sim.registry.delete(m.id());
    }

    @Test
    void aLongWrite_isPreemptedAtTicks_soTheNetworkThreadRunsMeanwhile() throws Exception {
        Machine m = sim.create("preempt", Map.of(), Clock.CLOCK_VIRTUAL, 3);
        try (UserThread t = sim.kernel.attach(m.id(), "writer")) {
            int fd = open(t, "/big", O_WRONLY | O_CREAT | O_TRUNC);
            t.write(fd, new byte[200_000], 0, 200_000);
            Map<String, Long> before = SimFixture.settled(m).getCountersMap();
            SyscallReply r = t.write(fd, new byte[4096], 0, 4096); // rewrites ~200 KB: ~130 ms of sector requests
            Map<String, Long> after = SimFixture.settled(m).getCountersMap();
            long took = r.getExitTimeNs() - r.getEntryTimeNs();
            long ticks = after.get("ticks") - before.get("ticks");
            assertThat(took).isGreaterThan(100_000_000L);
            // Akuma's timer re-arms from its own late counter read: one period is the tick plus the IRQ latency
            long period = m.settings().getLong(Settings.TIMER_TICK_NS) + (m.settings().is(Settings.TIMER_REARM_RELATIVE) ? m.settings().getLong(Settings.TIMER_IRQ_LATENCY_NS) : 0);
            assertThat(ticks).isGreaterThanOrEqualTo(took / period - 1);
            // each tick's pass may switch to the network thread (Akuma's FS locks leave IRQs on)
            assertThat(after.get("network_polls") - before.get("network_polls")).isGreaterThanOrEqualTo(ticks / 2);
            assertThat(after.get("context_switches") - before.get("context_switches")).isGreaterThanOrEqualTo(ticks);
        }
        sim.registry.delete(m.id());
    }

    @Test
    void consoleWrite_costsOneUartWritePerByte() {
        Machine m = sim.create("uart", Map.of("cost.uart_byte_ns", "3000"), Clock.CLOCK_VIRTUAL, 3);
        try (UserThread t = sim.kernel.attach(m.id(), "uart")) {
            byte[] line = "scratch: received 194 KB\r".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            SyscallReply r = t.write(1, line, 0, line.length);
            assertThat(r.getRet()).isEqualTo(line.length);
            assertThat(r.getExitTimeNs() - r.getEntryTimeNs()).isEqualTo(m.settings().getLong(Settings.COST_SYSCALL_NS) + line.length * 3000L);
        }
        sim.registry.delete(m.id());
    }

    private MachineStats program(long seed) throws Exception {
        Machine m = sim.create("det", Map.of(), Clock.CLOCK_VIRTUAL, seed);
        StringBuilder times = new StringBuilder();
        try (UserThread t = sim.kernel.attach(m.id(), "det")) {
            int fd = open(t, "/tmp.pack", O_WRONLY | O_CREAT | O_TRUNC);
            for (int i = 0; i < 40; i++) {
                t.chargeUserCpu(50_000);
                SyscallReply r = t.write(fd, new byte[4000], 0, 4000);
                times.append(r.getExitTimeNs()).append(',');
            }
            t.mmap(1 << 20);
            assertThat(readAll(t, "/tmp.pack", 4096)).hasSize(160_000);
        }
        MachineStats s = SimFixture.settled(m);
        sim.registry.delete(m.id());
        return s.toBuilder().setId(times.toString()).build();
    }

    /** The counters of simulated behaviour (wall_* counters measure the host). */
    private static Map<String, Long> simulated(MachineStats s) {
        Map<String, Long> c = new java.util.TreeMap<>(s.getCountersMap());
        c.keySet().removeIf(k -> k.startsWith("wall_"));
        return c;
    }

    @Test
    void sameProgram_sameTrace() throws Exception {
        MachineStats a = program(11);
        MachineStats b = program(11);
        assertThat(a.getId()).isEqualTo(b.getId());
        assertThat(a.getNowNs()).isEqualTo(b.getNowNs());
        assertThat(simulated(a)).isEqualTo(simulated(b)).containsKey("trace_hash");
        assertThat(a.getCountersMap().get("fs_syscalls")).isEqualTo(1 + 40 + 1 + 40 + 1 + 1);
        assertThat(a.getCountersMap().get("fs_bytes_written")).isEqualTo(160_000L);
        assertThat(a.getCountersMap().get("fs_bytes_read")).isEqualTo(160_000L);
        assertThat(a.getCountersMap().get("mmap_bytes")).isEqualTo(1L << 20);
    }
}
