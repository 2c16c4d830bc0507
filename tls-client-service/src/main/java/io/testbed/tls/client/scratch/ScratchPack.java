package io.testbed.tls.client.scratch;

import io.testbed.tls.client.git.PackRejectedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * scratch's {@code PackParser::parse_all} (userspace/scratch/src/pack.rs:115-225 @7b52ac2) on the
 * pack read back from the file: every entry inflated in memory first (5 print lines each, and
 * {@code decompress_with_consumed}'s output reserved at 2x the rest of the pack, src/zlib.rs:48, one
 * mmap that lives until the end), then the non-delta objects written as loose objects in pack order,
 * then the deltas resolved in passes (an OFS_DELTA by its base's offset, a REF_DELTA by hashing the
 * resolved objects in offset order until one matches, then the store).
 */
final class ScratchPack {
    /** scratch's own type numbers (the enum's order), as it prints them: commit 0 .. ref-delta 5. */
    static final String[] TYPE_NAMES = {"commit", "tree", "blob", "tag"};
    private static final int OFS_DELTA = 4;
    private static final int REF_DELTA = 5;
    /** decompress_with_consumed gives up after 1000 rounds of at most 4096 output bytes (zlib.rs:59-63). */
    static final long MAX_INFLATE_ROUNDS = 1000;
    static final int ROUND_OUTPUT = 4096;

    private final ScratchSys sys;
    private final byte[] data;
    private final int count;
    private int pos = 12;

    /** One entry: offset, scratch type, delta base, inflated data and the mapping that holds it. */
    private record Entry(int offset, int type, long baseDistance, byte[] baseId, byte[] data, long addr, long capacity) {
    }

    ScratchPack(ScratchSys sys, byte[] data) throws PackRejectedException {
        this.sys = sys;
        this.data = data;
        if (data.length < 12) {
            throw new PackRejectedException("invalid pack: pack too small for header", null);
        }
        if (data[0] != 'P' || data[1] != 'A' || data[2] != 'C' || data[3] != 'K') {
            throw new PackRejectedException("invalid pack: invalid pack magic", null);
        }
        int version = be32(4);
        if (version != 2 && version != 3) {
            throw new PackRejectedException("invalid pack: unsupported pack version " + version, null);
        }
        long n = be32(8) & 0xffffffffL;
        if (n > Integer.MAX_VALUE / 2) {
            throw new PackRejectedException("invalid pack: object count " + n, null);
        }
        this.count = (int) n;
    }

    int objectCount() {
        return count;
    }

