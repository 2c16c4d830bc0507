package io.testbed.e2e;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deployment tests need to read out of docker-compose.yml and the services' application.yml
 * beyond plain YAML: a service's mounts (short and long syntax), whether a container path lies in a
 * mount, and a Spring profile's properties with their {@code ${VAR:default}} placeholders.
 */
final class ComposeModel {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");

    private ComposeModel() {
    }

    /**
     * One entry of a service's {@code volumes}.
     *
     * @param type     {@code volume} (named or anonymous) or {@code bind}
     * @param source   the volume's name or the host path; empty for an anonymous volume
     * @param target   the path in the container
     * @param readOnly mounted {@code :ro} / {@code read_only: true}
     */
    record Mount(String type, String source, String target, boolean readOnly) {
        /** Whether {@code path} inside the container is this mount's target or below it. */
        boolean covers(String path) {
            String t = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
            return path.equals(t) || path.startsWith(t + "/");
        }
    }

    /** The mounts of a compose service, from short ({@code src:dst[:mode]}) and long syntax alike. */
    static List<Mount> mounts(Map<String, Object> service, String name) {
        Object volumes = service.get("volumes");
        List<Mount> mounts = new ArrayList<>();
        if (volumes == null) {
            return mounts;
        }
        for (Object v : DeploymentFilesIT.list(volumes, name + " volumes")) {
            mounts.add(v instanceof Map<?, ?> ? longSyntax(DeploymentFilesIT.map(v, name + " volume"), name) : shortSyntax(String.valueOf(v)));
        }
        return mounts;
    }

    private static Mount shortSyntax(String spec) {
        String[] parts = spec.split(":");
        if (parts.length == 1) {
            return new Mount("volume", "", parts[0], false);
        }
        String source = parts[0];
        boolean readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
        boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~") || source.startsWith("$");
        return new Mount(bind ? "bind" : "volume", source, parts[1], readOnly);
    }

    private static Mount longSyntax(Map<String, Object> spec, String name) {
        String type = String.valueOf(spec.getOrDefault("type", "volume"));
        if (!type.equals("volume") && !type.equals("bind")) {
            // tmpfs, npipe: nothing from another service can be reached through them
            return new Mount(type, "", String.valueOf(spec.get("target")), false);
        }
        if (spec.containsKey("volume") && DeploymentFilesIT.map(spec.get("volume"), name + " volume options").containsKey("subpath")) {
            throw new AssertionError(name + ": volume subpath mounts need Docker 26+ and Compose 2.26+; use a volume of its own");
        }
        return new Mount(type, String.valueOf(spec.getOrDefault("source", "")), String.valueOf(spec.get("target")),
                Boolean.TRUE.equals(spec.get("read_only")));
    }

    /**
     * The properties of one Spring profile's document in an application.yml (the document whose
     * {@code spring.config.activate.on-profile} is {@code profile}), flattened to dotted keys.
     */
    static Map<String, Object> profileProperties(Path applicationYml, String profile) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object document : yaml.loadAll(Files.readString(applicationYml))) {
            if (!(document instanceof Map<?, ?>)) {
                continue;
            }
            Map<String, Object> flat = new java.util.TreeMap<>();
            flatten("", DeploymentFilesIT.map(document, applicationYml + " document"), flat);
            if (profile.equals(flat.get("spring.config.activate.on-profile"))) {
                return flat;
            }
        }
        throw new AssertionError(applicationYml + " has no document for the Spring profile '" + profile + "'");
    }

    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> into) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?>) {
                flatten(key, DeploymentFilesIT.map(e.getValue(), key), into);
            } else {
                into.put(key, e.getValue());
            }
        }
    }

    /** The environment variables a property value reads through {@code ${VAR:default}} placeholders. */
    static List<String> placeholderVariables(Object value) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(String.valueOf(value));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** A property value with its placeholders replaced by their defaults: what it is when nothing overrides it. */
    static String withDefaults(Object value) {
        Matcher m = PLACEHOLDER.matcher(String.valueOf(value));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(Optional.ofNullable(m.group(2)).orElse("")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
