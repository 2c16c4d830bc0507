package io.testbed.kernel.sim.fs;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.sim.config.Profiles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sector counts of Akuma's ext2 for cases worked out by hand from src/vfs/ext2.rs and src/block.rs
 * (@7b52ac2), on the default disk: 128 MiB, 1 KiB blocks, 256-byte inodes, so group 0 starts with
 * 1 superblock + 1 descriptor block + 256 reserved GDT + 2 bitmaps + 512 inode-table blocks + root +
 * 12 lost+found + 1 resize block = 786 used blocks, and every allocation scans 787+ bits.
 */
class Ext2CostTest {
    private static final List<String> F = List.of("f");

    private static FileSystem fs(Map<String, String> overrides) {
        return new FileSystem(Profiles.resolve("", overrides));
    }

    private static long[] delta(FileSystem fs, long[] before) {
        long[] now = fs.snapshot();
        return new long[]{now[0] - before[0], now[1] - before[1], now[2] - before[2]};
    }

    @Test
    void mkfsLayout_matchesMke2fs() {
        Ext2 e = fs(Map.of()).ext2();
        assertThat(e.groups).isEqualTo(16);
        assertThat(e.inodesPerGroup).isEqualTo(2048);
        assertThat(e.blocksPerGroup).isEqualTo(8192);
        // 131071 blocks in groups, minus per-group metadata, minus root/lost+found/resize in group 0
        assertThat(e.unallocatedInodes()).isEqualTo(16 * 2048 - 11);
    }

    @Test
    void createEmptyFile_costs22Reads9Writes() {
        FileSystem fs = fs(Map.of());
        long[] s = fs.snapshot();
        fs.ext2().writeFile(F, new byte[0], 0);
        // lookup: root inode (BGD + inode sector) + root's block (2) = 4 reads, ENOENT
        // allocate_inode: BGD 1r, bitmap 2r, bitmap write 2r+2w, BGD write 1r+1w, superblock 2r+2w = 8r 5w
        // write_inode_data(empty): write_inode = BGD 1r + RMW 1r+1w = 2r 1w
        // add_dir_entry: root inode 2r, root block 2r, write root block 2r+2w, write_inode 2r+1w = 8r 3w
        assertThat(delta(fs, s)).containsExactly(22, 9, 12);
    }

    @Test
    void wholeFileWrites_rewriteEveryBlock() {
        FileSystem fs = fs(Map.of());
        OpenFile f = fs.open(F, Errno.O_WRONLY | Errno.O_CREAT | Errno.O_TRUNC);
        long[] s = fs.snapshot();
        fs.write(f, new byte[4096]);
        // read_file: lookup 4r + inode 2r (size 0, no blocks) = 6r
        // write_file: lookup 4r + inode 2r; 4 blocks x (allocate 10r 7w + data 2r 2w); inode 2r 1w
        assertThat(delta(fs, s)).containsExactly(6 + 6 + 4 * 12 + 2, 4 * 9 + 1, 787 + 788 + 789 + 790);
        s = fs.snapshot();
        fs.write(f, new byte[4096]);
        // read_file: 6r + 4 blocks x 2r; write_file: 6r, truncate 4 x (8r 5w), 8 x (12r 9w), inode 2r 1w
        long scan = 0;
        for (int k = 0; k < 8; k++) {
            scan += 787 + k;
        }
        assertThat(delta(fs, s)).containsExactly(14 + 6 + 32 + 96 + 2, 20 + 72 + 1, scan);
    }

    @Test
    void writeAt_touchesOnlyItsBlocks() {
        FileSystem fs = fs(Map.of("fs.write", "write-at"));
        OpenFile f = fs.open(F, Errno.O_WRONLY | Errno.O_CREAT | Errno.O_TRUNC);
        fs.write(f, new byte[4096]);
        long[] s = fs.snapshot();
        fs.write(f, new byte[4096]);
        // lookup 4r + inode 2r; 4 x (allocate 10r 7w + full-block write 2r 2w); inode 2r 1w
        assertThat(delta(fs, s)).containsExactly(6 + 48 + 2, 37, 791 + 792 + 793 + 794);
        s = fs.snapshot();
        fs.write(f, new byte[100]);
        // a partial block: allocate 10r 7w, read 2r, write 2r 2w
        assertThat(delta(fs, s)).containsExactly(6 + 14 + 2, 10, 795);
    }
}
