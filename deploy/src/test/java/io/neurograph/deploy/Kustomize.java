package io.neurograph.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The subset of kustomize the manifests under {@code deploy/k8s} use, so tests can render the overlays
 * without a kustomize binary. Anything outside the subset is an error rather than silently ignored:
 *
 * <ul>
 *   <li>{@code resources}: files (all documents) and directories holding a {@code kustomization.yaml};
 *   <li>{@code configMapGenerator} / {@code secretGenerator}: {@code literals} and {@code files}, behaviour
 *       {@code create} or {@code merge}, only with {@code generatorOptions.disableNameSuffixHash: true};
 *   <li>{@code patches}: strategic merge patches from {@code path}, aimed by their own kind and name or at
 *       every resource of a {@code target} kind (and name); lists of containers, env, volumes merge by name,
 *       volume mounts by mount path, ports by container port, other lists are replaced; null deletes;
 *   <li>{@code namespace}, {@code labels} (pairs on metadata, optionally pod templates; no selectors),
 *       {@code replicas}, {@code images} (name → newName/newTag),
 * </ul>
 *
 * <p>Transformers run in kustomize's order: patches, namespace, labels, replicas, images.
 */
final class Kustomize {

  private static final Set<String> KEYS = Set.of("apiVersion", "kind", "resources", "namespace", "labels",
      "images", "replicas", "patches", "configMapGenerator", "secretGenerator", "generatorOptions");
  private static final Set<String> GENERATOR_KEYS = Set.of("name", "behavior", "literals", "files");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass");
  private static final Map<String, String> LIST_MERGE_KEYS = Map.of("containers", "name", "initContainers",
      "name", "env", "name", "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort");

  private Kustomize() {}

