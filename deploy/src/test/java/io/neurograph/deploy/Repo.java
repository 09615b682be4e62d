package io.neurograph.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Paths of the repository and strict YAML loading for the deploy tests. */
final class Repo {

  /** The three services, as named by their module, jar, Dockerfile directory and image. */
  static final List<String> SERVICES = List.of("gateway", "token-service", "graph-service");

  private Repo() {}

  /** The repository root (the deploy module's parent). */
  static Path root() {
    Path deploy = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    Path root = deploy.getFileName().toString().equals("deploy") ? deploy.getParent() : deploy;
    if (!Files.isRegularFile(root.resolve("deploy/pom.xml"))) {
      throw new IllegalStateException("not the repository root: " + root);
    }
    return root;
  }

  /** A path below the repository root. */
  static Path path(String relative) {
    return root().resolve(relative);
  }

  /** The Boot jar a service's build leaves, which the images copy. */
  static Path serviceJar(String service) {
    Path jar = path(service + "/target/" + service + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the deploy tests run after the services are packaged "
          + "(./mvnw -DskipTests package -pl " + service + " -am, or a whole reactor build)");
    }
    return jar;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of a YAML file; duplicate keys and custom tags are errors. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(Path file) {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : yaml().loadAll(read(file))) {
      if (document == null) {
        continue;
      }
      if (!(document instanceof Map)) {
        throw new IllegalArgumentException(file + ": a document is not a mapping");
      }
      documents.add((Map<String, Object>) document);
    }
    return documents;
  }

  /** The single document of a YAML file. */
  static Map<String, Object> yamlDocument(Path file) {
    List<Map<String, Object>> documents = yamlDocuments(file);
    if (documents.size() != 1) {
      throw new IllegalArgumentException(file + ": expected one YAML document, found " + documents.size());
    }
    return documents.get(0);
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /** A nested value by path of map keys, or null. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(key);
    }
    return (T) current;
  }

  /** A list below a path, empty when absent. */
  static List<Map<String, Object>> list(Object node, String... keys) {
    List<Map<String, Object>> value = at(node, keys);
    return value == null ? List.of() : value;
  }

  static String str(Object value) {
    return Objects.toString(value, null);
  }
}
