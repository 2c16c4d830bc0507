package io.testbed.kernel.sim.fs;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.sim.config.Profiles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * How the cost of a file syscall grows with the file, per code state: at the seed's commit each
 * write() and read() touches the whole file, so writing or reading a file sequentially is quadratic;
 * write_at (a3b9e271) and read_at (9df5b7c4) touch only the blocks asked for, so it is linear. Costs
 * are sector requests (reads + writes) on the model's block device.
 */
class FsGrowthTest {
    /** The pack of C5 (docs/SCRATCH_CLONE_DECOMPRESSION_FIX.md @92639fb0). */
    static final int PACK = 245_771;
    static final int CHUNK = 4096;

    private static FileSystem fs(String write, String read) {
        return new FileSystem(Profiles.resolve("", Map.of("fs.write", write, "fs.read", read)));
    }

    private static long sectors(FileSystem fs) {
        long[] s = fs.snapshot();
        return s[0] + s[1];
    }

    /** Sector requests of each of {@code n} sequential 4 KiB writes. */
    private static long[] appendCosts(FileSystem fs, int n) {
        OpenFile f = fs.open(List.of("pack"), Errno.O_WRONLY | Errno.O_CREAT | Errno.O_TRUNC);
        long[] cost = new long[n];
        for (int i = 0; i < n; i++) {
            long before = sectors(fs);
            assertThat(fs.write(f, new byte[CHUNK])).isEqualTo(CHUNK);
            cost[i] = sectors(fs) - before;
        }
        return cost;
    }

    private static long total(long[] c, int n) {
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += c[i];
        }
        return t;
    }

    @Test
    void seedWrites_costGrowWithTheFile_soSequentialWritingIsQuadratic() {
        long[] c = appendCosts(fs("whole-file", "whole-file"), 64);
        for (int i = 1; i < c.length; i++) {
            assertThat(c[i]).as("write %d costs more than write %d", i, i - 1).isGreaterThan(c[i - 1]);
        }
        // the n-th append costs ∝ the file size: about 44 sector requests per KiB already written
        double slope = (c[63] - c[15]) / (48.0 * 4);
        assertThat(slope).isBetween(40.0, 48.0);
        assertThat((double) c[63] / c[31]).isCloseTo(2.0, within(0.1));
        // the total for N appends fits a·N²: doubling N quadruples it
        assertThat((double) total(c, 64) / total(c, 32)).isCloseTo(4.0, within(0.15));
        double a = (double) total(c, 64) / (64.0 * 64);
        for (int n : new int[]{32, 48, 64}) {
            assertThat(total(c, n) / (a * n * n)).as("a·N² at N=%d", n).isCloseTo(1.0, within(0.1));
        }
    }

    @Test
    void writeAt_costsTheSameForEveryAppend_soSequentialWritingIsLinear() {
        long[] c = appendCosts(fs("write-at", "whole-file"), 64);
        for (int i = 5; i < c.length; i++) {
            assertThat(c[i]).as("write %d", i).isEqualTo(c[4]); // after the one that allocates the indirect block: constant
        }
        assertThat((double) total(c, 64) / total(c, 32)).isCloseTo(2.0, within(0.05));
    }

    /** Sector requests of each 4 KiB read of a file of {@code n} × 4 KiB, read from the start. */
    private static long[] readCosts(FileSystem fs, int n) {
        appendCosts(fs, n);
        OpenFile f = fs.open(List.of("pack"), Errno.O_RDONLY);
        long[] cost = new long[n];
        for (int i = 0; i < n; i++) {
            long before = sectors(fs);
            assertThat(fs.read(f, CHUNK)).hasSize(CHUNK);
            cost[i] = sectors(fs) - before;
        }
        assertThat(fs.read(f, CHUNK)).isEmpty();
        return cost;
    }

    @Test
    void seedReads_readTheWholeFileEachTime_soReadingBackIsQuadraticInTheSize() {
        long[] small = readCosts(fs("write-at", "whole-file"), 16);
        long[] big = readCosts(fs("write-at", "whole-file"), 32);
        // every read costs the whole file: the same for each read, twice as much for a file twice as big
        assertThat(small[15]).isEqualTo(small[0]);
        assertThat((double) big[0] / small[0]).isCloseTo(2.0, within(0.15));
        assertThat((double) total(big, 32) / total(small, 16)).isCloseTo(4.0, within(0.3));
    }

    @Test
    void readAt_readsOnlyTheBlocksAsked_soReadingBackIsLinear() {
        long[] small = readCosts(fs("write-at", "read-at"), 16);
        long[] big = readCosts(fs("write-at", "read-at"), 32);
        assertThat(big[31]).isEqualTo(small[15]);
        assertThat((double) total(big, 32) / total(small, 16)).isCloseTo(2.0, within(0.1));
    }

    /**
     * docs/WRITE_AT_SYSCALL.md @5bcc54c7 counts "~7.8 MB" of block I/O for a 250 KB pack written in
     * 4 KB chunks (62 writes) and ~250 KB after the fix, "~32x less". Validation, not fitting: its own
     * table (read S(i-1) + write S(i)) sums to 15.4 MB; 7.8 MB is what is written alone. The model also
     * counts the metadata and every sector request, read-modify-write included.
     */
    @Test
    void scratchPack_blockIo_besideWriteAtSyscallDoc() {
        FileSystem seed = fs("whole-file", "whole-file");
        FileSystem fixed = fs("write-at", "whole-file");
        long[] seedIo = writePack(seed);
        long[] fixedIo = writePack(fixed);
        long seedBytes = (seedIo[0] + seedIo[1]) * BlockDevice.SECTOR;
        long fixedBytes = (fixedIo[0] + fixedIo[1]) * BlockDevice.SECTOR;
        long docTable = 0;
        long writtenAlone = 0;
        for (int i = 1; i * CHUNK <= PACK + CHUNK - 1; i++) {
            long size = Math.min((long) i * CHUNK, PACK);
            docTable += Math.min((long) (i - 1) * CHUNK, PACK) + size;
            writtenAlone += size;
        }
        System.out.printf("pack %d B in %d-byte writes: doc table %.1f MB (written alone %.1f MB); model seed %d+%d sector requests"
                        + " = %.1f MB, write_at %d+%d = %.2f MB, ratio %.0fx; bits scanned %d%n",
                PACK, CHUNK, docTable / 1e6, writtenAlone / 1e6, seedIo[0], seedIo[1], seedBytes / 1e6,
                fixedIo[0], fixedIo[1], fixedBytes / 1e6, (double) seedBytes / fixedBytes, seedIo[2]);
        assertThat(writtenAlone).isBetween(7_700_000L, 7_900_000L);
        // the model's file-data traffic alone equals the doc's table; metadata and RMW come on top
        assertThat(seedBytes).isGreaterThan(10 * docTable);
        assertThat((double) seedBytes / fixedBytes).isGreaterThan(32.0);
    }

    private static long[] writePack(FileSystem fs) {
        OpenFile f = fs.open(List.of("tmp.pack"), Errno.O_WRONLY | Errno.O_CREAT | Errno.O_TRUNC);
        long[] s = fs.snapshot();
        for (int left = PACK; left > 0; left -= CHUNK) {
            fs.write(f, new byte[Math.min(CHUNK, left)]);
        }
        long[] e = fs.snapshot();
        return new long[]{e[0] - s[0], e[1] - s[1], e[2] - s[2]};
    }
}
