package io.neurograph.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/compose: the containers, their environment, health checks, volumes and the load balancer. */
class ComposeTest {

  private static final Path DIR = Repo.path("deploy/compose");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?:(:-|:\\?)([^}]*))?}");
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|credential).*");

  private final Map<String, Object> compose = Repo.yamlDocument(DIR.resolve("compose.yaml"));
  private final Map<String, String> envExample = envExample();

  private Map<String, Map<String, Object>> services() {
    return Repo.at(compose, "services");
  }

  /** Services running one of our images, with the module they run. */
  private Map<String, String> platformServices() {
    Map<String, String> platform = new LinkedHashMap<>();
    services().forEach((name, service) -> {
      String image = interpolate(Repo.str(service.get("image")));
      for (String module : Repo.SERVICES) {
        if (image.startsWith("neurograph/" + module + ":")) {
          platform.put(name, module);
        }
      }
    });
    return platform;
  }

  @Test
  void everyContainerHasAHealthCheckAndAPinnedImage() {
    assertThat(services()).isNotEmpty();
    services().forEach((name, service) -> {
      List<Object> test = Repo.at(service, "healthcheck", "test");
      assertThat(test).as("healthcheck of %s", name).isNotEmpty().doesNotContain("NONE");
      String image = interpolate(Repo.str(service.get("image")));
      assertThat(image).as("image of %s", name).matches("[a-z0-9./-]+:[A-Za-z0-9._-]*\\d+\\.\\d+[A-Za-z0-9._-]*")
          .doesNotEndWith(":latest");
    });
  }

  @Test
  void everyServiceGetsTheEnvironmentItReadsAndWaitsForHealthyDependencies() {
    Map<String, String> platform = platformServices();
    assertThat(platform.values()).containsAll(Repo.SERVICES);
    List<String> problems = new ArrayList<>();
    platform.forEach((name, module) -> {
      Map<String, Object> service = services().get(name);
      Map<String, String> env = environment(service);
      problems.addAll(ServiceConfig.load(module).problems(env, "compose " + name));
      Map<String, Object> dependsOn = Repo.at(service, "depends_on");
      for (String infra : List.of("kafka", "redis")) {
        assertThat(Repo.<Object>at(dependsOn, infra, "condition")).as("%s waits for %s", name, infra).isEqualTo("service_healthy");
      }
      if (env.containsKey("SPRING_R2DBC_URL")) {
        assertThat(Repo.<Object>at(dependsOn, "postgres", "condition")).isEqualTo("service_healthy");
      }
      ServiceConfig config = ServiceConfig.load(module);
      int port = Integer.parseInt(config.effective("server.port", env));
      assertThat(String.join(" ", Repo.<List<String>>at(service, "healthcheck", "test")))
          .as("%s health check on its port's readiness group", name)
          .contains("/dev/tcp/127.0.0.1/" + port).contains("/actuator/health/readiness");
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void connectionSettingsPointAtTheComposeServices() {
    Map<String, String> token = environment(services().get(serviceRunning("token-service")));
    String bootstrap = token.get("SPRING_KAFKA_BOOTSTRAP_SERVERS");
    Map<String, String> kafka = environment(services().get("kafka"));
    assertThat(kafka.get("KAFKA_PROCESS_ROLES")).as("KRaft").contains("controller").contains("broker");
    assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("://" + bootstrap);
    Matcher url = Pattern.compile("r2dbcs?:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(token.get("SPRING_R2DBC_URL"));
    assertThat(url.matches()).isTrue();
    assertThat(services()).containsKey(url.group(1));
    assertThat(environment(services().get(url.group(1))).get("POSTGRES_DB")).isEqualTo(url.group(3));
    assertThat(services()).containsKey(token.get("SPRING_DATA_REDIS_HOST"));
  }

  @Test
  void secretsComeFromTheEnvFileAndNoneIsCommitted() {
    Set<String> used = new TreeSet<>();
    Matcher matcher = INTERPOLATION.matcher(Repo.read(DIR.resolve("compose.yaml")));
    while (matcher.find()) {
      used.add(matcher.group(1));
    }
    assertThat(envExample.keySet()).as(".env.example documents every variable compose.yaml uses").containsAll(used);
    services().forEach((name, service) -> {
      Map<String, Object> env = Repo.at(service, "environment");
      if (env != null) {
        env.forEach((key, value) -> {
          if (SECRET_NAME.matcher(key).matches()) {
            assertThat(Repo.str(value)).as("%s %s must come from .env, required", name, key).matches("\\$\\{[A-Z0-9_]+:\\?[^}]*}");
          }
        });
      }
    });
    envExample.forEach((key, value) -> {
      if (SECRET_NAME.matcher(key).matches()) {
        assertThat(value).as(".env.example %s", key).isEmpty();
      }
    });
    assertThat(Repo.read(DIR.resolve(".gitignore")).lines()).contains(".env");
  }

  @Test
  void dataLivesInNamedVolumesAndMountedFilesExist() {
    Map<String, Object> declared = Repo.at(compose, "volumes");
    Set<String> mounted = new TreeSet<>();
    services().forEach((name, service) -> {
      List<Object> volumes = Repo.at(service, "volumes");
      for (Object volume : volumes == null ? List.of() : volumes) {
        String source = String.valueOf(volume).split(":")[0];
        if (source.startsWith("./")) {
          assertThat(DIR.resolve(source)).as("%s mounts %s", name, source).isRegularFile();
        } else {
          assertThat(declared).as("%s: volume %s is named at the top level", name, source).containsKey(source);
          mounted.add(source);
        }
      }
    });
    assertThat(mounted).as("Kafka and PostgreSQL keep their data").hasSizeGreaterThanOrEqualTo(2);
    assertThat(declared.keySet()).isEqualTo(mounted);
  }

  @Test
  void twoGatewaysBehindALoadBalancerThatCarriesWebSockets() {
    List<String> gateways = platformServices().entrySet().stream().filter(e -> e.getValue().equals("gateway"))
        .map(Map.Entry::getKey).toList();
    assertThat(gateways).hasSize(2);
    assertThat(gateways.stream().map(g -> environment(services().get(g)).get("NEUROGRAPH_GATEWAY_INSTANCE_ID")).distinct())
        .as("instance ids").hasSize(2).doesNotContainNull();

    Map<String, Object> balancer = services().entrySet().stream()
        .filter(e -> interpolate(Repo.str(e.getValue().get("image"))).startsWith("nginx:")).map(Map.Entry::getValue)
        .findFirst().orElseThrow();
    String config = Repo.read(DIR.resolve("nginx.conf")).replaceAll("(?m)^\\s*#.*$", "");
    Set<String> upstreams = new TreeSet<>();
    Matcher server = Pattern.compile("(?m)^\\s*server\\s+([\\w.-]+:\\d+)").matcher(config);
    while (server.find()) {
      upstreams.add(server.group(1));
    }
    Set<String> expected = new TreeSet<>();
    for (String gateway : gateways) {
      int port = Integer.parseInt(ServiceConfig.load("gateway").effective("server.port", environment(services().get(gateway))));
      expected.add(gateway + ":" + port);
      assertThat(Repo.<Object>at(balancer, "depends_on", gateway, "condition")).isEqualTo("service_healthy");
    }
    assertThat(upstreams).isEqualTo(expected);
    assertThat(config).contains("proxy_set_header Upgrade $http_upgrade").contains("proxy_http_version 1.1");
    Matcher timeout = Pattern.compile("proxy_read_timeout\\s+(\\d+)s;").matcher(config);
    assertThat(timeout.find()).isTrue();
    assertThat(Integer.parseInt(timeout.group(1))).isGreaterThanOrEqualTo(3600);
    assertThat(config).doesNotContain("ip_hash").doesNotContain("sticky");
  }

  // ---- helpers ----

  private String serviceRunning(String module) {
    return platformServices().entrySet().stream().filter(e -> e.getValue().equals(module)).map(Map.Entry::getKey)
        .findFirst().orElseThrow();
  }

  /** A service's environment with interpolation applied (a required variable becomes "(from .env)"). */
  private Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Object> declared = Repo.at(service, "environment");
    if (declared != null) {
      declared.forEach((key, value) -> env.put(key, interpolate(Repo.str(value))));
    }
    return env;
  }

  private String interpolate(String text) {
    Matcher matcher = INTERPOLATION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      if (":?".equals(matcher.group(2))) {
        replacement = "(from .env)";
      } else if (":-".equals(matcher.group(2))) {
        replacement = matcher.group(3);
      } else {
        replacement = envExample.getOrDefault(matcher.group(1), "");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static Map<String, String> envExample() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Repo.read(DIR.resolve(".env.example")).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] parts = line.split("=", 2);
        values.put(parts[0].trim(), parts.length > 1 ? parts[1].trim() : "");
      }
    }
    return values;
  }
}
