package io.testbed.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20: the Kubernetes manifests, without a cluster. Every object of {@code deploy/kubernetes} (the Helm chart
 * rendered) is parsed into fabric8's Kubernetes models (the ServiceMonitor into the Prometheus Operator's) and must
 * leave nothing unparsed: a value of the wrong type fails the parse, and an unknown or misspelt field, which the
 * models keep in {@code additionalProperties}, fails the test with its path. Then what the API server and the cluster would
 * check or need: required fields and name formats, selectors that match their pod templates, Services and probes
 * naming ports the pods have, volumes and Secrets that exist, RBAC that binds, NetworkPolicies whose selectors
 * match real pods and that allow exactly the calls the code makes; and that the render agrees with the chart's
 * templates and values (no Helm binary here: docs/DEPLOYMENT.md says how the render was made).
 */
@DisplayName("The Kubernetes manifests")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsIT {

    private static final Path ROOT = Path.of(System.getProperty("testbed.root", "..")).toAbsolutePath().normalize();
    private static final Path RENDERED = ROOT.resolve("deploy/kubernetes");
    private static final Path CHART = ROOT.resolve("deploy/helm/tls-kernel-testbed");
    private static final String NAMESPACE = "testbed";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SOURCE = Pattern.compile("^# Source: tls-kernel-testbed/templates/(\\S+)", Pattern.MULTILINE);
    /** Objects the manifests refer to that they do not contain, and who makes each. */
    private static final Map<String, String> MADE_ELSEWHERE = Map.of(
            "Secret/git-http-server-pki", "the PKI Job",
            "ConfigMap/testbed-ca", "the PKI Job",
            "Secret/testbed-token", "the user (docs/DEPLOYMENT.md; values auth.secretName)");

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final JsonMapper json = JsonMapper.builder().build();

    /** One document of one file. */
    record Doc(Path file, String template, Map<String, Object> raw, HasMetadata object) {
        String id() {
            return object.getKind() + "/" + object.getMetadata().getName();
        }
    }

    /** A workload's pod template, by the workload's id. */
    record Pods(String owner, PodTemplateSpec template) {
        Map<String, String> labels() {
            return template.getMetadata().getLabels();
        }

        List<Container> allContainers() {
            List<Container> all = new ArrayList<>(template.getSpec().getContainers());
            if (template.getSpec().getInitContainers() != null) {
                all.addAll(template.getSpec().getInitContainers());
            }
            return all;
        }

        Set<String> portNames() {
            return template.getSpec().getContainers().stream().filter(c -> c.getPorts() != null)
                    .flatMap(c -> c.getPorts().stream()).map(ContainerPort::getName).filter(Objects::nonNull)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private List<Doc> docs;
    private List<Pods> pods;

    @BeforeAll
    void load() throws IOException {
        docs = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(RENDERED)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("rendered manifests in %s", RENDERED).isNotEmpty();
        for (Path f : files) {
            docs.addAll(parse(f, Files.readString(f)));
        }
        pods = new ArrayList<>();
        for (Doc d : docs) {
            PodTemplateSpec t = d.object() instanceof Deployment dep ? dep.getSpec().getTemplate()
                    : d.object() instanceof StatefulSet ss ? ss.getSpec().getTemplate()
                    : d.object() instanceof Job job ? job.getSpec().getTemplate() : null;
            if (t != null) {
                pods.add(new Pods(d.id(), t));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<Doc> parse(Path file, String text) {
        List<Doc> out = new ArrayList<>();
        // one "---"-separated document at a time, each with the template it came from
        for (String part : text.split("(?m)^---\\s*$")) {
            Object raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(part);
            if (raw == null) {
                continue;
            }
            assertThat(raw).as("a document of %s is a mapping", file).isInstanceOf(Map.class);
            Map<String, Object> map = (Map<String, Object>) raw;
            String apiVersion = String.valueOf(map.get("apiVersion"));
            String kind = String.valueOf(map.get("kind"));
            assertThat(serialization.getRegisteredKubernetesResource(apiVersion, kind))
                    .as("%s: %s %s is a kind the Kubernetes models know", file, apiVersion, kind).isNotNull();
            Object typed = serialization.unmarshal(json.writeValueAsString(map));
            assertThat(typed).as("%s: %s parses into its model", file, kind).isInstanceOf(HasMetadata.class)
                    .isNotInstanceOf(GenericKubernetesResource.class);
            Matcher source = SOURCE.matcher(part);
            out.add(new Doc(file, source.find() ? source.group(1) : null, map, (HasMetadata) typed));
        }
        return out;
    }

    // ---------------------------------------------------------------- the models

    @Test
    void everyObject_parsesStrictly_nothingUnknownOrMistyped() {
        List<String> problems = new ArrayList<>();
        for (Doc d : docs) {
            unparsed(d.object(), d.file().getFileName() + " " + d.id(), problems, new IdentityHashMap<>());
        }
        assertThat(problems).as("fields the Kubernetes models do not know, or values of the wrong type").isEmpty();
        assertThat(docs).extracting(Doc::id).doesNotHaveDuplicates();
        assertThat(docs).extracting(Doc::id).contains("Deployment/gateway", "Deployment/kernel-sim", "Service/kernel-sim-headless",
                "Deployment/tls-client", "Service/tls-client", "Deployment/git-http-server", "Job/pki-init",
                "StatefulSet/postgres", "ServiceMonitor/tls-kernel-testbed", "NetworkPolicy/kernel-sim");
    }

    @Test
    void theStrictCheck_catchesAMisspeltField_andAWrongType() {
        String bad = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 3
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          ports: [{containerPort: 8080, nmae: http}]
                          readinessProbe: {httpGet: {path: /, port: http}, periodSecond: 5}
                """;
        List<String> problems = new ArrayList<>();
        for (Doc d : parse(Path.of("inline.yaml"), bad)) {
            unparsed(d.object(), d.id(), problems, new IdentityHashMap<>());
        }
        assertThat(String.join("\n", problems)).contains("spec: [replica]").contains("ports[0]: [nmae]")
                .contains("readinessProbe: [periodSecond]");
        // a value of the wrong type does not parse at all
        assertThatThrownBy(() -> parse(Path.of("inline.yaml"), bad.replace("periodSecond: 5", "periodSeconds: often")))
                .hasStackTraceContaining("often");
    }

    /** Everything a model kept as additional properties, with where it is. */
    private static void unparsed(Object o, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (o == null) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unparsed(v, path + "." + k, problems, seen));
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) {
                unparsed(v, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.") || o.getClass().isEnum() || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class || m.isDefault()
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is")) || m.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": " + new TreeSet<>(extra.keySet().stream().map(String::valueOf).toList()));
                }
                continue;
            }
            String field = m.getName().startsWith("is") ? m.getName().substring(2) : m.getName().substring(3);
            unparsed(value, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), problems, seen);
        }
    }

    // ---------------------------------------------------------------- what the API server requires

    @Test
    void everyObject_hasTheRequiredFields_andValidNamesAndLabels() {
        for (Doc d : docs) {
            HasMetadata o = d.object();
            assertThat(o.getApiVersion()).as(d.id()).isNotBlank();
            assertThat(o.getMetadata().getName()).as("%s: name", d.id()).matches(DNS_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
            assertThat(o.getMetadata().getNamespace()).as("%s: no namespace (kubectl -n %s apply)", d.id(), NAMESPACE).isNull();
            if (o instanceof Service || o instanceof Deployment || o instanceof StatefulSet) {
                assertThat(o.getMetadata().getName()).as("%s: a DNS label", d.id()).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(63);
            }
            labels(d.id(), o.getMetadata().getLabels());
            assertThat(o.getMetadata().getLabels()).as("%s: labels", d.id())
                    .containsEntry("app.kubernetes.io/part-of", "tls-kernel-testbed").containsEntry("app.kubernetes.io/instance", "testbed");
        }
        for (Pods p : pods) {
            labels(p.owner() + " pods", p.labels());
            assertThat(p.template().getSpec().getContainers()).as("%s: containers", p.owner()).isNotEmpty();
            Set<String> names = new TreeSet<>();
            for (Container c : p.allContainers()) {
                assertThat(c.getName()).as("%s: container name", p.owner()).matches(DNS_LABEL);
                assertThat(names.add(c.getName())).as("%s: container %s once", p.owner(), c.getName()).isTrue();
                assertThat(c.getImage()).as("%s/%s: image", p.owner(), c.getName()).isNotBlank();
                resources(p.owner() + "/" + c.getName(), c.getResources());
                Set<String> ports = new TreeSet<>();
                for (ContainerPort port : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                    assertThat(port.getContainerPort()).as("%s/%s: containerPort", p.owner(), c.getName()).isBetween(1, 65535);
                    if (port.getName() != null) {
                        assertThat(port.getName()).as("%s: port name", p.owner()).matches(PORT_NAME).hasSizeLessThanOrEqualTo(15)
                                .matches(".*[a-z].*");
                        assertThat(ports.add(port.getName())).as("%s: port %s once", p.owner(), port.getName()).isTrue();
                    }
                }
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    assertThat(e.getName()).as("%s: env name", p.owner()).matches("[-._a-zA-Z][-._a-zA-Z0-9]*");
                    assertThat(e.getValue() != null ^ e.getValueFrom() != null).as("%s: env %s has a value or a source", p.owner(), e.getName()).isTrue();
                }
            }
        }
    }

    private static void labels(String what, Map<String, String> labels) {
        assertThat(labels).as("%s: labels", what).isNotEmpty();
        labels.forEach((k, v) -> {
            assertThat(v).as("%s: label %s", what, k).matches(LABEL_VALUE).hasSizeLessThanOrEqualTo(63);
            String name = k.contains("/") ? k.substring(k.indexOf('/') + 1) : k;
            assertThat(name).as("%s: label key %s", what, k).matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]").hasSizeLessThanOrEqualTo(63);
        });
    }

    private static void resources(String what, ResourceRequirements r) {
        assertThat(r).as("%s: resources", what).isNotNull();
        assertThat(r.getRequests()).as("%s: requests", what).containsKeys("cpu", "memory");
        assertThat(r.getLimits()).as("%s: limits", what).containsKeys("cpu", "memory");
        for (String k : List.of("cpu", "memory")) {
            assertThat(Quantity.getAmountInBytes(r.getRequests().get(k)))
                    .as("%s: %s request <= limit", what, k).isLessThanOrEqualTo(Quantity.getAmountInBytes(r.getLimits().get(k)));
        }
    }

    @Test
    void workloads_selectTheirOwnPods_andProbesAndMountsNameWhatThePodHas() {
        for (Doc d : docs) {
            LabelSelector selector = d.object() instanceof Deployment dep ? dep.getSpec().getSelector()
                    : d.object() instanceof StatefulSet ss ? ss.getSpec().getSelector() : null;
            if (selector == null) {
                continue;
            }
            Pods own = pods.stream().filter(p -> p.owner().equals(d.id())).findFirst().orElseThrow();
            assertThat(selector.getMatchLabels()).as("%s: selector", d.id()).isNotEmpty();
            assertThat(own.labels()).as("%s: the pod template carries the selector's labels", d.id())
                    .containsAllEntriesOf(selector.getMatchLabels());
            // no other workload's pods match it
            assertThat(pods.stream().filter(p -> !p.owner().equals(d.id()) && matches(selector.getMatchLabels(), p.labels())))
                    .as("%s: selects only its own pods", d.id()).isEmpty();
            if (d.object() instanceof StatefulSet ss) {
                assertThat(find("Service", ss.getSpec().getServiceName())).as("%s: serviceName", d.id()).isNotNull();
            }
        }
        for (Pods p : pods) {
            Map<String, Volume> volumes = p.template().getSpec().getVolumes() == null ? Map.of()
                    : p.template().getSpec().getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
            Set<String> claims = new TreeSet<>();
            docs.stream().filter(d -> d.id().equals(p.owner()) && d.object() instanceof StatefulSet)
                    .forEach(d -> ((StatefulSet) d.object()).getSpec().getVolumeClaimTemplates().forEach(c -> claims.add(c.getMetadata().getName())));
            for (Container c : p.allContainers()) {
                Set<String> ports = c.getPorts() == null ? Set.of()
                        : c.getPorts().stream().map(ContainerPort::getName).filter(Objects::nonNull).collect(Collectors.toSet());
                Set<Integer> numbers = c.getPorts() == null ? Set.of()
                        : c.getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet());
                for (Probe probe : Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()).filter(Objects::nonNull).toList()) {
                    if (probe.getHttpGet() != null) {
                        IntOrString port = probe.getHttpGet().getPort();
                        assertThat(port.getStrVal() != null ? ports.contains(port.getStrVal()) : numbers.contains(port.getIntVal()))
                                .as("%s/%s: probe port %s is one of the container's ports", p.owner(), c.getName(), port).isTrue();
                        assertThat(probe.getHttpGet().getPath()).as("%s: probe path", p.owner()).startsWith("/actuator/health/");
                    } else {
                        assertThat(probe.getExec()).as("%s/%s: a probe with an action", p.owner(), c.getName()).isNotNull();
                    }
                }
                for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
                    assertThat(volumes.containsKey(m.getName()) || claims.contains(m.getName()))
                            .as("%s/%s: volume %s is declared", p.owner(), c.getName(), m.getName()).isTrue();
                }
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        var ref = e.getValueFrom().getSecretKeyRef();
                        assertThat(ref.getKey()).as("%s: %s key", p.owner(), e.getName()).isNotBlank();
                        exists("Secret", ref.getName(), p.owner() + " env " + e.getName());
                        Secret s = (Secret) find("Secret", ref.getName());
                        if (s != null) {
                            assertThat(s.getStringData() != null && s.getStringData().containsKey(ref.getKey())
                                    || s.getData() != null && s.getData().containsKey(ref.getKey()))
                                    .as("%s: Secret %s has key %s", p.owner(), ref.getName(), ref.getKey()).isTrue();
                        }
                    }
                }
            }
            for (Volume v : volumes.values()) {
                if (v.getSecret() != null) {
                    exists("Secret", v.getSecret().getSecretName(), p.owner() + " volume " + v.getName());
                    if (v.getSecret().getDefaultMode() != null) {
                        assertThat(v.getSecret().getDefaultMode()).as("%s: defaultMode is a file mode", p.owner()).isBetween(0, 0777);
                    }
                }
                if (v.getConfigMap() != null) {
                    exists("ConfigMap", v.getConfigMap().getName(), p.owner() + " volume " + v.getName());
                }
            }
            if (p.template().getSpec().getServiceAccountName() != null) {
                assertThat(find("ServiceAccount", p.template().getSpec().getServiceAccountName())).as("%s: service account", p.owner()).isNotNull();
            }
        }
    }

    @Test
    void services_selectPods_andTheirTargetPortsExist_headlessWhereDiscovered() {
        for (Doc d : docs) {
            if (!(d.object() instanceof Service s)) {
                continue;
            }
            Map<String, String> selector = s.getSpec().getSelector();
            assertThat(selector).as("%s: selector", d.id()).isNotEmpty();
            List<Pods> selected = pods.stream().filter(p -> matches(selector, p.labels())).toList();
            assertThat(selected).as("%s selects a workload's pods", d.id()).hasSize(1);
            Set<String> names = new TreeSet<>();
            for (ServicePort port : s.getSpec().getPorts()) {
                assertThat(port.getPort()).isBetween(1, 65535);
                assertThat(names.add(port.getName())).as("%s: port name %s once", d.id(), port.getName()).isTrue();
                IntOrString target = port.getTargetPort();
                assertThat(target).as("%s: targetPort", d.id()).isNotNull();
                assertThat(target.getStrVal() != null ? selected.get(0).portNames().contains(target.getStrVal())
                        : selected.get(0).template().getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                        .anyMatch(cp -> cp.getContainerPort().equals(target.getIntVal())))
                        .as("%s: targetPort %s is a port of %s", d.id(), target, selected.get(0).owner()).isTrue();
            }
        }
        // the names the gateway and tls-client resolve (testbed.kernel-discovery.dns, testbed.tls-client.discovery-dns)
        for (String headless : List.of("kernel-sim-headless", "tls-client-headless")) {
            Service s = (Service) find("Service", headless);
            assertThat(s).as(headless).isNotNull();
            assertThat(s.getSpec().getClusterIP()).as("%s is headless: one DNS record per ready pod", headless).isEqualTo("None");
            assertThat(s.getSpec().getPublishNotReadyAddresses()).as("%s: ready pods only", headless).isFalse();
        }
        Container gateway = container("Deployment/gateway", "gateway");
        assertThat(env(gateway, "TESTBED_KERNELDISCOVERY_DNS")).isEqualTo("kernel-sim-headless");
        assertThat(env(gateway, "TESTBED_TLSCLIENT_DISCOVERYDNS")).isEqualTo("tls-client-headless");
        assertThat(env(container("Deployment/tls-client", "tls-client"), "TESTBED_KERNELDISCOVERY_DNS")).isEqualTo("kernel-sim-headless");
        // the names the docker profiles use for the git server and tls-client are Services
        assertThat(find("Service", "git-http-server")).isNotNull();
        assertThat(find("Service", "tls-client")).isNotNull();
        assertThat(find("Service", "postgres")).isNotNull();
    }

    @Test
    void theServiceMonitor_selectsTheMetricsServices_onPortsTheyHave() {
        ServiceMonitor sm = (ServiceMonitor) find("ServiceMonitor", "tls-kernel-testbed");
        List<Service> selected = docs.stream().map(Doc::object).filter(o -> o instanceof Service).map(o -> (Service) o)
                .filter(s -> matches(sm.getSpec().getSelector().getMatchLabels(), s.getMetadata().getLabels())).toList();
        assertThat(selected).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("gateway", "kernel-sim-headless", "tls-client-headless", "git-http-server");
        Set<String> endpointPorts = sm.getSpec().getEndpoints().stream().map(Endpoint::getPort).collect(Collectors.toSet());
        for (Service s : selected) {
            assertThat(s.getSpec().getPorts().stream().map(ServicePort::getName).filter(endpointPorts::contains).count())
                    .as("%s: exactly one scraped port", s.getMetadata().getName()).isEqualTo(1);
        }
        // the pods' annotations (the default) name the same ports
        for (Pods p : pods) {
            Map<String, String> a = p.template().getMetadata().getAnnotations();
            if (a != null && "true".equals(a.get("prometheus.io/scrape"))) {
                int port = Integer.parseInt(a.get("prometheus.io/port"));
                assertThat(p.template().getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                        .filter(cp -> cp.getContainerPort() == port).map(ContainerPort::getName).findFirst())
                        .as("%s: the scrape annotation's port", p.owner()).hasValueSatisfying(n -> assertThat(endpointPorts).contains(n));
            }
        }
    }

    @Test
    void rbac_bindsTheJobsAccount_toARoleThatCanDoWhatItsScriptDoes() {
        RoleBinding rb = (RoleBinding) find("RoleBinding", "pki-init");
        Role role = (Role) find("Role", rb.getRoleRef().getName());
        assertThat(role).as("the bound Role exists").isNotNull();
        assertThat(rb.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(find("ServiceAccount", s.getName())).isNotNull();
            assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
        });
        Job job = (Job) find("Job", "pki-init");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isIn("OnFailure", "Never");
        String script = String.join("\n", job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
        // what the Job makes is what the other objects expect from it
        assertThat(script).contains("secret generic git-http-server-pki").contains("configmap testbed-ca");
        for (String f : List.of("ca.crt", "ca.key", "server.crt", "server.key")) {
            assertThat(script).contains("/pki/" + f);
        }
        assertThat(allows(role, "secrets", "git-http-server-pki", "get")).isTrue();
        assertThat(allows(role, "secrets", "git-http-server-pki", "create")).isTrue();
        assertThat(allows(role, "configmaps", "testbed-ca", "create")).isTrue();
        assertThat(allows(role, "configmaps", "testbed-ca", "patch")).isTrue();
        assertThat(allows(role, "secrets", "postgres", "get")).as("no other Secret readable").isFalse();
        // the generator runs the git server's PkiTool with the names its certificate needs: those the others connect to
        String generate = String.join(" ", job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getCommand());
        assertThat(generate).contains("io.testbed.git.server.pki.PkiTool").contains("git.testbed,localhost,git-http-server");
    }

    private static boolean allows(Role role, String resource, String name, String verb) {
        return role.getRules().stream().anyMatch(r -> r.getResources().contains(resource) && r.getVerbs().contains(verb)
                && (r.getResourceNames() == null || r.getResourceNames().isEmpty() || r.getResourceNames().contains(name)));
    }

    // ---------------------------------------------------------------- network policies

    @Test
    void networkPolicies_selectRealPods_andAllowExactlyTheCallsTheCodeMakes() {
        List<NetworkPolicy> policies = docs.stream().map(Doc::object).filter(o -> o instanceof NetworkPolicy).map(o -> (NetworkPolicy) o).toList();
        for (NetworkPolicy np : policies) {
            String what = "NetworkPolicy/" + np.getMetadata().getName();
            assertThat(pods.stream().filter(p -> matches(np.getSpec().getPodSelector().getMatchLabels(), p.labels())))
                    .as("%s selects real pods", what).isNotEmpty();
            for (NetworkPolicyIngressRule rule : np.getSpec().getIngress() == null ? List.<NetworkPolicyIngressRule>of() : np.getSpec().getIngress()) {
                for (NetworkPolicyPeer peer : rule.getFrom() == null ? List.<NetworkPolicyPeer>of() : rule.getFrom()) {
                    if (peer.getNamespaceSelector() == null) {
                        assertThat(pods.stream().filter(p -> matches(peer.getPodSelector().getMatchLabels(), p.labels())))
                                .as("%s: a from-selector matches real pods", what).isNotEmpty();
                    }
                }
                for (NetworkPolicyPort port : rule.getPorts() == null ? List.<NetworkPolicyPort>of() : rule.getPorts()) {
                    pods.stream().filter(p -> matches(np.getSpec().getPodSelector().getMatchLabels(), p.labels())).forEach(p ->
                            assertThat(p.portNames()).as("%s: port %s is a port of %s", what, port.getPort(), p.owner())
                                    .contains(port.getPort().getStrVal()));
                }
            }
        }
        // every testbed pod is under a default deny, so what is allowed below is all that is allowed
        NetworkPolicy deny = policies.stream().filter(np -> np.getSpec().getIngress() == null || np.getSpec().getIngress().isEmpty())
                .findFirst().orElseThrow();
        assertThat(pods).allSatisfy(p -> assertThat(matches(deny.getSpec().getPodSelector().getMatchLabels(), p.labels()))
                .as("%s under the default deny", p.owner()).isTrue());

        // the call graph, from the code: gateway -> kernel-sim gRPC (MachineAdminClient), tls-client HTTP (TlsClient),
        // git HTTPS (GitServerClient: GET /api/repos), postgres; tls-client -> kernel-sim gRPC (KernelTargets);
        // kernel-sim -> git HTTPS (the machines' upstreams); Prometheus -> every metrics port
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                "kernel-sim:grpc", Set.of("gateway", "tls-client"),
                "kernel-sim:http", Set.of("prometheus"),
                "tls-client:http", Set.of("gateway", "prometheus"),
                "git-http-server:https", Set.of("kernel-sim", "gateway"),
                "git-http-server:management", Set.of("prometheus"),
                "gateway:http", Set.of("anyone"),
                "postgres:postgres", Set.of("gateway")));
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (NetworkPolicy np : policies) {
            for (Pods target : pods.stream().filter(p -> matches(np.getSpec().getPodSelector().getMatchLabels(), p.labels())).toList()) {
                String workload = target.labels().get("app.kubernetes.io/name");
                for (NetworkPolicyIngressRule rule : np.getSpec().getIngress() == null ? List.<NetworkPolicyIngressRule>of() : np.getSpec().getIngress()) {
                    Set<String> from = new TreeSet<>();
                    if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                        from.add("anyone");
                    } else {
                        for (NetworkPolicyPeer peer : rule.getFrom()) {
                            if (peer.getNamespaceSelector() != null) {
                                from.add(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
                            } else {
                                pods.stream().filter(p -> matches(peer.getPodSelector().getMatchLabels(), p.labels()))
                                        .forEach(p -> from.add(p.labels().get("app.kubernetes.io/name")));
                            }
                        }
                    }
                    for (NetworkPolicyPort port : rule.getPorts()) {
                        allowed.computeIfAbsent(workload + ":" + port.getPort().getStrVal(), k -> new TreeSet<>()).addAll(from);
                    }
                }
            }
        }
        assertThat(allowed).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- the render against the chart

    @Test
    void theRender_followsTheChartsTemplatesAndValues() throws IOException {
        Map<String, Object> values = DeploymentFilesIT.yaml(CHART.resolve("values.yaml"));
        Map<String, Object> kernelSim = DeploymentFilesIT.map(values.get("kernelSim"), "kernelSim");
        Map<String, Object> tlsClient = DeploymentFilesIT.map(values.get("tlsClient"), "tlsClient");
        Map<String, Object> gatewayValues = DeploymentFilesIT.map(values.get("gateway"), "gateway");
        Map<String, Object> image = DeploymentFilesIT.map(values.get("image"), "image");

        // every object names its template, and each template's kinds and fixed names are the render's, in order
        List<Path> templates;
        try (Stream<Path> s = Files.list(CHART.resolve("templates"))) {
            templates = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(docs).allSatisfy(d -> assertThat(d.template()).as("%s names its template", d.id()).isNotNull());
        Pattern kind = Pattern.compile("^kind: (\\S+)", Pattern.MULTILINE);
        Pattern name = Pattern.compile("^kind: (\\S+)\\nmetadata:\\n(?:  #.*\\n)*  name: ([-a-z0-9]+)\\s*$", Pattern.MULTILINE);
        for (Path t : templates) {
            String text = Files.readString(t);
            String file = t.getFileName().toString();
            List<String> renderedKinds = docs.stream().filter(d -> file.equals(d.template())).map(d -> d.object().getKind()).toList();
            List<String> templateKinds = kind.matcher(text).results().map(r -> r.group(1)).toList();
            if (text.contains("range $path")) {
                assertThat(renderedKinds).as("%s: one ConfigMap per dashboard, then the datasource", file)
                        .hasSize(dashboards().size() + 1).containsOnly("ConfigMap");
                continue;
            }
            assertThat(renderedKinds).as("%s: the kinds it renders", file).isEqualTo(templateKinds);
            List<String> templateIds = name.matcher(text).results().map(r -> r.group(1) + "/" + r.group(2)).toList();
            assertThat(docs.stream().filter(d -> file.equals(d.template())).map(Doc::id).toList())
                    .as("%s: the objects it renders", file).containsAll(templateIds);
        }

        // values
        assertThat(((Deployment) find("Deployment", "kernel-sim")).getSpec().getReplicas()).isEqualTo(kernelSim.get("replicas"));
        assertThat(((Deployment) find("Deployment", "tls-client")).getSpec().getReplicas()).isEqualTo(tlsClient.get("replicas"));
        assertThat(((Deployment) find("Deployment", "gateway")).getSpec().getReplicas()).isEqualTo(gatewayValues.get("replicas"));
        assertThat(resourcesOf(container("Deployment/kernel-sim", "kernel-sim"))).isEqualTo(normalise(kernelSim.get("resources")));
        assertThat(resourcesOf(container("Deployment/tls-client", "tls-client"))).isEqualTo(normalise(tlsClient.get("resources")));
        assertThat(resourcesOf(container("Deployment/gateway", "gateway"))).isEqualTo(normalise(gatewayValues.get("resources")));
        assertThat(resourcesOf(container("Deployment/git-http-server", "git-http-server")))
                .isEqualTo(normalise(DeploymentFilesIT.map(values.get("gitServer"), "gitServer").get("resources")));
        assertThat(env(container("Deployment/gateway", "gateway"), "TESTBED_EXPERIMENTS_PARALLELRUNS")).isEqualTo(String.valueOf(gatewayValues.get("parallelRuns")));
        assertThat(env(container("Deployment/gateway", "gateway"), "TESTBED_EXPERIMENTS_MAXRUNS")).isEqualTo(String.valueOf(gatewayValues.get("maxRuns")));
        assertThat(env(container("Deployment/kernel-sim", "kernel-sim"), "TESTBED_KERNEL_MAXMACHINES")).isEqualTo(String.valueOf(kernelSim.get("maxMachines")));
        assertThat(env(container("Deployment/tls-client", "tls-client"), "TESTBED_HOSTKERNEL_ENABLED")).isEqualTo(String.valueOf(tlsClient.get("hostKernel")));
        for (Map.Entry<String, String> e : Map.of("Deployment/gateway", "gateway-service", "Deployment/kernel-sim", "kernel-sim-service",
                "Deployment/tls-client", "tls-client-service", "Deployment/git-http-server", "git-http-server").entrySet()) {
            Pods p = pods.stream().filter(x -> x.owner().equals(e.getKey())).findFirst().orElseThrow();
            assertThat(p.template().getSpec().getContainers().get(0).getImage()).as(e.getKey())
                    .isEqualTo(image.get("registry") + "/" + e.getValue() + ":" + image.get("tag"));
            // javaOpts, then the service's extraJavaOpts (the gateway's: C1 only)
            Object extra = e.getKey().equals("Deployment/gateway") ? gatewayValues.get("extraJavaOpts") : null;
            assertThat(env(p.template().getSpec().getContainers().get(0), "JAVA_OPTS")).as(e.getKey())
                    .isEqualTo(extra == null ? values.get("javaOpts") : values.get("javaOpts") + " " + extra);
            assertThat(env(p.template().getSpec().getContainers().get(0), "SPRING_PROFILES_ACTIVE")).startsWith("docker");
            assertThat(env(p.template().getSpec().getContainers().get(0), "TESTBED_SERVER_ADDRESS")).isEqualTo("0.0.0.0");
        }

        // the dashboards: the chart's copies are grafana/dashboards, and so is every ConfigMap's data
        Map<String, String> original = dashboards();
        assertThat(original).isNotEmpty();
        for (Map.Entry<String, String> e : original.entrySet()) {
            assertThat(Files.readString(CHART.resolve("dashboards").resolve(e.getKey()))).as("chart copy of %s", e.getKey()).isEqualTo(e.getValue());
            ConfigMap cm = (ConfigMap) find("ConfigMap", "grafana-dashboard-" + e.getKey().replace(".json", ""));
            assertThat(cm).as("ConfigMap of %s", e.getKey()).isNotNull();
            assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(cm.getData().get(e.getKey())).as("%s in its ConfigMap", e.getKey()).isEqualTo(e.getValue().stripTrailing());
        }
    }

    private static Map<String, String> dashboards() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(ROOT.resolve("grafana/dashboards"))) {
            for (Path p : s.filter(x -> x.toString().endsWith(".json")).toList()) {
                m.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return m;
    }

    private static Map<String, Map<String, String>> resourcesOf(Container c) {
        Map<String, Map<String, String>> m = new TreeMap<>();
        m.put("limits", new TreeMap<>(c.getResources().getLimits().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()))));
        m.put("requests", new TreeMap<>(c.getResources().getRequests().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()))));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> normalise(Object resources) {
        Map<String, Map<String, String>> m = new TreeMap<>();
        ((Map<String, Map<String, Object>>) resources).forEach((k, v) -> m.put(k, new TreeMap<>(v.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()))))));
        return m;
    }

    // ---------------------------------------------------------------- helpers

    private HasMetadata find(String kind, String name) {
        return docs.stream().map(Doc::object).filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst().orElse(null);
    }

    private void exists(String kind, String name, String who) {
        assertThat(find(kind, name) != null || MADE_ELSEWHERE.containsKey(kind + "/" + name))
                .as("%s refers to %s/%s: in the manifests, or made by %s", who, kind, name, MADE_ELSEWHERE.keySet()).isTrue();
    }

    private Container container(String owner, String name) {
        return pods.stream().filter(p -> p.owner().equals(owner)).flatMap(p -> p.allContainers().stream())
                .filter(c -> c.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(owner + " has no container " + name));
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name));
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }
}
