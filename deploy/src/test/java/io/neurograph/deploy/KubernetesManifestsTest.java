package io.neurograph.deploy;

import static io.neurograph.deploy.Kustomize.find;
import static io.neurograph.deploy.Kustomize.kind;
import static io.neurograph.deploy.Kustomize.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the dev and prod overlays (with {@link Kustomize}) and checks them against the services: every
 * variable a service needs is set and every one set is a property it has, references point at existing keys,
 * ports and images agree, no secret sits in a ConfigMap, and prod has the redundancy it promises.
 */
class KubernetesManifestsTest {

  private static final String SECRET_NAME = "(?i).*(password|passwd|secret|token|credential|private.?key|api.?key).*";
  private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z ]+-----");
  /** The dead-letter topics the services write (token-service for its commands, graph-service for its two inputs). */
  private static final Topics TOPICS = Topics.defaults();

  private static List<Map<String, Object>> render(String overlay) {
    return Kustomize.build(Repo.path("deploy/k8s/overlays/" + overlay));
  }

  /** Every topic of contracts' Topics, and the dead-letter topics of the topics a service consumes. */
  static Map<String, Integer> expectedTopics(int partitions) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String topic : List.of(TOPICS.tokenCommands(), TOPICS.tokenEvents(), TOPICS.graphCommands(),
        TOPICS.graphEvents(), TOPICS.gatewayReplies())) {
      topics.put(topic, partitions);
    }
    for (String consumed : List.of(TOPICS.tokenCommands(), TOPICS.graphCommands(), TOPICS.tokenEvents())) {
      topics.put(Topics.deadLetter(consumed), partitions);
    }
    // One partition keeps operator messages in one global order (the gateway creates it so).
    topics.put(TOPICS.systemEvents(), 1);
    return topics;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void rendersWellFormedResourcesInTheOverlaysNamespace(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    String namespace = Repo.str(Repo.at(Repo.yamlDocument(Repo.path("deploy/k8s/overlays/" + overlay + "/kustomization.yaml")), "namespace"));
    assertThat(find(resources, "Namespace", namespace)).as("Namespace %s", namespace).isNotNull();
    for (Map<String, Object> resource : resources) {
      assertThat(resource.get("apiVersion")).as("apiVersion of %s", name(resource)).isNotNull();
      assertThat(name(resource)).as("name of a %s", kind(resource)).isNotBlank();
      if (!kind(resource).equals("Namespace")) {
        assertThat(Repo.str(Repo.at(resource, "metadata", "namespace"))).as("%s/%s", kind(resource), name(resource))
            .isEqualTo(namespace);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyServiceGetsTheEnvironmentItReadsFromReferencesThatExist(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    Map<String, Set<String>> external = overlay.equals("prod") ? externalSecrets() : Map.of();
    List<String> problems = new ArrayList<>();
    for (String service : Repo.SERVICES) {
      Map<String, Object> container = container(resources, service);
      Map<String, String> env = new LinkedHashMap<>();
      for (Map<String, Object> variable : Repo.list(container, "env")) {
        String name = Repo.str(variable.get("name"));
        assertThat(env).as("%s sets %s once", service, name).doesNotContainKey(name);
        env.put(name, resolve(resources, external, variable, problems, overlay + " " + service));
        if (name.matches(SECRET_NAME)) {
          assertThat(Repo.<Object>at(variable, "valueFrom", "secretKeyRef")).as("%s %s comes from a Secret", service, name)
              .isNotNull();
        }
      }
      problems.addAll(ServiceConfig.load(service).problems(env, overlay + " Deployment " + service));
    }
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void portsProbesServicesAndImagesAgree(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    for (String service : Repo.SERVICES) {
      Map<String, Object> deployment = find(resources, "Deployment", service);
      Map<String, Object> container = container(resources, service);
      ServiceConfig config = ServiceConfig.load(service);
      Map<String, String> env = literalEnv(resources, container);
      int port = Integer.parseInt(config.effective("server.port", env));
      List<Map<String, Object>> ports = Repo.list(container, "ports");
      assertThat(ports).extracting(p -> p.get("containerPort")).as("%s containerPort = server.port", service)
          .containsExactly(port);

      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        Map<String, Object> get = Repo.at(container, probe, "httpGet");
        assertThat(get).as("%s %s", service, probe).isNotNull();
        assertThat(portNumber(ports, get.get("port"))).as("%s %s port", service, probe).isEqualTo(port);
        assertThat(Repo.str(get.get("path")))
            .isEqualTo(probe.equals("readinessProbe") ? "/actuator/health/readiness" : "/actuator/health/liveness");
      }

      Map<String, Object> svc = find(resources, "Service", service);
      assertThat(svc).as("Service %s", service).isNotNull();
      assertThat(Repo.<Map<String, Object>>at(deployment, "spec", "template", "metadata", "labels"))
          .containsAllEntriesOf(Repo.at(svc, "spec", "selector"));
      for (Map<String, Object> servicePort : Repo.list(svc, "spec", "ports")) {
        assertThat(portNumber(ports, servicePort.get("targetPort"))).as("%s Service targetPort", service).isEqualTo(port);
      }

      String image = Repo.str(container.get("image"));
      assertThat(image).as("image of %s", service).matches("([a-z0-9.-]+(:\\d+)?/)*neurograph/" + service + ":[A-Za-z0-9._-]+")
          .doesNotEndWith(":latest");
      assertThat(Repo.path("deploy/docker/" + service + "/Dockerfile")).isRegularFile();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void podsRunAsTheImagesUserOnAReadOnlyRootWithLimitsAndAGracefulRollout(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    for (String service : Repo.SERVICES) {
      Map<String, Object> deployment = find(resources, "Deployment", service);
      Map<String, Object> pod = Repo.at(deployment, "spec", "template", "spec");
      Map<String, Object> container = container(resources, service);
      String imageUser = Dockerfile.parse(Repo.path("deploy/docker/" + service + "/Dockerfile")).all("USER").get(0).arguments();
      assertThat(Repo.<Object>at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
      assertThat(Repo.<Object>at(pod, "securityContext", "runAsUser") + ":" + Repo.at(pod, "securityContext", "runAsGroup"))
          .as("%s runs as the image's user", service).isEqualTo(imageUser);
      assertThat(Repo.<Object>at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
      assertThat(Repo.<Object>at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
      Map<String, Object> tmpMount = Repo.list(container, "volumeMounts").stream()
          .filter(m -> "/tmp".equals(m.get("mountPath"))).findFirst().orElseThrow();
      assertThat(Repo.list(pod, "volumes")).filteredOn(v -> v.get("name").equals(tmpMount.get("name")))
          .singleElement().satisfies(v -> assertThat(v).containsKey("emptyDir"));
      for (String bound : List.of("requests", "limits")) {
        assertThat(Repo.<Map<String, Object>>at(container, "resources", bound)).as("%s %s", service, bound)
            .containsKeys("cpu", "memory");
      }
      assertThat(Repo.<Object>at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);
      Map<String, Object> pdb = resources.stream().filter(r -> kind(r).equals("PodDisruptionBudget"))
          .filter(r -> Repo.<Map<String, Object>>at(deployment, "spec", "template", "metadata", "labels")
              .entrySet().containsAll(Repo.<Map<String, Object>>at(r, "spec", "selector", "matchLabels").entrySet()))
          .findFirst().orElse(null);
      assertThat(pdb).as("a PodDisruptionBudget for %s", service).isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void noSecretValueInAnyConfigMap(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    Set<String> secretValues = resources.stream().filter(r -> kind(r).equals("Secret"))
        .flatMap(r -> Repo.<Map<String, Object>>at(r, "data").values().stream())
        .map(v -> new String(Base64.getDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8))
        .collect(Collectors.toSet());
    for (Map<String, Object> configMap : resources.stream().filter(r -> kind(r).equals("ConfigMap")).toList()) {
      Map<String, Object> data = Repo.at(configMap, "data");
      data.forEach((key, value) -> {
        String text = String.valueOf(value);
        assertThat(key).as("ConfigMap %s key", name(configMap)).doesNotMatch(SECRET_NAME);
        assertThat(PEM.matcher(text).find()).as("PEM in ConfigMap %s %s", name(configMap), key).isFalse();
        assertThat(text).as("ConfigMap %s %s: credentials in a URL", name(configMap), key).doesNotMatch(".*://[^/@\\s]+:[^/@\\s]+@.*");
        assertThat(secretValues).as("ConfigMap %s %s repeats a Secret value", name(configMap), key).doesNotContain(text);
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void kafkaIsStrimziKraftWithEveryTopicAtTheServicesPartitionsAndReplication(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    Map<String, Object> config = Repo.at(find(resources, "ConfigMap", "neurograph-config"), "data");
    Map<String, Object> kafka = resources.stream().filter(r -> kind(r).equals("Kafka")).findFirst().orElseThrow();
    assertThat(Repo.<Map<String, Object>>at(kafka, "metadata", "annotations"))
        .containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled");
    Map<String, Object> listener = Repo.list(kafka, "spec", "kafka", "listeners").stream()
        .filter(l -> Boolean.FALSE.equals(l.get("tls"))).findFirst().orElseThrow();
    assertThat(config.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo(name(kafka) + "-kafka-bootstrap:" + listener.get("port"));

    List<Map<String, Object>> pools = resources.stream().filter(r -> kind(r).equals("KafkaNodePool")).toList();
    assertThat(pools).allSatisfy(pool -> assertThat(Repo.<Object>at(pool, "metadata", "labels", "strimzi.io/cluster"))
        .isEqualTo(name(kafka)));
    int brokers = pools.stream().filter(pool -> Repo.<List<Object>>at(pool, "spec", "roles").contains("broker"))
        .mapToInt(pool -> Repo.<Integer>at(pool, "spec", "replicas")).sum();
    int controllers = pools.stream().filter(pool -> Repo.<List<Object>>at(pool, "spec", "roles").contains("controller"))
        .mapToInt(pool -> Repo.<Integer>at(pool, "spec", "replicas")).sum();
    assertThat(controllers % 2).as("an odd controller quorum").isEqualTo(1);

    int partitions = Integer.parseInt(String.valueOf(config.get("NEUROGRAPH_KAFKA_PARTITIONS")));
    int replication = Integer.parseInt(String.valueOf(config.get("NEUROGRAPH_KAFKA_REPLICATION_FACTOR")));
    assertThat(replication).as("replication factor within the brokers").isLessThanOrEqualTo(brokers);
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (Map<String, Object> topic : resources.stream().filter(r -> kind(r).equals("KafkaTopic")).toList()) {
      assertThat(Repo.<Object>at(topic, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(name(kafka));
      topics.put(Repo.str(Repo.at(topic, "spec", "topicName")), Repo.at(topic, "spec", "partitions"));
      assertThat(Repo.<Object>at(topic, "spec", "replicas")).as("replicas of %s", name(topic)).isEqualTo(replication);
      int minInSync = Repo.at(topic, "spec", "config", "min.insync.replicas");
      assertThat(minInSync).as("min.insync.replicas of %s", name(topic))
          .isEqualTo(replication == 1 ? 1 : replication - 1);
    }
    assertThat(topics).isEqualTo(expectedTopics(partitions));
  }

  @Test
  void prodIsRedundantAndExpectsItsSecretsFromOutside() {
    List<Map<String, Object>> resources = render("prod");
    assertThat(resources).noneMatch(r -> kind(r).equals("Secret"));
    assertThat(Repo.<Integer>at(find(resources, "Deployment", "gateway"), "spec", "replicas")).isGreaterThanOrEqualTo(2);
    for (String service : Repo.SERVICES) {
      assertThat(Repo.<Integer>at(find(resources, "Deployment", service), "spec", "replicas")).as(service).isGreaterThanOrEqualTo(2);
    }
    Map<String, Object> hpa = find(resources, "HorizontalPodAutoscaler", "gateway");
    assertThat(Repo.<Object>at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo("gateway");
    assertThat(Repo.<Integer>at(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
    assertThat(Repo.<Integer>at(hpa, "spec", "maxReplicas")).isGreaterThan(Repo.<Integer>at(hpa, "spec", "minReplicas"));
    Map<String, Object> config = Repo.at(find(resources, "ConfigMap", "neurograph-config"), "data");
    assertThat(config).containsEntry("NEUROGRAPH_KAFKA_REPLICATION_FACTOR", "3").containsEntry("NEUROGRAPH_AUTH_MODE", "jwt");
    assertThat(String.valueOf(config.get("NEUROGRAPH_GATEWAY_ALLOWED_ORIGINS"))).as("allowed origins in prod").isNotBlank();
    assertThat(resources.stream().filter(r -> kind(r).equals("KafkaTopic")))
        .allSatisfy(topic -> assertThat(Repo.<Object>at(topic, "spec", "replicas")).isEqualTo(3));
    // Every external Secret key is used by something, so the list stays the truth.
    Set<String> referenced = new TreeSet<>();
    for (String service : Repo.SERVICES) {
      for (Map<String, Object> variable : Repo.list(container(resources, service), "env")) {
        Map<String, Object> ref = Repo.at(variable, "valueFrom", "secretKeyRef");
        if (ref != null) {
          referenced.add(ref.get("name") + "/" + ref.get("key"));
        }
      }
    }
    for (Map<String, Object> ingress : resources.stream().filter(r -> kind(r).equals("Ingress")).toList()) {
      for (Map<String, Object> tls : Repo.list(ingress, "spec", "tls")) {
        referenced.add(tls.get("secretName") + "/tls.crt");
        referenced.add(tls.get("secretName") + "/tls.key");
      }
    }
    Set<String> listed = new TreeSet<>();
    externalSecrets().forEach((secret, keys) -> keys.forEach(key -> listed.add(secret + "/" + key)));
    assertThat(referenced).isEqualTo(listed);
  }

  @Test
  void devGeneratesOnlyObviousDevelopmentSecrets() {
    List<Map<String, Object>> resources = render("dev");
    List<Map<String, Object>> secrets = resources.stream().filter(r -> kind(r).equals("Secret")).toList();
    assertThat(secrets).isNotEmpty();
    for (Map<String, Object> secret : secrets) {
      Repo.<Map<String, Object>>at(secret, "data").forEach((key, value) -> {
        String text = new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8);
        if (key.matches(SECRET_NAME)) {
          assertThat(text).as("dev Secret %s %s", name(secret), key).startsWith("dev-only-");
        }
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theIngressCarriesWebSocketsForLongerThanTheGatewaysOwnIdleTimeout(String overlay) {
    List<Map<String, Object>> resources = render(overlay);
    Map<String, Object> ingress = find(resources, "Ingress", "gateway");
    Map<String, Object> annotations = Repo.at(ingress, "metadata", "annotations");
    for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
      assertThat(Integer.parseInt(String.valueOf(annotations.get("nginx.ingress.kubernetes.io/" + timeout))))
          .as(timeout).isGreaterThanOrEqualTo(3600);
    }
    assertThat(annotations.keySet()).as("no session affinity: any gateway resumes any client")
        .noneMatch(key -> key.contains("affinity"));
    Map<String, Object> backend = Repo.at(Repo.list(Repo.list(ingress, "spec", "rules").get(0), "http", "paths").get(0),
        "backend", "service");
    Map<String, Object> service = find(resources, "Service", Repo.str(backend.get("name")));
    assertThat(Repo.list(service, "spec", "ports")).extracting(p -> p.get("name"))
        .contains(Repo.<Object>at(backend, "port", "name"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void networkPoliciesDenyByDefaultAndOpenOnlyWhatTheServicesUse(String overlay) {
    List<Map<String, Object>> policies = render(overlay).stream().filter(r -> kind(r).equals("NetworkPolicy")).toList();
    assertThat(policies).anySatisfy(p -> {
      assertThat(Repo.<Map<String, Object>>at(p, "spec", "podSelector")).isEmpty();
      assertThat(Repo.<List<Object>>at(p, "spec", "policyTypes")).containsExactly("Ingress");
      assertThat(Repo.<Object>at(p, "spec", "ingress")).isNull();
    });
    for (String service : Repo.SERVICES) {
      List<Map<String, Object>> egress = policies.stream().filter(p -> selects(p, service))
          .filter(p -> Repo.<List<Object>>at(p, "spec", "policyTypes").contains("Egress")).toList();
      assertThat(egress).as("%s has a deny-all egress policy", service)
          .anyMatch(p -> Repo.at(p, "spec", "egress") == null);
      Set<Object> ports = egress.stream().flatMap(p -> Repo.list(p, "spec", "egress").stream())
          .flatMap(rule -> Repo.list(rule, "ports").stream()).map(port -> port.get("port")).collect(Collectors.toSet());
      assertThat(ports).as("%s egress ports", service).containsExactlyInAnyOrder(53, 9092, 5432, 6379);
    }
    int gatewayPort = ServiceConfig.load("gateway").defaultPort();
    assertThat(policies).filteredOn(p -> selects(p, "gateway"))
        .flatMap(p -> Repo.list(p, "spec", "ingress"))
        .anySatisfy(rule -> {
          assertThat(Repo.list(rule, "ports")).extracting(port -> port.get("port")).contains(gatewayPort);
          assertThat(Repo.list(rule, "from")).anyMatch(from ->
              "ingress-nginx".equals(Repo.at(from, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")));
        });
  }

  // ---- helpers ----

  /** Whether a policy's pod selector selects a service's pods (matchLabels or an In expression on the name). */
  private static boolean selects(Map<String, Object> policy, String service) {
    Map<String, Object> selector = Repo.at(policy, "spec", "podSelector");
    if (selector.isEmpty()) {
      return true;
    }
    Map<String, Object> labels = Repo.at(selector, "matchLabels");
    if (labels != null && service.equals(labels.get("app.kubernetes.io/name"))) {
      return true;
    }
    return Repo.list(selector, "matchExpressions").stream().anyMatch(e -> "app.kubernetes.io/name".equals(e.get("key"))
        && "In".equals(e.get("operator")) && Repo.<List<Object>>at(e, "values").contains(service));
  }

  private static Map<String, Object> container(List<Map<String, Object>> resources, String service) {
    Map<String, Object> deployment = find(resources, "Deployment", service);
    assertThat(deployment).as("Deployment %s", service).isNotNull();
    return Repo.list(deployment, "spec", "template", "spec", "containers").stream()
        .filter(c -> service.equals(c.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no container named " + service));
  }

  /** A variable's value: literal, from a ConfigMap, "(secret)" from a Secret, "(field)" from the pod. */
  private static String resolve(List<Map<String, Object>> resources, Map<String, Set<String>> external,
      Map<String, Object> variable, List<String> problems, String where) {
    if (variable.containsKey("value")) {
      return Repo.str(variable.get("value"));
    }
    Map<String, Object> configRef = Repo.at(variable, "valueFrom", "configMapKeyRef");
    Map<String, Object> secretRef = Repo.at(variable, "valueFrom", "secretKeyRef");
    if (configRef != null) {
      Map<String, Object> configMap = find(resources, "ConfigMap", Repo.str(configRef.get("name")));
      Map<String, Object> data = configMap == null ? Map.of() : Repo.at(configMap, "data");
      if (!data.containsKey(Repo.str(configRef.get("key")))) {
        problems.add(where + ": " + variable.get("name") + " → missing ConfigMap key " + configRef);
        return null;
      }
      return Repo.str(data.get(Repo.str(configRef.get("key"))));
    }
    if (secretRef != null) {
      String secretName = Repo.str(secretRef.get("name"));
      String key = Repo.str(secretRef.get("key"));
      Map<String, Object> secret = find(resources, "Secret", secretName);
      boolean exists = secret != null ? Repo.<Map<String, Object>>at(secret, "data").containsKey(key)
          : external.getOrDefault(secretName, Set.of()).contains(key);
      if (!exists) {
        problems.add(where + ": " + variable.get("name") + " → missing Secret key " + secretRef);
      }
      return "(secret)";
    }
    if (Repo.at(variable, "valueFrom", "fieldRef") != null) {
      return "(field)";
    }
    problems.add(where + ": " + variable.get("name") + " has no value this test understands");
    return null;
  }

  private static Map<String, String> literalEnv(List<Map<String, Object>> resources, Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> variable : Repo.list(container, "env")) {
      env.put(Repo.str(variable.get("name")), resolve(resources, Map.of(), variable, new ArrayList<>(), ""));
    }
    return env;
  }

  private static int portNumber(List<Map<String, Object>> containerPorts, Object port) {
    if (port instanceof Integer number) {
      return number;
    }
    return containerPorts.stream().filter(p -> String.valueOf(port).equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort")).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port));
  }

  private static Map<String, Set<String>> externalSecrets() {
    Map<String, Set<String>> secrets = new LinkedHashMap<>();
    Repo.yamlDocument(Repo.path("deploy/k8s/overlays/prod/external-secrets.yaml"))
        .forEach((name, keys) -> secrets.put(name, new TreeSet<>(((List<?>) keys).stream().map(String::valueOf).toList())));
    return secrets;
  }
}
