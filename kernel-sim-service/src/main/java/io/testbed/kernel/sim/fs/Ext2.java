package io.testbed.kernel.sim.fs;

import io.testbed.kernel.api.Errno;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Akuma's ext2 driver ({@code src/vfs/ext2.rs} @7b52ac2, plus {@code write_at} @a3b9e271 and
 * {@code read_at} @9df5b7c4) over a disk made by {@code mkfs.ext2 -F} (scripts/create_disk.sh:7, 54).
 * Every method does the block I/O Akuma's does, in the same order, on the {@link BlockDevice}, and
 * counts the bitmap bits its allocators scan; the structures it changes (bitmaps, free counts, block
 * pointers, directory entries, sizes) are kept exactly, the file bytes beside them in each
 * {@link Inode}. Line numbers below are ext2.rs @7b52ac2 unless said otherwise.
 *
 * <p>Like Akuma's {@code allocate_block} (396-439), a block number is {@code group * blocks_per_group +
 * bit}; the off-by-one against {@code first_data_block} that Akuma fixed later
 * (docs/EXT2_FIRST_DATA_BLOCK_FIX.md) changes no count.
 */
public final class Ext2 {
    static final int ROOT = 2;
    static final int LOST_FOUND = 11;
    static final int BGD_SIZE = 32;
    static final int SUPERBLOCK_OFFSET = 1024;
    /** {@code size_of::<Superblock>()}: the struct pads to 1024 bytes (53-100). */
    static final int SUPERBLOCK_SIZE = 1024;
    /** {@code size_of::<Inode>()}: what write_inode writes (128 bytes, even with 256-byte inodes). */
    static final int INODE_STRUCT = 128;
    static final int DIR_HEADER = 8;
    static final int FT_REG = 1;
    static final int FT_DIR = 2;

    final int blockSize;
    final int ptrsPerBlock;
    final int blocksPerGroup;
    final int inodesPerGroup;
    final int groups;
    final int inodeSize;
    final long totalBlocks;
    private final BitSet[] blockBits;
    private final BitSet[] inodeBits;
    private final int[] freeBlocks;
    private final int[] freeInodes;
    private final int[] inodeTable;
    private final int[] blockBitmap;
    private final int[] inodeBitmap;
    private long unallocatedBlocks;
    private long unallocatedInodes;
    private final Map<Integer, Inode> inodes = new HashMap<>();
    private final Map<Integer, int[]> pointerBlocks = new HashMap<>();
    private final BlockDevice dev;
    private long bitsScanned;

    /** A fresh file system as mkfs.ext2 lays it out (see {@link Mkfs}): root, lost+found, nothing else. */
    public Ext2(long diskBytes, int blockSize, int inodeSize, int inodeRatio) {
        Mkfs m = new Mkfs(diskBytes, blockSize, inodeSize, inodeRatio);
        this.blockSize = blockSize;
        this.ptrsPerBlock = blockSize / 4;
        this.blocksPerGroup = m.blocksPerGroup;
        this.inodesPerGroup = m.inodesPerGroup;
        this.groups = m.groups;
        this.inodeSize = inodeSize;
        this.totalBlocks = m.totalBlocks;
        this.dev = new BlockDevice(diskBytes);
        blockBits = new BitSet[groups];
        inodeBits = new BitSet[groups];
        freeBlocks = new int[groups];
        freeInodes = new int[groups];
        inodeTable = new int[groups];
        blockBitmap = new int[groups];
        inodeBitmap = new int[groups];
        for (int g = 0; g < groups; g++) {
            blockBits[g] = new BitSet(blocksPerGroup);
            inodeBits[g] = new BitSet(inodesPerGroup);
            int used = m.metadataBlocks(g);
            blockBitmap[g] = m.groupStart(g) + used - 2 - m.inodeTableBlocks;
            inodeBitmap[g] = blockBitmap[g] + 1;
            inodeTable[g] = inodeBitmap[g] + 1;
            if (g == 0) {
                used += 1 + m.lostFoundBlocks + (m.reservedGdtBlocks > 0 ? 1 : 0); // root, lost+found, resize inode
            }
            blockBits[g].set(0, used);
            int present = m.blocksInGroup(g);
            blockBits[g].set(present, blocksPerGroup); // past the end of the disk: never free
            freeBlocks[g] = present - used;
            unallocatedBlocks += freeBlocks[g];
            freeInodes[g] = inodesPerGroup;
        }
        inodeBits[0].set(0, LOST_FOUND); // inodes 1-11: reserved ones and lost+found
        freeInodes[0] -= LOST_FOUND;
        unallocatedInodes = (long) inodesPerGroup * groups - LOST_FOUND;
        int firstData = m.metadataBlocks(0);
        Inode root = newDir(ROOT, ROOT, firstData);
        root.links = 3;
        addEntryRaw(root, "lost+found", LOST_FOUND, FT_DIR);
        Inode lf = newDir(LOST_FOUND, ROOT, firstData + 1);
        for (int i = 1; i < m.lostFoundBlocks; i++) {
            lf.direct[i] = firstData + 1 + i;
            lf.blocks++;
            lf.resize(lf.size + blockSize);
            writeRecord(lf.data, (int) lf.size - blockSize, 0, blockSize, "", 0);
        }
    }

