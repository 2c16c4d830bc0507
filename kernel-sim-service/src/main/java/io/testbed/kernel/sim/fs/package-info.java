/**
 * The file system of a simulated machine: Akuma's ext2 ({@code src/vfs/ext2.rs}) over its block layer
 * ({@code src/block.rs}), one per machine. {@link io.testbed.kernel.sim.fs.Ext2} keeps the on-disk
 * structures (superblock counts, group descriptors, bitmaps, inodes, block pointers, directory entries)
 * and does every operation the way Akuma does it, counting each 512-byte virtio sector request on a
 * {@link io.testbed.kernel.sim.fs.BlockDevice} and each bitmap bit scanned; file contents live beside
 * the structures. {@link io.testbed.kernel.sim.fs.FileSystem} gives the syscalls their per-commit
 * semantics ({@code fs.write}, {@code fs.read}) and turns the counts into simulated CPU time.
 */
package io.testbed.kernel.sim.fs;