    /** Parses, resolves and stores everything; the object ids in the order they were stored. */
    List<String> parseAll(LooseStore store) throws IOException {
        sys.print("scratch: parse_all starting\n");
        List<Entry> entries = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                sys.print("scratch: parsing object ");
                ScratchClient.printNum(sys, i);
                sys.print(" at pos ");
                ScratchClient.printNum(sys, pos);
                sys.print("\n");
                Entry e = parseEntry();
                sys.print("scratch: parsed object type=");
                ScratchClient.printNum(sys, e.type());
                sys.print(" size=");
                ScratchClient.printNum(sys, e.data().length);
                sys.print("\n");
                entries.add(e);
            }
            return resolve(entries, store);
        } finally {
            for (Entry e : entries) {
                if (e.capacity() > 0) {
                    sys.munmap(e.addr(), e.capacity());
                }
            }
        }
    }

    private List<String> resolve(List<Entry> entries, LooseStore store) throws IOException {
        List<String> ids = new ArrayList<>(entries.size());
        Map<Integer, Object[]> resolved = new TreeMap<>(); // offset -> {type, data}
        List<Entry> remaining = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type() < OFS_DELTA) {
                resolved.put(e.offset(), new Object[]{e.type(), e.data()});
                ids.add(store.writeContent(TYPE_NAMES[e.type()], e.data()));
            } else {
                remaining.add(e);
            }
        }
        int passes = remaining.size() + 1;
        for (int p = 0; p < passes && !remaining.isEmpty(); p++) {
            List<Entry> still = new ArrayList<>();
            for (Entry e : remaining) {
                Object[] base = e.type() == OFS_DELTA ? resolved.get((int) (e.offset() - e.baseDistance()))
                        : findByRef(resolved, e.baseId(), store);
                if (base == null) {
                    still.add(e);
                    continue;
                }
                byte[] result = applyDelta((byte[]) base[1], e.data());
                resolved.put(e.offset(), new Object[]{base[0], result});
                ids.add(store.writeContent(TYPE_NAMES[(Integer) base[0]], result));
            }
            if (still.size() == remaining.size()) {
                throw new PackRejectedException("delta base not found for " + still.size() + " objects", null);
            }
            remaining = still;
        }
        if (!remaining.isEmpty()) {
            throw new PackRejectedException("delta base not found for " + remaining.size() + " objects", null);
        }
        return ids;
    }

    private Object[] findByRef(Map<Integer, Object[]> resolved, byte[] id, LooseStore store) throws IOException {
        String want = HexFormat.of().formatHex(id);
        for (Object[] r : resolved.values()) {
            byte[] d = (byte[]) r[1];
            byte[] header = (TYPE_NAMES[(Integer) r[0]] + " " + d.length + "\0").getBytes(StandardCharsets.US_ASCII);
            byte[] raw = Arrays.copyOf(header, header.length + d.length);
            System.arraycopy(d, 0, raw, header.length, d.length);
            if (store.sha1Hex(raw).equals(want)) {
                return new Object[]{r[0], d.clone()};
            }
        }
        try {
            byte[] raw = store.read(want);
            int nul = indexOf(raw, (byte) 0);
            String type = new String(raw, 0, nul, StandardCharsets.US_ASCII).split(" ")[0];
            int t = Arrays.asList(TYPE_NAMES).indexOf(type);
            return t < 0 ? null : new Object[]{t, Arrays.copyOfRange(raw, nul + 1, raw.length)};
        } catch (PackRejectedException notThere) {
            return null;
        }
    }

    private Entry parseEntry() throws IOException {
        int offset = pos;
        int b = byteAt(pos++);
        int gitType = (b >> 4) & 7;
        int type = switch (gitType) {
            case 1, 2, 3, 4 -> gitType - 1;
            case 6 -> OFS_DELTA;
            case 7 -> REF_DELTA;
            default -> throw new PackRejectedException("invalid pack: invalid object type " + gitType + " at " + offset, null);
        };
        while ((b & 0x80) != 0) {
            b = byteAt(pos++);
        }
        long distance = 0;
        byte[] baseId = null;
        if (type == OFS_DELTA) {
            b = byteAt(pos++);
            distance = b & 0x7f;
            while ((b & 0x80) != 0) {
                b = byteAt(pos++);
                distance = ((distance + 1) << 7) | (b & 0x7f);
            }
        } else if (type == REF_DELTA) {
            if (pos + 20 > data.length) {
                throw new PackRejectedException("invalid pack: truncated REF_DELTA header", null);
            }
            baseId = Arrays.copyOfRange(data, pos, pos + 20);
            pos += 20;
        }
        Inflated in = decompressNext();
        return new Entry(offset, type, distance, baseId, in.data, in.addr, in.capacity);
    }

    private record Inflated(byte[] data, long addr, long capacity) {
    }

    /** decompress_with_consumed (src/zlib.rs:35-83): prints, the 2x reservation, exact bytes consumed. */
    private Inflated decompressNext() throws IOException {
        int remaining = data.length - pos;
        sys.print("scratch: decompress_with_consumed input_len=");
        ScratchClient.printNum(sys, remaining);
        sys.print("\n");
        sys.print("scratch: InflateState created\n");
        long capacity = 2L * remaining;
        long addr = capacity > 0 ? sys.mmap(capacity) : 0;
        Inflater inf = new Inflater();
        try {
            inf.setInput(data, pos, remaining);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[ROUND_OUTPUT];
            long rounds = 0;
            while (!inf.finished()) {
                if (++rounds > MAX_INFLATE_ROUNDS) {
                    sys.print("scratch: too many iterations\n");
                    throw new PackRejectedException("decompress error: too many iterations (an object over "
                            + MAX_INFLATE_ROUNDS * ROUND_OUTPUT + " bytes, scratch src/zlib.rs:59-63)", null);
                }
                long needed = out.size() + (long) ROUND_OUTPUT;
                if (needed > capacity) {
                    long grown = Math.max(capacity * 2, needed); // Vec::resize: amortized growth, realloc = alloc + copy + free
                    long fresh = sys.mmap(grown);
                    if (capacity > 0) {
                        sys.munmap(addr, capacity);
                    }
                    addr = fresh;
                    capacity = grown;
                }
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    sys.print("scratch: decompress error\n");
                    throw new PackRejectedException("decompress error at pack offset " + pos + ": truncated", null);
                }
                out.write(buf, 0, n);
            }
            int consumed = remaining - inf.getRemaining();
            byte[] result = out.toByteArray();
            sys.cpu().inflated(result.length);
            sys.print("scratch: decompress done consumed=");
            ScratchClient.printNum(sys, consumed);
            sys.print(" output=");
            ScratchClient.printNum(sys, result.length);
            sys.print("\n");
            pos += consumed;
            return new Inflated(result, addr, capacity);
        } catch (DataFormatException e) {
            sys.print("scratch: decompress error\n");
            throw new PackRejectedException("decompress error at pack offset " + pos + ": " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    /** git's delta format: base size, result size, then copy and insert instructions. */
    byte[] applyDelta(byte[] base, byte[] delta) throws PackRejectedException {
        int[] p = {0};
        long baseSize = varint(delta, p);
        long resultSize = varint(delta, p);
        if (baseSize != base.length || resultSize > Integer.MAX_VALUE - 8) {
            throw new PackRejectedException("invalid delta: base size " + baseSize + " != " + base.length, null);
        }
        byte[] out = new byte[(int) resultSize];
        int o = 0;
        int i = p[0];
        try {
            while (i < delta.length) {
                int op = delta[i++] & 0xff;
                if ((op & 0x80) != 0) {
                    long off = 0;
                    long size = 0;
                    for (int k = 0; k < 4; k++) {
                        if ((op & (1 << k)) != 0) {
                            off |= (long) (delta[i++] & 0xff) << (8 * k);
                        }
                    }
                    for (int k = 0; k < 3; k++) {
                        if ((op & (0x10 << k)) != 0) {
                            size |= (long) (delta[i++] & 0xff) << (8 * k);
                        }
                    }
                    if (size == 0) {
                        size = 0x10000;
                    }
                    System.arraycopy(base, (int) off, out, o, (int) size);
                    o += (int) size;
                } else if (op != 0) {
                    System.arraycopy(delta, i, out, o, op);
                    i += op;
                    o += op;
                } else {
                    throw new PackRejectedException("invalid delta: opcode 0", null);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new PackRejectedException("invalid delta: instruction out of range", e);
        }
        if (o != out.length) {
            throw new PackRejectedException("invalid delta: result size " + o + " != " + out.length, null);
        }
        sys.cpu().packParsed(out.length);
        return out;
    }

    private static long varint(byte[] d, int[] p) throws PackRejectedException {
        long v = 0;
        int shift = 0;
        int b;
        do {
            if (p[0] >= d.length || shift > 56) {
                throw new PackRejectedException("invalid delta: truncated size", null);
            }
            b = d[p[0]++] & 0xff;
            v |= (long) (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return v;
    }

    private int byteAt(int i) throws PackRejectedException {
        if (i >= data.length) {
            throw new PackRejectedException("invalid pack: unexpected end of pack at " + i, null);
        }
        return data[i] & 0xff;
    }

    private int be32(int i) {
        return ((data[i] & 0xff) << 24) | ((data[i + 1] & 0xff) << 16) | ((data[i + 2] & 0xff) << 8) | (data[i + 3] & 0xff);
    }

    static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