    private Inode newDir(int number, int parent, int block) {
        Inode d = new Inode(number, true);
        d.links = 2;
        d.direct[0] = block;
        d.blocks = 1;
        d.resize(blockSize);
        writeRecord(d.data, 0, number, 12, ".", FT_DIR);
        writeRecord(d.data, 12, parent, blockSize - 12, "..", FT_DIR);
        inodes.put(number, d);
        return d;
    }

    public BlockDevice device() {
        return dev;
    }

    public long bitsScanned() {
        return bitsScanned;
    }

    public long unallocatedBlocks() {
        return unallocatedBlocks;
    }

    public long unallocatedInodes() {
        return unallocatedInodes;
    }

    /** The largest file Akuma's block mapping reaches (12 direct, single and double indirect; no triple). */
    public long maxFileBytes() {
        long blocks = Inode.DIRECT + ptrsPerBlock + (long) ptrsPerBlock * ptrsPerBlock;
        return Math.min(blocks * blockSize, 0xFFFF_FFFFL);
    }

    /** Blocks (data and pointer blocks) a dense file of {@code size} bytes holds. */
    public long blocksFor(long size) {
        long data = (size + blockSize - 1) / blockSize;
        long meta = 0;
        long rest = data - Inode.DIRECT;
        if (rest > 0) {
            meta++;
            rest -= ptrsPerBlock;
        }
        if (rest > 0) {
            meta += 1 + (rest + ptrsPerBlock - 1) / ptrsPerBlock;
        }
        return data + meta;
    }

    /** The inode a path names, without any I/O (for checks the syscall layer makes beside Akuma's). */
    public Inode peek(List<String> path) {
        int cur = ROOT;
        for (String c : path) {
            Inode in = inodes.get(cur);
            if (!in.dir) {
                throw new FsException(Errno.ENOTDIR, "not a directory");
            }
            cur = find(in, c);
            if (cur == 0) {
                throw new FsException(Errno.ENOENT, "no such file or directory");
            }
        }
        return inodes.get(cur);
    }

    // ---- block I/O (read_block/write_block 261-278, superblock 284-293, BGDs 299-324, inodes 330-372) ----

    private void readBlock(int block) {
        dev.readBytes((long) block * blockSize, blockSize);
    }

    private void writeBlock(int block) {
        dev.writeBytes((long) block * blockSize, blockSize);
    }

    private void writeSuperblock() {
        dev.writeBytes(SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE);
    }

    private long bgdOffset(int group) {
        return (long) (blockSize == 1024 ? 2 : 1) * blockSize + (long) group * BGD_SIZE;
    }

    private void readBgd(int group) {
        dev.readBytes(bgdOffset(group), BGD_SIZE);
    }

    private void writeBgd(int group) {
        dev.writeBytes(bgdOffset(group), BGD_SIZE);
    }

    private long inodeOffset(int number) {
        int idx = number - 1;
        return (long) inodeTable[idx / inodesPerGroup] * blockSize + (long) (idx % inodesPerGroup) * inodeSize;
    }

