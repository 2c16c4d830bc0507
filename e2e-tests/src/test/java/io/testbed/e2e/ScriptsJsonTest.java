package io.testbed.e2e;

import io.testbed.scripts.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON reader that scripts/Demo.java and scripts/Reproduce.java share (scripts/lib, JDK only): what it
 * returns for each kind of value, what it refuses, and that it reads a real report as Jackson does.
 */
class ScriptsJsonTest {

    @Test
    void object_keepsTheOrderOfItsFields_andNestsArraysAndObjects() {
        Object v = Json.parse(" { \"id\" : \"d-1\", \"pack\": {\"verified\": true, \"objects\": 3}, \"lines\": [\"a\", [], {}] } ");

        Map<String, Object> pack = new LinkedHashMap<>();
        pack.put("verified", true);
        pack.put("objects", 3.0);
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(((Map<?, ?>) v).keySet())).isEqualTo(List.of("id", "pack", "lines"));
        assertThat(((Map<?, ?>) v).get("pack")).isEqualTo(pack);
        assertThat(((Map<?, ?>) v).get("lines")).isEqualTo(Arrays.asList("a", new ArrayList<>(), new LinkedHashMap<>()));
    }

    @Test
    void numbers_areDoubles_inEveryForm() {
        assertThat(Json.parse("[0, -12, 3.5, 1e3, -2.5E-2, 4194304]"))
                .isEqualTo(List.of(0.0, -12.0, 3.5, 1000.0, -0.025, 4194304.0));
    }

    @Test
    void literals_areBooleansAndNull() {
        assertThat(Json.parse("[true, false, null]")).isEqualTo(Arrays.asList(true, false, null));
    }

    @Test
    void strings_undoEveryEscape() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ n\\n t\\t r\\r b\\b f\\f u\\u00e9\\u20ac\""))
                .isEqualTo("q\" b\\ s/ n\n t\t r\r b\b f\f u\u00e9\u20ac");
    }

    @Test
    void empty_objectAndArray() {
        assertThat(Json.parse("{}")).isEqualTo(Map.of());
        assertThat(Json.parse("[ ]")).isEqualTo(List.of());
    }

    @Test
    void notJson_isRefusedWithWhereItBroke() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing characters at 8");
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> Json.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":tru}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected true");
        assertThatThrownBy(() -> Json.parse("<html>")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommittedReproductionReport_readsAsJacksonReadsIt() throws Exception {
        String text = Files.readString(Path.of(System.getProperty("testbed.root", ".."), "reports", "reproduction.json"));

        Object ours = Json.parse(text);

        Object jackson = JsonMapper.builder().build().readValue(text, Object.class);
        assertThat(ours).isEqualTo(asDoubles(jackson));
    }

    /** Jackson's numbers as the scripts' reader gives them: every number a Double. */
    private static Object asDoubles(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, asDoubles(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(asDoubles(v)));
            return out;
        }
        return o instanceof Number n ? n.doubleValue() : o;
    }
}
