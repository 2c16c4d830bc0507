package io.testbed.kernel.sim.net.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * smoltcp 0.12's receive reassembler (src/storage/assembler.rs), ported line for line: it records which
 * byte ranges past the next expected byte have arrived, as up to {@code maxContigs} "contigs", each a
 * hole followed by data. A range that would need one contig more than that is refused
 * ({@link #add} returns false), and smoltcp's TCP socket then drops the segment without an ACK. Offsets
 * are relative to the next expected byte (the front of the receive window).
 */
public final class Assembler {
    private final long[] hole;
    private final long[] data;

    /** @param maxContigs the contig limit (smoltcp's ASSEMBLER_MAX_SEGMENT_COUNT, 4 by default) */
    public Assembler(int maxContigs) {
        if (maxContigs < 1) {
            throw new IllegalArgumentException("an assembler needs at least one contig, not " + maxContigs);
        }
        hole = new long[maxContigs];
        data = new long[maxContigs];
    }

    /** Whether no data is recorded (assembler.rs is_empty). */
    public boolean isEmpty() {
        return data[0] == 0;
    }

    /** Length of the data at the very front, 0 if the front is a hole (peek_front). */
    public long peekFront() {
        return hole[0] != 0 ? 0 : data[0];
    }

    private boolean hasData(int i) {
        return data[i] != 0;
    }

    private long total(int i) {
        return hole[i] + data[i];
    }

    private void removeContigAt(int at) {
        for (int i = at; i < hole.length - 1; i++) {
            if (!hasData(i)) {
                return;
            }
            hole[i] = hole[i + 1];
            data[i] = data[i + 1];
        }
        hole[hole.length - 1] = 0;
        data[data.length - 1] = 0;
    }

    /** Makes room for a contig at {@code at}; false if every contig is in use (add_contig_at). */
    private boolean addContigAt(int at) {
        if (hasData(hole.length - 1)) {
            return false;
        }
        for (int i = hole.length - 1; i > at; i--) {
            hole[i] = hole[i - 1];
            data[i] = data[i - 1];
        }
        hole[at] = 0;
        data[at] = 0;
        return true;
    }

    /**
     * Records {@code size} bytes at {@code offset}; false, with the state unchanged, when it would need
     * more contigs than the limit (smoltcp's TooManyHolesError).
     */
    public boolean add(long offset, long size) {
        if (offset < 0 || size < 0) {
            throw new IllegalArgumentException("range " + offset + "+" + size);
        }
        if (size == 0) {
            return true;
        }
        int i = 0;
        while (true) {
            if (i == hole.length) {
                return false;
            }
            if (!hasData(i)) {
                hole[i] = offset;
                data[i] = size;
                return true;
            }
            if (offset <= total(i)) {
                break;
            }
            offset -= total(i);
            i++;
        }
        if (offset < hole[i]) {
            if (offset + size < hole[i]) {
                if (!addContigAt(i)) {
                    return false;
                }
                hole[i] = offset;
                data[i] = size;
                hole[i + 1] -= offset + size;
                return true;
            }
            long t = total(i); // shrink_hole_to(offset)
            hole[i] = offset;
            data[i] = t - offset;
        }
        coalesceRight(i, offset, size);
        return true;
    }

    /** The second half of assembler.rs add: merge the contigs the new range reaches, then extend. */
    private void coalesceRight(int i, long offset, long size) {
        int j = i + 1;
        while (j < hole.length && hasData(j) && offset + size >= total(i) + hole[j]) {
            data[i] += total(j);
            j++;
        }
        int shift = j - i - 1;
        if (shift != 0) {
            for (int x = i + 1; x < hole.length; x++) {
                if (!hasData(x)) {
                    break;
                }
                boolean inRange = x + shift < hole.length;
                hole[x] = inRange ? hole[x + shift] : 0;
                data[x] = inRange ? data[x + shift] : 0;
            }
        }
        if (offset + size > total(i)) {
            long left = offset + size - total(i);
            data[i] += left;
            if (i + 1 < hole.length && hasData(i + 1)) {
                hole[i + 1] -= left;
            }
        }
    }

    /** Removes and returns the data at the front, 0 if the front is a hole (remove_front). */
    public long removeFront() {
        if (hole[0] != 0 || data[0] == 0) {
            return 0;
        }
        long front = data[0];
        removeContigAt(0);
        return front;
    }

    /**
     * {@link #add} then {@link #removeFront}; never refuses a range at offset 0 (the next expected
     * segment). Returns the bytes now contiguous at the front, or -1 when the range was refused.
     */
    public long addThenRemoveFront(long offset, long size) {
        if (offset == 0 && size < hole[0]) {
            hole[0] -= size;
            return size;
        }
        if (!add(offset, size)) {
            return -1;
        }
        return removeFront();
    }

    /** The data ranges as [start, end) pairs, offset by {@code firstOffset} (iter_data). */
    public List<long[]> ranges(long firstOffset) {
        List<long[]> out = new ArrayList<>();
        long left = 0;
        for (int i = 0; i < hole.length; i++) {
            left += hole[i];
            long right = left + data[i];
            if (left < right) {
                out.add(new long[]{left + firstOffset, right + firstOffset});
                left = right;
            }
        }
        return out;
    }

    /** The contigs as "(hole,data)" pairs, e.g. {@code [(4,8) (30,10)]}, for tests and traces. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < hole.length && hasData(i); i++) {
            b.append(i == 0 ? "" : " ").append('(').append(hole[i]).append(',').append(data[i]).append(')');
        }
        return b.append(']').toString();
    }
}