    private Inode readInode(int number) {
        readBgd((number - 1) / inodesPerGroup);
        dev.readBytes(inodeOffset(number), inodeSize);
        return inodes.get(number);
    }

    private void writeInode(Inode in) {
        readBgd((in.number - 1) / inodesPerGroup);
        dev.writeBytes(inodeOffset(in.number), INODE_STRUCT);
    }

    // ---- allocation (allocate_block 396-439, free_block 441-463, allocate_inode 469-505) ----

    private int allocateBlock() {
        if (unallocatedBlocks == 0) {
            throw new FsException(Errno.ENOSPC, "no free block");
        }
        for (int g = 0; g < groups; g++) {
            readBgd(g);
            if (freeBlocks[g] == 0) {
                continue;
            }
            int bit = claimFirstClear(blockBitmap[g], blockBits[g], blocksPerGroup);
            if (bit < 0) {
                continue;
            }
            freeBlocks[g]--;
            writeBgd(g);
            unallocatedBlocks--;
            writeSuperblock();
            int block = g * blocksPerGroup + bit;
            writeBlock(block); // zeroed
            return block;
        }
        throw new FsException(Errno.ENOSPC, "no free block");
    }

    /**
     * Reads a group's bitmap, scans it linearly from bit 0 for the first clear bit (allocate_block 412,
     * allocate_inode likewise), sets it and writes the bitmap back; -1 (whole bitmap scanned, nothing
     * written) when the group is full.
     */
    private int claimFirstClear(int bitmapBlock, BitSet bits, int perGroup) {
        readBlock(bitmapBlock);
        int bit = bits.nextClearBit(0);
        if (bit >= perGroup) {
            bitsScanned += perGroup;
            return -1;
        }
        bitsScanned += bit + 1;
        bits.set(bit);
        writeBlock(bitmapBlock);
        return bit;
    }

    private void freeBlock(int block) {
        if (block == 0) {
            return;
        }
        int g = block / blocksPerGroup;
        readBgd(g);
        readBlock(blockBitmap[g]);
        blockBits[g].clear(block % blocksPerGroup);
        writeBlock(blockBitmap[g]);
        freeBlocks[g]++;
        writeBgd(g);
        unallocatedBlocks++;
        writeSuperblock();
        pointerBlocks.remove(block);
    }

    private Inode allocateInode(boolean dir) {
        if (unallocatedInodes == 0) {
            throw new FsException(Errno.ENOSPC, "no free inode");
        }
        for (int g = 0; g < groups; g++) {
            readBgd(g);
            if (freeInodes[g] == 0) {
                continue;
            }
            int bit = claimFirstClear(inodeBitmap[g], inodeBits[g], inodesPerGroup);
            if (bit < 0) {
                continue;
            }
            freeInodes[g]--;
            writeBgd(g);
            unallocatedInodes--;
            writeSuperblock();
            Inode in = new Inode(g * inodesPerGroup + bit + 1, dir);
            inodes.put(in.number, in);
            return in;
        }
        throw new FsException(Errno.ENOSPC, "no free inode");
    }

    // ---- block mapping (get_block_num 540-584, ensure_block 603-677) ----

    private int[] pointers(int block) {
        return pointerBlocks.computeIfAbsent(block, b -> new int[ptrsPerBlock]);
    }

    private int blockNumber(Inode in, long logical) {
        if (logical < Inode.DIRECT) {
            return in.direct[(int) logical];
        }
        long lb = logical - Inode.DIRECT;
        if (lb < ptrsPerBlock) {
            if (in.indirect == 0) {
                return 0;
            }
            readBlock(in.indirect);
            return pointers(in.indirect)[(int) lb];
        }
        lb -= ptrsPerBlock;
        if (lb < (long) ptrsPerBlock * ptrsPerBlock) {
            if (in.doubleIndirect == 0) {
                return 0;
            }
            readBlock(in.doubleIndirect);
            int ind = pointers(in.doubleIndirect)[(int) (lb / ptrsPerBlock)];
            if (ind == 0) {
                return 0;
            }
            readBlock(ind);
            return pointers(ind)[(int) (lb % ptrsPerBlock)];
        }
        throw new FsException(Errno.EFBIG, "beyond the double-indirect range");
    }

