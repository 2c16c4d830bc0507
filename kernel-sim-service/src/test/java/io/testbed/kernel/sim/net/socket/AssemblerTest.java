package io.testbed.kernel.sim.net.socket;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** smoltcp 0.12's assembler tests (src/storage/assembler.rs:376-748), run against the Java port. */
class AssemblerTest {
    private static final int MAX = 4; // smoltcp ASSEMBLER_MAX_SEGMENT_COUNT default

    /** An assembler holding exactly these (hole, data) contigs, built by adds. */
    private static Assembler contigs(long[]... pairs) {
        Assembler a = new Assembler(MAX);
        long at = 0;
        for (long[] p : pairs) {
            at += p[0];
            assertThat(a.add(at, p[1])).isTrue();
            at += p[1];
        }
        return a;
    }

    private static String str(long[]... pairs) {
        return contigs(pairs).toString();
    }

    @Test
    void newIsEmpty() {
        assertThat(new Assembler(MAX).toString()).isEqualTo("[]");
        assertThat(new Assembler(MAX).isEmpty()).isTrue();
    }

    @Test
    void emptyAdds() {
        Assembler full = new Assembler(MAX);
        assertThat(full.add(0, 16)).isTrue();
        assertThat(full.toString()).isEqualTo("[(0,16)]");
        Assembler back = new Assembler(MAX);
        assertThat(back.add(12, 4)).isTrue();
        assertThat(back.toString()).isEqualTo("[(12,4)]");
        Assembler mid = new Assembler(MAX);
        assertThat(mid.add(4, 8)).isTrue();
        assertThat(mid.toString()).isEqualTo("[(4,8)]");
    }

    @Test
    void partialAdds() {
        String[][] cases = {
                {"0", "4", "[(0,12)]"}, {"12", "4", "[(4,12)]"}, {"0", "8", "[(0,12)]"}, {"2", "6", "[(2,10)]"},
                {"8", "8", "[(4,12)]"}, {"10", "4", "[(4,10)]"}, {"0", "16", "[(0,16)]"}, {"2", "12", "[(2,12)]"}};
        for (String[] c : cases) {
            Assembler a = contigs(new long[]{4, 8});
            assertThat(a.add(Long.parseLong(c[0]), Long.parseLong(c[1]))).isTrue();
            assertThat(a.toString()).as("add %s+%s to [(4,8)]", c[0], c[1]).isEqualTo(c[2]);
        }
    }

    @Test
    @DisplayName("a range needing a fifth contig is refused and the state is kept")
    void rejectedAddKeepsState() {
        Assembler a = new Assembler(MAX);
        for (int c = 1; c <= MAX; c++) {
            assertThat(a.add(c * 10L, 3)).isTrue();
        }
        String before = a.toString();
        assertThat(a.add(1, 3)).isFalse();
        assertThat(a.toString()).isEqualTo(before);
        assertThat(a.addThenRemoveFront(1, 3)).isEqualTo(-1);
        assertThat(a.toString()).isEqualTo(before);
        assertThat(a.addThenRemoveFront(0, 3)).as("offset 0 is never refused").isEqualTo(3);
    }

    @Test
    void removeFront() {
        assertThat(new Assembler(MAX).removeFront()).isZero();
        Assembler one = contigs(new long[]{0, 4});
        assertThat(one.removeFront()).isEqualTo(4);
        assertThat(one.toString()).isEqualTo("[]");
        Assembler two = contigs(new long[]{0, 4}, new long[]{4, 4});
        assertThat(two.removeFront()).isEqualTo(4);
        assertThat(two.toString()).isEqualTo("[(4,4)]");
        Assembler hole = contigs(new long[]{2, 4});
        assertThat(hole.removeFront()).isZero();
    }

    @Test
    void shrinkNextHoleAndJoins() {
        Assembler a = new Assembler(MAX);
        a.add(100, 10);
        a.add(50, 10);
        a.add(40, 30);
        assertThat(a.toString()).isEqualTo("[(40,30) (30,10)]");
        Assembler b = new Assembler(MAX);
        b.add(10, 10);
        b.add(50, 10);
        b.add(15, 40);
        assertThat(b.toString()).isEqualTo("[(10,50)]");
        Assembler c = new Assembler(MAX);
        c.add(50, 10);
        c.add(10, 10);
        c.add(15, 60);
        assertThat(c.toString()).isEqualTo("[(10,65)]");
        Assembler d = new Assembler(MAX);
        assertThat(d.add(0, 1)).isTrue();
        assertThat(d.add(2, 1)).isTrue();
        assertThat(d.add(1, 1)).as("smoltcp issue 694").isTrue();
        assertThat(d.toString()).isEqualTo("[(0,3)]");
    }

    @Test
    void ranges() {
        assertThat(new Assembler(MAX).ranges(10)).isEmpty();
        Assembler a = contigs(new long[]{2, 6}, new long[]{2, 1}, new long[]{2, 2});
        List<String> r = new ArrayList<>();
        a.ranges(100).forEach(x -> r.add(x[0] + "-" + x[1]));
        assertThat(r).containsExactly("102-108", "110-111", "113-115");
    }

    @Test
    void addThenRemoveFront() {
        Assembler a = new Assembler(MAX);
        a.add(50, 10);
        assertThat(a.addThenRemoveFront(10, 10)).isZero();
        assertThat(a.toString()).isEqualTo("[(10,10) (30,10)]");
        Assembler b = new Assembler(MAX);
        b.add(50, 10);
        assertThat(b.addThenRemoveFront(0, 10)).isEqualTo(10);
        assertThat(b.toString()).isEqualTo("[(40,10)]");
        Assembler c = new Assembler(MAX);
        c.add(50, 10);
        assertThat(c.addThenRemoveFront(0, 50)).isEqualTo(60);
        assertThat(c.toString()).isEqualTo("[]");
    }

    @Test
    @DisplayName("against an obviously correct bitmap, as smoltcp's test_random (seeded)")
    void randomAgainstBitmap() {
        Random random = new Random(42);
        int maxIndex = 256;
        for (int maxSize : new int[]{2, 5, 10, 100}) {
            for (int round = 0; round < 300; round++) {
                Assembler a = new Assembler(MAX);
                boolean[] map = new boolean[maxIndex];
                for (int k = 0; k < 60; k++) {
                    int offset = random.nextInt(maxIndex - maxSize - 1);
                    int size = 1 + random.nextInt(maxSize);
                    boolean ok = a.add(offset, size);
                    boolean[] map2 = map.clone();
                    for (int i = offset; i < offset + size; i++) {
                        map2[i] = true;
                    }
                    List<long[]> expected = bitmapContigs(map2);
                    assertThat(ok).isEqualTo(expected.size() <= MAX);
                    if (ok) {
                        map = map2;
                        assertThat(a.toString()).isEqualTo(str(expected.toArray(new long[0][])));
                    }
                }
            }
        }
    }

    private static List<long[]> bitmapContigs(boolean[] map) {
        List<long[]> out = new ArrayList<>();
        long hole = 0;
        long data = 0;
        for (boolean b : map) {
            if (b) {
                data++;
            } else {
                if (data != 0) {
                    out.add(new long[]{hole, data});
                    hole = 0;
                    data = 0;
                }
                hole++;
            }
        }
        return out;
    }
}
