package io.testbed.kernel.sim.fs;

/**
 * The layout {@code mkfs.ext2 -F} (e2fsprogs' mke2fs, default ext2 features sparse_super and
 * resize_inode, no flex_bg) gives a disk: groups of 8 × block-size blocks, the superblock and group
 * descriptor table plus the reserved GDT blocks in groups 0, 1 and powers of 3, 5, 7, then each
 * group's block bitmap, inode bitmap and inode table; in group 0 also the root directory, lost+found
 * and the resize inode's block. Allocation in Akuma scans a bitmap from bit 0, so how many blocks
 * group 0 starts with sets the length of every scan.
 */
final class Mkfs {
    final int blockSize;
    final long totalBlocks;
    final int firstDataBlock;
    final int blocksPerGroup;
    final int groups;
    final int inodesPerGroup;
    final int inodeTableBlocks;
    final int descriptorBlocks;
    final int reservedGdtBlocks;
    final int lostFoundBlocks;

    Mkfs(long diskBytes, int blockSize, int inodeSize, int inodeRatio) {
        this.blockSize = blockSize;
        this.firstDataBlock = blockSize == 1024 ? 1 : 0;
        this.blocksPerGroup = 8 * blockSize;
        long total = diskBytes / blockSize;
        int g = (int) ((total - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup);
        int ipg = inodesPerGroup(diskBytes, inodeRatio, g, blockSize, inodeSize);
        int itb = ipg * inodeSize / blockSize;
        int desc = (g * Ext2.BGD_SIZE + blockSize - 1) / blockSize;
        int rsv = reservedGdt(total, blockSize, desc);
        long lastSize = total - firstDataBlock - (long) (g - 1) * blocksPerGroup;
        int lastOverhead = (hasSuper(g - 1) ? 1 + desc + rsv : 0) + 2 + itb;
        if (g > 1 && lastSize < lastOverhead + 50) {
            g--; // mke2fs drops a last group too small to be useful
            total = firstDataBlock + (long) g * blocksPerGroup;
        }
        this.totalBlocks = total;
        this.groups = g;
        this.inodesPerGroup = ipg;
        this.inodeTableBlocks = itb;
        this.descriptorBlocks = desc;
        this.reservedGdtBlocks = rsv;
        this.lostFoundBlocks = lostFound(blockSize);
        if (metadataBlocks(0) + 1 + lostFoundBlocks + 1 > blocksInGroup(0)) {
            throw new IllegalArgumentException("disk too small for an ext2 file system");
        }
    }

    private static int inodesPerGroup(long diskBytes, int ratio, int groups, int bs, int inodeSize) {
        long inodes = Math.max(16, diskBytes / ratio);
        long ipg = (inodes + groups - 1) / groups;
        int perBlock = bs / inodeSize;
        ipg = (ipg + perBlock - 1) / perBlock * perBlock;
        return (int) Math.min(ipg, 8L * bs);
    }

    /** calc_reserved_gdt_blocks: room to grow to 1024 × the size, at most one block of pointers. */
    private static int reservedGdt(long totalBlocks, int bs, int desc) {
        long maxBlocks = Math.min(0xFFFF_FFFFL, totalBlocks * 1024);
        long rsvGroups = (maxBlocks + 8L * bs - 1) / (8L * bs);
        long rsv = (rsvGroups + bs / Ext2.BGD_SIZE - 1) / (bs / Ext2.BGD_SIZE) - desc;
        return (int) Math.max(0, Math.min(rsv, bs / 4));
    }

    /** create_lost_and_found: grown a block at a time until 16 KiB, within the 12 direct blocks. */
    private static int lostFound(int bs) {
        int blocks = 1;
        int size = 0;
        for (int i = 1; i < Inode.DIRECT; i++) {
            size += bs;
            if (size >= 16 * 1024 && size >= 2 * bs) {
                break;
            }
            blocks++;
        }
        return blocks;
    }

    static boolean hasSuper(int group) {
        if (group <= 1) {
            return true;
        }
        for (int base : new int[]{3, 5, 7}) {
            long p = base;
            while (p < group) {
                p *= base;
            }
            if (p == group) {
                return true;
            }
        }
        return false;
    }

    int groupStart(int group) {
        return firstDataBlock + group * blocksPerGroup;
    }

    int blocksInGroup(int group) {
        return (int) Math.min(blocksPerGroup, totalBlocks - groupStart(group));
    }

    /** Superblock backup, descriptors and reserved GDT (where present), two bitmaps, the inode table. */
    int metadataBlocks(int group) {
        return (hasSuper(group) ? 1 + descriptorBlocks + reservedGdtBlocks : 0) + 2 + inodeTableBlocks;
    }
}