    private int ensureBlock(Inode in, long logical) {
        if (logical < Inode.DIRECT) {
            int i = (int) logical;
            if (in.direct[i] == 0) {
                in.direct[i] = allocateBlock();
                in.blocks++;
            }
            return in.direct[i];
        }
        long lb = logical - Inode.DIRECT;
        if (lb < ptrsPerBlock) {
            if (in.indirect == 0) {
                in.indirect = allocateBlock();
                in.blocks++;
            }
            return ensurePointer(in, in.indirect, (int) lb);
        }
        lb -= ptrsPerBlock;
        if (lb < (long) ptrsPerBlock * ptrsPerBlock) {
            if (in.doubleIndirect == 0) {
                in.doubleIndirect = allocateBlock();
                in.blocks++;
            }
            int ind = ensurePointer(in, in.doubleIndirect, (int) (lb / ptrsPerBlock));
            return ensurePointer(in, ind, (int) (lb % ptrsPerBlock));
        }
        throw new FsException(Errno.EFBIG, "beyond the double-indirect range");
    }

    /** Reads a pointer block; allocates the entry and writes the pointer block back if it was empty. */
    private int ensurePointer(Inode in, int pointerBlock, int index) {
        readBlock(pointerBlock);
        int[] p = pointers(pointerBlock);
        if (p[index] == 0) {
            int b = allocateBlock();
            p = pointers(pointerBlock);
            p[index] = b;
            writeBlock(pointerBlock);
            in.blocks++;
        }
        return p[index];
    }

    // ---- inode data (read_inode_data 683-702, write_inode_data 704-730, truncate_inode 732-780) ----

    private void readInodeData(Inode in) {
        long blocks = (in.size + blockSize - 1) / blockSize;
        for (long lb = 0; lb < blocks; lb++) {
            int b = blockNumber(in, lb);
            if (b != 0) {
                readBlock(b);
            }
        }
    }

    /** Writes blocks 0..ceil(size/bs) (allocating as needed, freeing nothing), then the inode. */
    private void writeInodeData(Inode in, long newSize) {
        long blocks = (newSize + blockSize - 1) / blockSize;
        for (long lb = 0; lb < blocks; lb++) {
            writeBlock(ensureBlock(in, lb));
        }
        in.resize(newSize);
        writeInode(in);
    }

    private void truncateInode(Inode in) {
        for (int i = 0; i < Inode.DIRECT; i++) {
            if (in.direct[i] != 0) {
                freeBlock(in.direct[i]);
                in.direct[i] = 0;
            }
        }
        if (in.indirect != 0) {
            readBlock(in.indirect);
            freePointed(in.indirect);
            freeBlock(in.indirect);
            in.indirect = 0;
        }
        if (in.doubleIndirect != 0) {
            readBlock(in.doubleIndirect);
            int[] dp = pointers(in.doubleIndirect).clone();
            for (int ind : dp) {
                if (ind != 0) {
                    readBlock(ind);
                    freePointed(ind);
                    freeBlock(ind);
                }
            }
            freeBlock(in.doubleIndirect);
            in.doubleIndirect = 0;
        }
        in.size = 0; // the caller hands over the new contents (write_file)
        in.blocks = 0;
    }

    private void freePointed(int pointerBlock) {
        for (int b : pointers(pointerBlock).clone()) {
            if (b != 0) {
                freeBlock(b);
            }
        }
    }

    // ---- directories (parse_directory 786-814, add_dir_entry 816-914) ----