  /** Renders the kustomization in a directory. */
  static List<Map<String, Object>> build(Path directory) {
    Path file = directory.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no kustomization.yaml in " + directory);
    }
    Map<String, Object> kustomization = Repo.yamlDocument(file);
    for (String key : kustomization.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(file + ": kustomization key '" + key + "' is not implemented");
      }
    }
    require("kustomize.config.k8s.io/v1beta1".equals(kustomization.get("apiVersion"))
        && "Kustomization".equals(kustomization.get("kind")), file + ": not a kustomize.config.k8s.io/v1beta1 Kustomization");

    List<Map<String, Object>> resources = new ArrayList<>();
    for (Object entry : Repo.<List<Object>>at(kustomization, "resources") == null ? List.of()
        : Repo.<List<Object>>at(kustomization, "resources")) {
      Path path = directory.resolve(String.valueOf(entry)).normalize();
      List<Map<String, Object>> loaded = Files.isDirectory(path) ? build(path) : Repo.yamlDocuments(path);
      for (Map<String, Object> resource : loaded) {
        require(find(resources, kind(resource), name(resource)) == null,
            file + ": " + kind(resource) + "/" + name(resource) + " is defined twice");
        resources.add(resource);
      }
    }
    generate(directory, kustomization, "configMapGenerator", "ConfigMap", resources);
    generate(directory, kustomization, "secretGenerator", "Secret", resources);
    patch(directory, kustomization, resources);
    String namespace = Repo.str(kustomization.get("namespace"));
    if (namespace != null) {
      for (Map<String, Object> resource : resources) {
        if (!CLUSTER_SCOPED.contains(kind(resource))) {
          metadata(resource).put("namespace", namespace);
        }
      }
    }
    label(file, kustomization, resources);
    for (Map<String, Object> replica : Repo.list(kustomization, "replicas")) {
      String name = Repo.str(replica.get("name"));
      List<Map<String, Object>> targets = resources.stream()
          .filter(r -> Set.of("Deployment", "StatefulSet").contains(kind(r)) && name.equals(name(r))).toList();
      require(!targets.isEmpty(), file + ": replicas names no Deployment or StatefulSet " + name);
      targets.forEach(r -> Repo.<Map<String, Object>>at(r, "spec").put("replicas", replica.get("count")));
    }
    for (Map<String, Object> image : Repo.list(kustomization, "images")) {
      require(Set.of("name", "newName", "newTag").containsAll(image.keySet()), file + ": images supports name, newName, newTag");
      resources.forEach(r -> retag(r, image));
    }
    return resources;
  }

  /** The resource of a kind and name, or null. */
  static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name) {
    return resources.stream().filter(r -> kind.equals(kind(r)) && name.equals(name(r))).findFirst().orElse(null);
  }

  static String kind(Map<String, Object> resource) {
    return Repo.str(resource.get("kind"));
  }

  static String name(Map<String, Object> resource) {
    return Repo.str(Repo.at(resource, "metadata", "name"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> resource) {
    return (Map<String, Object>) resource.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
  }

  private static void generate(Path directory, Map<String, Object> kustomization, String key, String kind,
      List<Map<String, Object>> resources) {
    List<Map<String, Object>> generators = Repo.list(kustomization, key);
    if (generators.isEmpty()) {
      return;
    }
    require(Boolean.TRUE.equals(Repo.at(kustomization, "generatorOptions", "disableNameSuffixHash")),
        directory + ": generators need generatorOptions.disableNameSuffixHash: true (hash suffixes are not implemented)");
    for (Map<String, Object> generator : generators) {
      require(GENERATOR_KEYS.containsAll(generator.keySet()), directory + ": " + key + " supports " + GENERATOR_KEYS);
      String name = Repo.str(generator.get("name"));
      Map<String, String> data = new LinkedHashMap<>();
      for (Object literal : Repo.<List<Object>>at(generator, "files") == null ? List.of()
          : Repo.<List<Object>>at(generator, "files")) {
        String entry = String.valueOf(literal);
        int equals = entry.indexOf('=');
        Path source = directory.resolve(equals < 0 ? entry : entry.substring(equals + 1));
        data.put(equals < 0 ? source.getFileName().toString() : entry.substring(0, equals), Repo.read(source));
      }
      for (Object literal : Repo.<List<Object>>at(generator, "literals") == null ? List.of()
          : Repo.<List<Object>>at(generator, "literals")) {
        String entry = String.valueOf(literal);
        int equals = entry.indexOf('=');
        require(equals > 0, directory + ": literal without KEY=value: " + entry);
        data.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
      Map<String, Object> encoded = new LinkedHashMap<>();
      data.forEach((k, v) -> encoded.put(k,
          kind.equals("Secret") ? Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)) : v));
      String behavior = Objects.toString(generator.get("behavior"), "create");
      Map<String, Object> existing = find(resources, kind, name);
      if (behavior.equals("merge")) {
        require(existing != null, directory + ": " + kind + " " + name + " to merge into does not exist");
        Repo.<Map<String, Object>>at(existing, "data").putAll(encoded);
      } else {
        require(behavior.equals("create"), directory + ": generator behavior " + behavior + " is not implemented");
        require(existing == null, directory + ": " + kind + " " + name + " exists already");
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", "v1");
        resource.put("kind", kind);
        resource.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
        if (kind.equals("Secret")) {
          resource.put("type", "Opaque");
        }
        resource.put("data", encoded);
        resources.add(resource);
      }
    }
  }

  private static void patch(Path directory, Map<String, Object> kustomization, List<Map<String, Object>> resources) {
    for (Map<String, Object> entry : Repo.list(kustomization, "patches")) {
      require(Set.of("path", "target").containsAll(entry.keySet()) && entry.containsKey("path"),
          directory + ": patches support path (strategic merge) and target only");
      Path file = directory.resolve(Repo.str(entry.get("path")));
      Map<String, Object> target = Repo.at(entry, "target");
      require(target == null || Set.of("kind", "name").containsAll(target.keySet()),
          file + ": a patch target supports kind and name only");
      for (Map<String, Object> patch : Repo.yamlDocuments(file)) {
        String kind = target == null ? kind(patch) : Repo.str(target.get("kind"));
        String name = target == null ? name(patch) : Repo.str(target.get("name"));
        List<Map<String, Object>> matched = resources.stream()
            .filter(r -> (kind == null || kind.equals(kind(r))) && (name == null || name.equals(name(r)))).toList();
        require(!matched.isEmpty(), file + ": the patch matches nothing (" + kind + "/" + name + ")");
        for (Map<String, Object> resource : matched) {
          Map<String, Object> body = new LinkedHashMap<>(patch);
          body.remove("apiVersion");
          body.remove("kind");
          Map<String, Object> patchMetadata = new LinkedHashMap<>(
              Objects.requireNonNullElse(Repo.<Map<String, Object>>at(patch, "metadata"), Map.of()));
          patchMetadata.remove("name");
          body.put("metadata", patchMetadata);
          merge(resource, body);
        }
      }
    }
  }

  /** Strategic merge of a patch into a resource, in place. */
  @SuppressWarnings("unchecked")
  static void merge(Map<String, Object> into, Map<String, Object> patch) {
    patch.forEach((key, value) -> {
      Object current = into.get(key);
      if (value == null) {
        into.remove(key);
      } else if (current instanceof Map && value instanceof Map) {
        merge((Map<String, Object>) current, (Map<String, Object>) value);
      } else if (current instanceof List && value instanceof List && LIST_MERGE_KEYS.containsKey(key)) {
        mergeList((List<Object>) current, (List<Object>) value, LIST_MERGE_KEYS.get(key));
      } else {
        into.put(key, deepCopy(value));
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static void mergeList(List<Object> into, List<Object> patch, String mergeKey) {
    for (Object element : patch) {
      Object id = ((Map<String, Object>) element).get(mergeKey);
      require(id != null, "a patch list element lacks its merge key " + mergeKey + ": " + element);
      Map<String, Object> existing = (Map<String, Object>) into.stream()
          .filter(e -> e instanceof Map && Objects.equals(((Map<String, Object>) e).get(mergeKey), id))
          .findFirst().orElse(null);
      if (existing == null) {
        into.add(deepCopy(element));
      } else {
        merge(existing, (Map<String, Object>) element);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return value;
  }

  private static void label(Path file, Map<String, Object> kustomization, List<Map<String, Object>> resources) {
    for (Map<String, Object> entry : Repo.list(kustomization, "labels")) {
      require(Set.of("pairs", "includeSelectors", "includeTemplates").containsAll(entry.keySet()),
          file + ": labels support pairs, includeSelectors, includeTemplates");
      require(!Boolean.TRUE.equals(entry.get("includeSelectors")), file + ": labels.includeSelectors is not implemented");
      Map<String, Object> pairs = Repo.at(entry, "pairs");
      for (Map<String, Object> resource : resources) {
        labels(metadata(resource)).putAll(pairs);
        Map<String, Object> template = Repo.at(resource, "spec", "template");
        if (Boolean.TRUE.equals(entry.get("includeTemplates")) && template != null) {
          labels((Map<String, Object>) template.computeIfAbsent("metadata", k -> new LinkedHashMap<>())).putAll(pairs);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> labels(Map<String, Object> metadata) {
    return (Map<String, Object>) metadata.computeIfAbsent("labels", k -> new LinkedHashMap<>());
  }

  private static void retag(Map<String, Object> resource, Map<String, Object> image) {
    for (String list : List.of("containers", "initContainers")) {
      for (Map<String, Object> container : Repo.list(resource, "spec", "template", "spec", list)) {
        String reference = Repo.str(container.get("image"));
        int slash = reference.lastIndexOf('/');
        int colon = reference.indexOf(':', slash + 1);
        String name = colon < 0 ? reference : reference.substring(0, colon);
        String tag = colon < 0 ? null : reference.substring(colon + 1);
        if (name.equals(image.get("name"))) {
          String newName = Objects.toString(image.get("newName"), name);
          String newTag = Objects.toString(image.get("newTag"), tag);
          container.put("image", newTag == null ? newName : newName + ":" + newTag);
        }
      }
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
