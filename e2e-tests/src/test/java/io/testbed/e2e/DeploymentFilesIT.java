package io.testbed.e2e;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files, without running anything but their own checkers: the Grafana provisioning and
 * dashboards, the Prometheus configurations, docker-compose.yml and the Dockerfiles.
 */
@DisplayName("The deployment files")
class DeploymentFilesIT {
    static final List<String> SPRING_SERVICES = List.of("git-http-server", "kernel-sim-service", "tls-client-service", "gateway-service");
    /** Each Spring service's actuator port: what Prometheus scrapes. */
    static final Map<String, Integer> MANAGEMENT_PORTS = Map.of(
            "gateway-service", 8080, "kernel-sim-service", 8081, "tls-client-service", 8082, "git-http-server", 8083);
    private static final Path ROOT = Path.of(System.getProperty("testbed.root", "..")).toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        assertThat(parsed).as("%s is a YAML mapping", file).isInstanceOf(Map.class);
        return (Map<String, Object>) parsed;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        assertThat(o).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String what) {
        assertThat(o).as(what).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    static Map<String, Object> composeServices() throws IOException {
        return map(yaml(ROOT.resolve("docker-compose.yml")).get("services"), "services");
    }

    static String provisionedDatasourceUid() throws IOException {
        Map<String, Object> ds = yaml(ROOT.resolve("grafana/provisioning/datasources/datasource.yml"));
        List<Object> list = list(ds.get("datasources"), "datasources");
        assertThat(list).as("provisioned datasources").hasSize(1);
        return String.valueOf(map(list.get(0), "datasource").get("uid"));
    }

    @Nested
    @DisplayName("Grafana")
    class Grafana {
        @Test
        @DisplayName("provisions one Prometheus datasource with a fixed uid, at the compose host name")
        void datasource_isPrometheusWithAFixedUid() throws IOException {
            Map<String, Object> ds = map(list(yaml(ROOT.resolve("grafana/provisioning/datasources/datasource.yml")).get("datasources"), "datasources").get(0), "datasource");
            assertThat(ds).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090").containsKey("uid");
            assertThat(provisionedDatasourceUid()).isNotBlank();
        }

        @Test
        @DisplayName("loads dashboards from the folder docker-compose.yml mounts grafana/dashboards at")
        void dashboardProvider_pointsAtTheMountedFolder() throws IOException {
            Map<String, Object> providers = yaml(ROOT.resolve("grafana/provisioning/dashboards/dashboards.yml"));
            Map<String, Object> provider = map(list(providers.get("providers"), "providers").get(0), "provider");
            assertThat(provider).containsEntry("type", "file");
            String path = String.valueOf(map(provider.get("options"), "options").get("path"));
            List<Object> volumes = list(map(composeServices().get("grafana"), "grafana").get("volumes"), "grafana volumes");
            assertThat(volumes).contains("./grafana/dashboards:" + path + ":ro", "./grafana/provisioning:/etc/grafana/provisioning:ro");
        }

        @Test
        @DisplayName("dashboards have unique uids and titles, and every panel, query and variable uses the provisioned datasource")
        void dashboards_useTheProvisionedDatasource_andHaveUniqueUids() throws IOException {
            String uid = provisionedDatasourceUid();
            List<Dashboards.Dashboard> dashboards = Dashboards.load(ROOT);
            assertThat(dashboards).extracting(d -> d.file().getFileName().toString())
                    .contains("downloads.json", "scheduler.json", "interactive-latency.json", "experiments.json");
            assertThat(dashboards).extracting(Dashboards.Dashboard::uid).doesNotHaveDuplicates().allMatch(u -> !u.isBlank() && u.length() <= 40);
            assertThat(dashboards).extracting(Dashboards.Dashboard::title).doesNotHaveDuplicates();
            List<String> wrong = new ArrayList<>();
            for (Dashboards.Dashboard d : dashboards) {
                assertThat(d.panels()).as("%s panels", d.file()).isNotEmpty();
                for (var panel : d.panels()) {
                    String where = d.file().getFileName() + " / " + panel.path("title").asText();
                    if (!uid.equals(panel.path("datasource").path("uid").asText())) {
                        wrong.add(where + " (panel)");
                    }
                    assertThat(panel.path("targets").isEmpty()).as("%s has no query", where).isFalse();
                    for (var target : panel.path("targets")) {
                        if (!uid.equals(target.path("datasource").path("uid").asText())) {
                            wrong.add(where + " / " + target.path("refId").asText());
                        }
                    }
                }
                for (Dashboards.Variable v : d.variables()) {
                    if (!uid.equals(v.json().path("datasource").path("uid").asText())) {
                        wrong.add(d.file().getFileName() + " variable " + v.name());
                    }
                }
            }
            assertThat(wrong).as("not using datasource uid %s", uid).isEmpty();
        }

        @Test
        @DisplayName("grafana/README.md says what question each dashboard answers, and the root README links it")
        void readme_describesEveryDashboard() throws IOException {
            String readme = Files.readString(ROOT.resolve("grafana/README.md"));
            for (Dashboards.Dashboard d : Dashboards.load(ROOT)) {
                assertThat(readme).contains(d.file().getFileName().toString());
            }
            assertThat(Files.readString(ROOT.resolve("README.md"))).contains("grafana/README.md");
        }
    }

    @Nested
    @DisplayName("Prometheus")
    class Prometheus {
        @Test
        @DisplayName("scrapes each service's actuator every 5 s: compose host names in prometheus.yml, loopback in prometheus-local.yml")
        void scrapeConfigs_haveOneJobPerService() throws IOException {
            Set<String> composeServices = composeServices().keySet();
            for (String file : List.of("prometheus.yml", "prometheus-local.yml")) {
                Map<String, Object> config = yaml(ROOT.resolve("prometheus/" + file));
                assertThat(map(config.get("global"), "global")).as(file).containsEntry("scrape_interval", "5s");
                Map<String, String> targets = new TreeMap<>();
                for (Object o : list(config.get("scrape_configs"), "scrape_configs")) {
                    Map<String, Object> job = map(o, "job");
                    assertThat(job).as(file).containsEntry("metrics_path", "/actuator/prometheus");
                    List<Object> t = list(map(list(job.get("static_configs"), "static_configs").get(0), "static_config").get("targets"), "targets");
                    assertThat(t).as(file).hasSize(1);
                    targets.put(String.valueOf(job.get("job_name")), String.valueOf(t.get(0)));
                }
                assertThat(targets.keySet()).as(file).containsExactlyInAnyOrderElementsOf(MANAGEMENT_PORTS.keySet());
                MANAGEMENT_PORTS.forEach((service, port) -> {
                    String host = file.equals("prometheus.yml") ? service : "127.0.0.1";
                    assertThat(targets).as(file).containsEntry(service, host + ":" + port);
                    if (file.equals("prometheus.yml")) {
                        assertThat(composeServices).contains(service);
                    }
                });
            }
        }

        @Test
        @DisplayName("configurations pass promtool check config")
        void configs_passPromtool() throws Exception {
            Path promtool = Tools.require("promtool", "the Prometheus configurations");
            for (String file : List.of("prometheus.yml", "prometheus-local.yml")) {
                Run r = Run.of(ROOT, List.of(promtool.toString(), "check", "config", "prometheus/" + file));
                assertThat(r.exit()).as("promtool check config %s:\n%s", file, r.output()).isZero();
            }
        }
    }

    @Nested
    @DisplayName("docker-compose.yml")
    class Compose {
        @Test
        @DisplayName("passes docker-compose config -q")
        void config_isValid() throws Exception {
            Path compose = Tools.require("docker-compose", "docker-compose.yml");
            // TESTBED_TOKEN has no default: compose refuses to start without one (the services bind 0.0.0.0 inside)
            Run r = Run.of(ROOT, List.of(compose.toString(), "-f", "docker-compose.yml", "config", "-q"),
                    Map.of("TESTBED_TOKEN", "0123456789abcdef0123456789abcdef"));
            assertThat(r.exit()).as("docker-compose -f docker-compose.yml config -q:\n%s", r.output()).isZero();
        }

        @Test
        @DisplayName("every Spring service gets TESTBED_TOKEN, which has no default (they bind 0.0.0.0 inside: issue 16)")
        void springServices_requireTheBearerToken() throws Exception {
            Map<String, Object> services = composeServices();
            for (String name : SPRING_SERVICES) {
                Map<String, String> env = environment(map(services.get(name), name), name);
                assertThat(env.get("TESTBED_TOKEN")).as("%s TESTBED_TOKEN", name).startsWith("${TESTBED_TOKEN:?");
                assertThat(env).as("%s must not allow anonymous writes", name).doesNotContainKey("TESTBED_ALLOW_ANONYMOUS");
            }
            java.util.Optional<Path> compose = Tools.find("docker-compose");
            if (compose.isPresent()) {
                Run r = Run.of(ROOT, List.of(compose.get().toString(), "-f", "docker-compose.yml", "config", "-q"), Map.of("TESTBED_TOKEN", ""));
                assertThat(r.exit()).as("docker-compose config without TESTBED_TOKEN:\n%s", r.output()).isNotZero();
                assertThat(r.output()).contains("TESTBED_TOKEN");
            }
        }

        @Test
        @DisplayName("has the four services, Prometheus, Grafana and PostgreSQL, each with a healthcheck and a memory limit")
        void everyService_hasAHealthcheckAndAMemoryLimit() throws IOException {
            Map<String, Object> services = composeServices();
            assertThat(services.keySet()).containsAll(SPRING_SERVICES).contains("prometheus", "grafana", "postgres");
            for (Map.Entry<String, Object> e : services.entrySet()) {
                Map<String, Object> s = map(e.getValue(), e.getKey());
                Map<String, Object> health = map(s.get("healthcheck"), e.getKey() + " healthcheck");
                assertThat(health.get("disable")).as(e.getKey()).isNotEqualTo(true);
                assertThat(list(health.get("test"), e.getKey() + " healthcheck test")).as(e.getKey()).isNotEmpty();
                Object limit = s.get("mem_limit");
                if (limit == null && s.get("deploy") != null) {
                    limit = map(map(map(s.get("deploy"), "deploy").get("resources"), "resources").get("limits"), "limits").get("memory");
                }
                assertThat(limit).as("%s memory limit", e.getKey()).isNotNull();
            }
        }

        @Test
        @DisplayName("starts a service only once what it depends on is healthy")
        void dependsOn_waitsForHealthy() throws IOException {
            Map<String, Object> services = composeServices();
            for (Map.Entry<String, Object> e : services.entrySet()) {
                Object deps = map(e.getValue(), e.getKey()).get("depends_on");
                if (deps == null) {
                    continue;
                }
                for (Map.Entry<String, Object> d : map(deps, e.getKey() + " depends_on").entrySet()) {
                    assertThat(services).containsKey(d.getKey());
                    assertThat(map(d.getValue(), d.getKey())).as("%s -> %s", e.getKey(), d.getKey())
                            .containsEntry("condition", "service_healthy");
                }
            }
            assertThat(map(map(services.get("gateway-service"), "gateway").get("depends_on"), "gateway depends_on").keySet())
                    .contains("kernel-sim-service", "tls-client-service", "git-http-server", "postgres");
        }

        @Test
        @DisplayName("builds each Spring service from its multi-stage Dockerfile, with the docker profile and the host names its profile uses")
        void springServices_buildFromTheirDockerfiles() throws IOException {
            Map<String, Object> services = composeServices();
            for (String name : SPRING_SERVICES) {
                Map<String, Object> s = map(services.get(name), name);
                Map<String, Object> build = map(s.get("build"), name + " build");
                assertThat(build).containsEntry("context", ".").containsEntry("dockerfile", name + "/Dockerfile");
                assertThat(profiles(s, name)).as("%s profiles", name).first().isEqualTo("docker");
                String dockerfile = Files.readString(ROOT.resolve(name + "/Dockerfile"));
                assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build", "-pl " + name + " -am package",
                        "FROM eclipse-temurin:17-jre-jammy", name + "-*-exec.jar");
            }
            // the docker profiles name kernel-sim and tls-client (see the services' application.yml)
            assertThat(aliases(services, "kernel-sim-service")).contains("kernel-sim");
            assertThat(aliases(services, "tls-client-service")).contains("tls-client");
            assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target", ".git");
        }

        @Test
        @DisplayName("keeps the PKI, its public half and the database in named volumes")
        void volumes_holdThePkiAndTheDatabase() throws IOException {
            Map<String, Object> services = composeServices();
            Set<String> named = map(yaml(ROOT.resolve("docker-compose.yml")).get("volumes"), "volumes").keySet();
            assertThat(named).contains("pki", "pki-public", "postgres-data");
            assertThat(list(map(services.get("git-http-server"), "git").get("volumes"), "git volumes"))
                    .contains("pki:/data/pki", "pki-public:/data/pki-public");
            for (String reader : List.of("tls-client-service", "gateway-service")) {
                assertThat(list(map(services.get(reader), reader).get("volumes"), reader + " volumes")).containsExactly("pki-public:/data/pki:ro");
            }
            assertThat(list(map(services.get("postgres"), "postgres").get("volumes"), "postgres volumes"))
                    .anyMatch(v -> String.valueOf(v).startsWith("postgres-data:"));
        }

        @Test
        @DisplayName("runs the gateway with the postgres profile and every SPRING_DATASOURCE_* it reads, matching the postgres service")
        void gateway_usesThePostgresService() throws IOException {
            Map<String, Object> services = composeServices();
            Map<String, Object> gateway = map(services.get("gateway-service"), "gateway-service");
            Map<String, String> env = environment(gateway, "gateway-service");
            assertThat(profiles(gateway, "gateway-service")).contains("docker", "postgres");

            Map<String, Object> profile = ComposeModel.profileProperties(ROOT.resolve("gateway-service/src/main/resources/application.yml"), "postgres");
            List<String> read = profile.values().stream().flatMap(v -> ComposeModel.placeholderVariables(v).stream()).toList();
            assertThat(read).as("what the postgres profile reads")
                    .contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
            assertThat(env).as("the gateway's environment").containsKeys(read.toArray(String[]::new));
            assertThat(env.keySet()).as("variables for the database that nothing in the gateway reads")
                    .noneMatch(k -> k.startsWith("POSTGRES_"));

            Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)").matcher(env.get("SPRING_DATASOURCE_URL"));
            assertThat(url.matches()).as("SPRING_DATASOURCE_URL %s", env.get("SPRING_DATASOURCE_URL")).isTrue();
            String host = url.group(1);
            assertThat(services).as("the database host %s is a compose service", host).containsKey(host);
            Map<String, Object> postgres = map(services.get(host), host);
            assertThat(String.valueOf(postgres.get("image"))).startsWith("postgres:");
            Map<String, String> db = environment(postgres, host);
            assertThat(url.group(2)).as("port").isEqualTo(db.getOrDefault("PGPORT", "5432"));
            assertThat(url.group(3)).as("database").isEqualTo(db.get("POSTGRES_DB"));
            assertThat(env.get("SPRING_DATASOURCE_USERNAME")).as("user").isEqualTo(db.get("POSTGRES_USER"));
            assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).as("the password: the very expression PostgreSQL gets")
                    .isEqualTo(db.get("POSTGRES_PASSWORD")).matches("\\$\\{POSTGRES_PASSWORD(:?-[^}]*)?}");
            assertThat(list(map(postgres.get("healthcheck"), "postgres healthcheck").get("test"), "postgres healthcheck test"))
                    .as("the healthcheck asks for the same user and database")
                    .containsSubsequence("-U", db.get("POSTGRES_USER")).containsSubsequence("-d", db.get("POSTGRES_DB"));
        }

        @Test
        @DisplayName("gives the gateway and PostgreSQL the same password when POSTGRES_PASSWORD is set (docker-compose config)")
        void postgresPassword_reachesBothSides() throws Exception {
            Path compose = Tools.require("docker-compose", "docker-compose.yml");
            String password = "s3cret-" + Long.toHexString(System.nanoTime());
            String token = "t0ken-" + Long.toHexString(System.nanoTime()) + "-0123456789";
            Run r = Run.of(ROOT, List.of(compose.toString(), "-f", "docker-compose.yml", "config"),
                    Map.of("POSTGRES_PASSWORD", password, "TESTBED_TOKEN", token));
            assertThat(r.exit()).as("docker-compose config:\n%s", r.output()).isZero();
            Map<String, Object> resolved = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(r.stdout()), "docker-compose config");
            Map<String, Object> services = map(resolved.get("services"), "services");
            Map<String, String> gateway = environment(map(services.get("gateway-service"), "gateway-service"), "gateway-service");
            assertThat(gateway).containsEntry("SPRING_DATASOURCE_PASSWORD", password)
                    .containsEntry("SPRING_PROFILES_ACTIVE", "docker,postgres");
            assertThat(environment(map(services.get("postgres"), "postgres"), "postgres")).containsEntry("POSTGRES_PASSWORD", password);
            for (String name : SPRING_SERVICES) {
                assertThat(environment(map(services.get(name), name), name)).as("%s gets the one bearer token", name)
                        .containsEntry("TESTBED_TOKEN", token);
            }
        }

        @Test
        @DisplayName("keeps ca.key and server.key in git-http-server's own volume: no other service mounts it or the host's data/")
        void privateKeys_stayWithGitHttpServer() throws IOException {
            Map<String, Object> services = composeServices();
            Pki pki = Pki.of(services);
            for (Map.Entry<String, Object> e : services.entrySet()) {
                assertThat(map(e.getValue(), e.getKey()).get("volumes_from")).as("%s volumes_from", e.getKey()).isNull();
                if (e.getKey().equals("git-http-server")) {
                    continue;
                }
                for (ComposeModel.Mount m : ComposeModel.mounts(map(e.getValue(), e.getKey()), e.getKey())) {
                    assertThat(m.type().equals("volume") && m.source().equals(pki.keys().source()))
                            .as("%s mounts %s, the volume with ca.key and server.key", e.getKey(), m).isFalse();
                    String host = m.source().replaceFirst("^\\./", "");
                    assertThat(m.type().equals("bind") && (host.equals("data") || host.startsWith("data/") || host.contains("pki")))
                            .as("%s bind-mounts %s, where make run keeps the PKI", e.getKey(), m).isFalse();
                }
            }
        }

        @Test
        @DisplayName("hands tls-client and the gateway the ca.crt-only volume, read-only, where their docker profile looks for ca.crt")
        void readers_findCaCrtInThePublicVolume() throws IOException {
            Map<String, Object> services = composeServices();
            Pki pki = Pki.of(services);
            for (String reader : List.of("tls-client-service", "gateway-service")) {
                Map<String, Object> profile = ComposeModel.profileProperties(ROOT.resolve(reader + "/src/main/resources/application.yml"), "docker");
                String caFile = ComposeModel.withDefaults(profile.get("testbed.pki.ca-file"));
                ComposeModel.Mount m = ComposeModel.mounts(map(services.get(reader), reader), reader).stream()
                        .filter(x -> x.covers(caFile)).findFirst()
                        .orElseThrow(() -> new AssertionError(reader + ": nothing is mounted where it reads " + caFile));
                assertThat(m.type()).isEqualTo("volume");
                assertThat(m.source()).as("%s: the volume at %s", reader, caFile).isEqualTo(pki.published().source());
                assertThat(m.readOnly()).as("%s mounts it read-only", reader).isTrue();
                assertThat(Path.of(m.target()).relativize(Path.of(caFile)))
                        .isEqualTo(Path.of(pki.published().target()).relativize(Path.of(pki.publicDir(), "ca.crt")));
            }
            // the mount point exists in the image, owned by the service's user: a new volume takes its owner from it
            assertThat(Files.readString(ROOT.resolve("git-http-server/Dockerfile"))).containsPattern("mkdir -p [^\\n]*" + pki.publicDir() + " ");
        }

        /**
         * Where git-http-server keeps its keys and the public copy of ca.crt (its docker profile), and the
         * named volumes compose mounts there: two different ones.
         */
        private record Pki(String dir, String publicDir, ComposeModel.Mount keys, ComposeModel.Mount published) {
            static Pki of(Map<String, Object> services) throws IOException {
                Map<String, Object> profile = ComposeModel.profileProperties(ROOT.resolve("git-http-server/src/main/resources/application.yml"), "docker");
                String dir = ComposeModel.withDefaults(profile.get("testbed.pki.dir"));
                String publicDir = ComposeModel.withDefaults(profile.get("testbed.pki.public-dir"));
                assertThat(publicDir).as("git-http-server's docker profile sets testbed.pki.public-dir").isNotBlank().isNotEqualTo("null");
                List<ComposeModel.Mount> mounts = ComposeModel.mounts(map(services.get("git-http-server"), "git-http-server"), "git-http-server");
                ComposeModel.Mount keys = mountOf(mounts, dir + "/ca.key");
                assertThat(mountOf(mounts, dir + "/server.key")).isEqualTo(keys);
                ComposeModel.Mount published = mountOf(mounts, publicDir + "/ca.crt");
                assertThat(published.source()).as("the public volume is not the one with the keys").isNotEqualTo(keys.source());
                assertThat(published.readOnly()).as("git-http-server writes ca.crt into %s", published).isFalse();
                return new Pki(dir, publicDir, keys, published);
            }

            /** The mount holding a file: the deepest one whose target covers it, which must be a named volume. */
            private static ComposeModel.Mount mountOf(List<ComposeModel.Mount> mounts, String file) {
                ComposeModel.Mount m = mounts.stream().filter(x -> x.covers(file))
                        .max(java.util.Comparator.comparingInt(x -> x.target().length()))
                        .orElseThrow(() -> new AssertionError("git-http-server: no volume holds " + file));
                assertThat(m.type()).as("%s is in a named volume", file).isEqualTo("volume");
                assertThat(m.source()).as("%s is in a named volume", file).isNotBlank();
                return m;
            }
        }

        private static List<String> profiles(Map<String, Object> service, String name) {
            String active = environment(service, name).get("SPRING_PROFILES_ACTIVE");
            assertThat(active).as("%s SPRING_PROFILES_ACTIVE", name).isNotBlank();
            return List.of(active.split("\\s*,\\s*"));
        }

        /** A service's environment, from the map or the list ({@code KEY=value}) form. */
        private static Map<String, String> environment(Map<String, Object> service, String name) {
            Object env = service.get("environment");
            Map<String, String> out = new TreeMap<>();
            if (env instanceof List<?> entries) {
                for (Object entry : entries) {
                    String[] kv = String.valueOf(entry).split("=", 2);
                    out.put(kv[0], kv.length > 1 ? kv[1] : null);
                }
            } else if (env != null) {
                map(env, name + " environment").forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
            }
            return out;
        }

        private static List<Object> aliases(Map<String, Object> services, String name) {
            Map<String, Object> networks = map(map(services.get(name), name).get("networks"), name + " networks");
            return list(map(networks.get("default"), name + " default network").get("aliases"), name + " aliases");
        }
    }

    /**
     * A finished command.
     *
     * @param exit   its exit code (-1: timed out)
     * @param output what it printed, standard output then standard error
     * @param stdout its standard output alone
     */
    record Run(int exit, String output, String stdout) {
        static Run of(Path dir, List<String> command) throws Exception {
            return of(dir, command, Map.of());
        }

        static Run of(Path dir, List<String> command, Map<String, String> environment) throws Exception {
            Path out = Files.createTempFile("run", ".out");
            Path err = Files.createTempFile("run", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(environment);
                Process p = builder.start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Run(-1, "timed out after 60 s", "");
                }
                String stdout = Files.readString(out);
                return new Run(p.exitValue(), stdout + Files.readString(err), stdout);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }
}