    private static void writeRecord(byte[] d, int off, int inode, int recLen, String name, int type) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        d[off] = (byte) inode;
        d[off + 1] = (byte) (inode >>> 8);
        d[off + 2] = (byte) (inode >>> 16);
        d[off + 3] = (byte) (inode >>> 24);
        d[off + 4] = (byte) recLen;
        d[off + 5] = (byte) (recLen >>> 8);
        d[off + 6] = (byte) n.length;
        d[off + 7] = (byte) type;
        System.arraycopy(n, 0, d, off + DIR_HEADER, n.length);
    }

    private static int u16(byte[] d, int off) {
        return (d[off] & 0xFF) | (d[off + 1] & 0xFF) << 8;
    }

    private static int u32(byte[] d, int off) {
        return u16(d, off) | u16(d, off + 2) << 16;
    }

    /** The inode a directory's entry {@code name} points to, or 0. */
    private static int find(Inode dir, String name) {
        byte[] want = name.getBytes(StandardCharsets.UTF_8);
        byte[] d = dir.data;
        int off = 0;
        while (off + DIR_HEADER <= dir.size) {
            int recLen = u16(d, off + 4);
            if (recLen == 0) {
                break;
            }
            int ino = u32(d, off);
            int len = d[off + 6] & 0xFF;
            if (ino != 0 && len == want.length && off + DIR_HEADER + len <= dir.size
                    && java.util.Arrays.equals(d, off + DIR_HEADER, off + DIR_HEADER + len, want, 0, len)) {
                return ino;
            }
            off += recLen;
        }
        return 0;
    }

    /** Puts an entry into the directory's bytes as add_dir_entry does; returns the new size. */
    private long addEntryRaw(Inode dir, String name, int inode, int type) {
        int nameLen = name.getBytes(StandardCharsets.UTF_8).length;
        int aligned = (DIR_HEADER + nameLen + 3) & ~3;
        byte[] d = dir.data;
        int off = 0;
        while (off + DIR_HEADER <= dir.size) {
            int recLen = u16(d, off + 4);
            if (recLen == 0) {
                break;
            }
            int ino = u32(d, off);
            int actual = ino == 0 ? 0 : (DIR_HEADER + (d[off + 6] & 0xFF) + 3) & ~3;
            if (recLen - actual >= aligned) {
                if (ino != 0) {
                    d[off + 4] = (byte) actual;
                    d[off + 5] = (byte) (actual >>> 8);
                }
                writeRecord(d, off + actual, inode, recLen - actual, name, type);
                return dir.size;
            }
            off += recLen;
        }
        long newSize = dir.size + blockSize;
        dir.resize(newSize);
        writeRecord(dir.data, (int) newSize - blockSize, inode, blockSize, name, type);
        return newSize;
    }

    private void addDirEntry(int dirNumber, String name, int inode, int type) {
        Inode dir = readInode(dirNumber);
        readInodeData(dir);
        long size = addEntryRaw(dir, name, inode, type);
        writeInodeData(dir, size);
    }

    // ---- path resolution (lookup_path 982-1017, lookup_parent 1019-1033) ----

    private int lookupPath(List<String> path) {
        int cur = ROOT;
        for (String c : path) {
            Inode in = readInode(cur);
            if (!in.dir) {
                throw new FsException(Errno.ENOTDIR, "not a directory");
            }
            readInodeData(in);
            cur = find(in, c);
            if (cur == 0) {
                throw new FsException(Errno.ENOENT, "no such file or directory");
            }
        }
        return cur;
    }

    private int lookupParent(List<String> path) {
        if (path.isEmpty()) {
            throw new FsException(Errno.EINVAL, "no name");
        }
        return lookupPath(path.subList(0, path.size() - 1));
    }

    private static String last(List<String> path) {
        return path.get(path.size() - 1);
    }

    // ---- the Filesystem trait (1045-1374) ----

    /** {@code exists} (1348-1350): a lookup; the errno of a failed lookup, 0 if found. */
    public int lookupErrno(List<String> path) {
        try {
            lookupPath(path);
            return 0;
        } catch (FsException e) {
            return e.errno();
        }
    }

    /** {@code metadata} (1352-1366) and the VFS's {@code file_size}: lookup, then the inode. */
    public Inode metadata(List<String> path) {
        return readInode(lookupPath(path));
    }

    /** {@code read_file} (1082-1093): lookup, inode, every block. The caller copies from the inode's data. */
    public Inode readFile(List<String> path) {
        Inode in = readInode(lookupPath(path));
        if (in.dir) {
            throw new FsException(Errno.EISDIR, "is a directory");
        }
        readInodeData(in);
        return in;
    }

    /**
     * {@code write_file} (1095-1142): an existing file is truncated (every block freed) and written
     * again from block 0; a missing one is created. The new contents are {@code content[0, len)},
     * which becomes the file's buffer (the caller hands it over).
     */
    public Inode writeFile(List<String> path, byte[] content, long len) {
        Inode in;
        try {
            in = readInode(lookupPath(path));
        } catch (FsException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            return create(path, content, len);
        }
        if (in.dir) {
            throw new FsException(Errno.EISDIR, "is a directory");
        }
        truncateInode(in);
        in.data = content;
        in.size = len;
        writeInodeData(in, len);
        return in;
    }

    private Inode create(List<String> path, byte[] content, long len) {
        int parent = lookupParent(path);
        if (!inodes.get(parent).dir) {
            throw new FsException(Errno.ENOTDIR, "not a directory");
        }
        Inode in = allocateInode(false);
        in.links = 1;
        in.data = content;
        in.size = len;
        writeInodeData(in, len);
        addDirEntry(parent, last(path), in.number, FT_REG);
        return in;
    }

    /** {@code append_file} (1144-1168): lookup, inode, read every block, write every block plus the new ones. */
    public Inode appendFile(List<String> path, byte[] data, int off, int len) {
        Inode in = readInode(lookupPath(path));
        if (in.dir) {
            throw new FsException(Errno.EISDIR, "is a directory");
        }
        readInodeData(in);
        long old = in.size;
        in.ensureCapacity(old + len);
        System.arraycopy(data, off, in.data, (int) old, len);
        in.size = old + len;
        writeInodeData(in, old + len);
        return in;
    }

    /**
     * {@code write_at} (ext2.rs:1179-1235 @a3b9e271): lookup, inode, then per touched block
     * ensure_block and a direct write (whole block) or a read-modify-write (partial), the inode once.
     */
    public Inode writeAt(List<String> path, long offset, byte[] data, int off, int len) {
        Inode in = readInode(lookupPath(path));
        if (in.dir) {
            throw new FsException(Errno.EISDIR, "is a directory");
        }
        long end = offset + len;
        for (long pos = offset; pos < end; ) {
            long lb = pos / blockSize;
            int inBlock = (int) (pos % blockSize);
            int chunk = (int) Math.min(blockSize - inBlock, end - pos);
            int b = ensureBlock(in, lb);
            if (inBlock != 0 || chunk != blockSize) {
                readBlock(b);
            }
            writeBlock(b);
            pos += chunk;
        }
        if (end > in.size) {
            in.resize(end);
        }
        System.arraycopy(data, off, in.data, (int) offset, len);
        writeInode(in);
        return in;
    }

    /** {@code read_at} (ext2.rs @9df5b7c4): lookup, inode, then only the blocks of the range; returns the bytes read. */
    public int readAt(List<String> path, long offset, int len) {
        Inode in = readInode(lookupPath(path));
        if (in.dir) {
            throw new FsException(Errno.EISDIR, "is a directory");
        }
        if (offset >= in.size) {
            return 0;
        }
        long end = Math.min(offset + len, in.size);
        for (long pos = offset; pos < end; ) {
            long lb = pos / blockSize;
            int chunk = (int) Math.min(blockSize - pos % blockSize, end - pos);
            int b = blockNumber(in, lb);
            if (b != 0) {
                readBlock(b);
            }
            pos += chunk;
        }
        return (int) (end - offset);
    }

    /** {@code create_dir} (1170-1262): exists check, parent lookup, inode, one block with . and .., parent's links, entry. */
    public Inode createDir(List<String> path) {
        if (lookupErrno(path) == 0) {
            throw new FsException(Errno.EEXIST, "exists");
        }
        int parentNumber = lookupParent(path);
        if (!inodes.get(parentNumber).dir) {
            throw new FsException(Errno.ENOTDIR, "not a directory");
        }
        Inode in = allocateInode(true);
        int block = allocateBlock();
        Inode dir = newDir(in.number, parentNumber, block);
        writeBlock(block);
        writeInode(dir);
        Inode parent = readInode(parentNumber);
        parent.links++;
        writeInode(parent);
        addDirEntry(parentNumber, last(path), dir.number, FT_DIR);
        return dir;
    }
}
