package io.neurograph.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service reads, taken from the service itself so the deployment checks cannot drift from it: the
 * defaults of its {@code application.yml}/{@code application.properties}, and the keys and environment
 * variables of its README's configuration tables.
 *
 * <p>A deployment must set every property whose default only works on a developer's machine (a value naming
 * {@code localhost}, and the port next to such a host) and every credential (a key naming a username or
 * password), and may set only properties the service documents or defines.
 *
 * @param service module name
 * @param defaults flattened application configuration
 * @param documentedKeys property keys of the README's configuration section
 * @param documentedEnv environment variable names written in that section
 */
record ServiceConfig(String service, Map<String, String> defaults, Set<String> documentedKeys,
    Set<String> documentedEnv) {

  /**
   * Standard Spring Boot properties a deployment sets beyond what the service documents: Redis credentials and
   * TLS for managed Redis (the services use Boot's auto-configured Lettuce client, which reads them).
   */
  static final Set<String> STANDARD_KEYS = Set.of("spring.data.redis.password", "spring.data.redis.ssl.enabled");

  /** Environment variables that configure the JVM, not Spring. */
  static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+");
  private static final Pattern KEY_PART = Pattern.compile("\\.?[a-z][a-z0-9-]*");
  private static final Pattern ENV = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern CREDENTIAL = Pattern.compile("(^|\\.)(username|password)$");

  /** Reads a service's configuration and README. */
  static ServiceConfig load(String service) {
    Path resources = Repo.path(service + "/src/main/resources");
    Map<String, String> defaults = new TreeMap<>();
    Path yml = resources.resolve("application.yml");
    Path properties = resources.resolve("application.properties");
    if (Files.isRegularFile(yml)) {
      flatten("", Repo.yamlDocument(yml), defaults);
    }
    if (Files.isRegularFile(properties)) {
      Properties loaded = new Properties();
      try {
        loaded.load(new StringReader(Repo.read(properties)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      loaded.stringPropertyNames().forEach(name -> defaults.put(name, loaded.getProperty(name)));
    }
    if (defaults.isEmpty()) {
      throw new IllegalStateException("no application configuration in " + resources);
    }
    Set<String> keys = new LinkedHashSet<>();
    Set<String> env = new LinkedHashSet<>();
    readReadme(Repo.read(Repo.path(service + "/README.md")), keys, env);
    if (keys.isEmpty()) {
      throw new IllegalStateException(service + "/README.md: no configuration table found");
    }
    return new ServiceConfig(service, defaults, keys, env);
  }

  /** The HTTP port the service listens on unless told otherwise. */
  int defaultPort() {
    return Integer.parseInt(defaults.get("server.port"));
  }

  /** Properties a deployment must set (see the class comment). */
  List<String> requiredKeys() {
    Set<String> required = new LinkedHashSet<>();
    defaults.forEach((key, value) -> {
      if (value.contains("localhost")) {
        required.add(key);
        if (key.endsWith(".host") && defaults.containsKey(key.replaceFirst("host$", "port"))) {
          required.add(key.replaceFirst("host$", "port"));
        }
      }
      if (CREDENTIAL.matcher(key).find()) {
        required.add(key);
      }
    });
    return List.copyOf(required);
  }

  /** Whether an environment variable sets a property the service documents or defines. */
  boolean knows(String envName) {
    if (JVM_ENV.contains(envName) || documentedEnv.contains(envName)) {
      return true;
    }
    return documentedKeys.stream().anyMatch(key -> binds(envName, key))
        || defaults.keySet().stream().anyMatch(key -> binds(envName, key))
        || STANDARD_KEYS.stream().anyMatch(key -> binds(envName, key));
  }

  /** The value a property gets from an environment, or its default. */
  String effective(String key, Map<String, String> env) {
    return env.entrySet().stream().filter(e -> binds(e.getKey(), key)).map(Map.Entry::getValue).findFirst()
        .orElse(defaults.get(key));
  }

  /**
   * What is wrong with an environment for this service: required properties missing, unknown variables, and
   * (mode jwt) no key to verify tokens with. Values of Secrets are passed as any non-null string.
   */
  List<String> problems(Map<String, String> env, String where) {
    List<String> problems = new ArrayList<>();
    for (String key : requiredKeys()) {
      if (env.keySet().stream().noneMatch(name -> binds(name, key))) {
        problems.add(where + ": " + service + " needs " + canonicalEnv(key) + " (" + key + ")");
      }
    }
    for (String name : env.keySet()) {
      if (!knows(name)) {
        problems.add(where + ": " + name + " is no property " + service + " documents or defines");
      }
    }
    if (documentedKeys.contains("neurograph.auth.mode")
        && "jwt".equalsIgnoreCase(effective("neurograph.auth.mode", env))) {
      String secret = effective("neurograph.auth.jwt.secret", env);
      String jwks = effective("neurograph.auth.jwt.jwks-uri", env);
      if ((secret == null || secret.isBlank()) && (jwks == null || jwks.isBlank())) {
        problems.add(where + ": mode jwt needs NEUROGRAPH_AUTH_JWT_SECRET or NEUROGRAPH_AUTH_JWT_JWKS_URI");
      }
    }
    return problems;
  }

  /**
   * Whether an environment variable binds to a property under Spring Boot's relaxed binding: dots become
   * underscores, dashes are dropped (or, the legacy form, become underscores), all upper case.
   */
  static boolean binds(String envName, String key) {
    String upper = key.toUpperCase(Locale.ROOT).replace('.', '_');
    return envName.equals(upper.replace("-", "")) || envName.equals(upper.replace('-', '_'));
  }

  /** The environment variable form used in this repository's docs. */
  static String canonicalEnv(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> node, Map<String, String> into) {
    node.forEach((key, value) -> {
      String name = prefix.isEmpty() ? key : prefix + "." + key;
      if (value instanceof Map) {
        flatten(name, (Map<String, Object>) value, into);
      } else {
        into.put(name, String.valueOf(value));
      }
    });
  }

  /** Keys and variables of the table rows in the README's "## Configuration" section. */
  private static void readReadme(String readme, Set<String> keys, Set<String> env) {
    int start = readme.indexOf("\n## Configuration");
    if (start < 0) {
      return;
    }
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    for (String line : section.split("\n")) {
      if (!line.startsWith("|") || line.startsWith("|---")) {
        continue;
      }
      String firstCell = line.substring(1, line.indexOf('|', 1) < 0 ? line.length() : line.indexOf('|', 1));
      String base = null;
      Matcher matcher = BACKTICKED.matcher(firstCell);
      while (matcher.find()) {
        String token = matcher.group(1).trim();
        if (KEY.matcher(token).matches()) {
          keys.add(token);
          base = token.substring(0, token.lastIndexOf('.'));
        } else if (base != null && KEY_PART.matcher(token).matches()) {
          keys.add(base + "." + token.replaceFirst("^\\.", ""));
        } else if (ENV.matcher(token).matches()) {
          env.add(token);
        }
      }
    }
  }
}
