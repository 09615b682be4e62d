package io.neurograph.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kustomize subset the manifest checks rely on: what it merges, and that it refuses what it cannot do. */
class KustomizeTest {

  @TempDir
  Path dir;

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: app}
      spec:
        replicas: 1
        template:
          spec:
            containers:
              - name: app
                image: example/app:1.0
                env:
                  - {name: A, value: "1"}
                  - {name: B, value: "2"}
              - name: sidecar
                image: example/sidecar:2.0
      """;

  private void write(String path, String text) throws IOException {
    Files.createDirectories(dir.resolve(path).getParent());
    Files.writeString(dir.resolve(path), text);
  }

  @Test
  void mergesContainersAndEnvByNameAndAppliesTheTransformers() throws IOException {
    write("base/deployment.yaml", DEPLOYMENT);
    write("base/kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deployment.yaml]
        configMapGenerator:
          - name: settings
            literals: [X=1, Y=2]
        generatorOptions: {disableNameSuffixHash: true}
        """);
    write("overlay/patch.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          template:
            spec:
              containers:
                - name: app
                  env:
                    - {name: B, value: "20"}
                    - {name: C, value: "3"}
        """);
    write("overlay/kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: ns
        labels:
          - pairs: {team: x}
        resources: [../base]
        patches:
          - path: patch.yaml
        replicas:
          - {name: app, count: 3}
        images:
          - {name: example/app, newName: registry.test/example/app, newTag: "1.1"}
        configMapGenerator:
          - name: settings
            behavior: merge
            literals: [Y=20]
        generatorOptions: {disableNameSuffixHash: true}
        """);

    List<Map<String, Object>> resources = Kustomize.build(dir.resolve("overlay"));

    Map<String, Object> deployment = Kustomize.find(resources, "Deployment", "app");
    List<Map<String, Object>> containers = Repo.list(deployment, "spec", "template", "spec", "containers");
    assertThat(containers).extracting(c -> c.get("name")).containsExactly("app", "sidecar");
    assertThat(Repo.list(containers.get(0), "env")).extracting(e -> e.get("name") + "=" + e.get("value"))
        .containsExactly("A=1", "B=20", "C=3");
    assertThat(containers).extracting(c -> c.get("image"))
        .containsExactly("registry.test/example/app:1.1", "example/sidecar:2.0");
    assertThat(Repo.<Object>at(deployment, "spec", "replicas")).isEqualTo(3);
    assertThat(Repo.<Object>at(deployment, "metadata", "namespace")).isEqualTo("ns");
    assertThat(Repo.<Object>at(deployment, "metadata", "labels", "team")).isEqualTo("x");
    assertThat(Repo.<Map<String, Object>>at(Kustomize.find(resources, "ConfigMap", "settings"), "data"))
        .containsExactly(Map.entry("X", "1"), Map.entry("Y", "20"));
  }

  @Test
  void refusesKeysItDoesNotImplement() throws IOException {
    write("deployment.yaml", DEPLOYMENT);
    write("kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deployment.yaml]
        commonAnnotations: {a: b}
        """);
    assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("commonAnnotations");
  }

  @Test
  void refusesHashedGeneratorNamesAndPatchesThatMatchNothing() throws IOException {
    write("deployment.yaml", DEPLOYMENT);
    write("kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deployment.yaml]
        secretGenerator:
          - name: s
            literals: [k=v]
        """);
    assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("disableNameSuffixHash");

    write("patch.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: other}
        spec: {replicas: 2}
        """);
    write("kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deployment.yaml]
        patches:
          - path: patch.yaml
        """);
    assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("matches nothing");
  }
}
