package io.neurograph.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.deploy.Dockerfile.Instruction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The images as far as they can be checked without a Docker engine: the structure of each Dockerfile, the
 * build-context paths it copies (present after the Maven build), and the layer extraction it runs, run here
 * on the real jar with the current JVM so the layer directories the runtime stage copies are known to exist.
 */
class DockerfileTest {

  static final List<String> SERVICES = Repo.SERVICES;

  /** The layer directories of a Boot jar, in the order they change least to most. */
  private static final List<String> LAYERS =
      List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
  /** A tag carrying a full version (17.0.19_10-jre-noble, 4.1.2), or a digest: nothing that floats. */
  private static final Pattern PINNED =
      Pattern.compile("[a-z0-9./_-]+(:[A-Za-z0-9._-]*\\d+\\.\\d+\\.\\d+[A-Za-z0-9._-]*)?(@sha256:[0-9a-f]{64})?");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private static Dockerfile dockerfile(String service) {
    return Dockerfile.parse(Repo.path("deploy/docker/" + service + "/Dockerfile"));
  }

  @ParameterizedTest
  @FieldSource("SERVICES")
  void isMultiStageOnPinnedBaseImages(String service) {
    Dockerfile dockerfile = dockerfile(service);
    assertThat(dockerfile.all("FROM")).as("build stages").hasSizeGreaterThanOrEqualTo(2);
    List<String> stageNames = new ArrayList<>();
    for (int stage = 0; stage <= dockerfile.lastStage(); stage++) {
      String image = dockerfile.image(stage);
      if (!stageNames.contains(image)) {
        assertThat(image).as("FROM of stage %d", stage).doesNotContain(":latest").doesNotContain("$");
        Matcher pinned = PINNED.matcher(image);
        assertThat(pinned.matches() && (pinned.group(1) != null || pinned.group(2) != null))
            .as("%s pins a full version or a digest", image).isTrue();
      }
      stageNames.add(dockerfile.stageName(stage));
    }
  }

  @ParameterizedTest
  @FieldSource("SERVICES")
  void runsAsNumericNonRootUserWithExecFormEntrypointAndContainerJvmOptions(String service) {
    Dockerfile dockerfile = dockerfile(service);
    int runtime = dockerfile.lastStage();
    List<Instruction> users = dockerfile.all("USER", runtime);
    assertThat(users).as("USER in the runtime stage").isNotEmpty();
    String user = users.get(users.size() - 1).arguments();
    assertThat(user).matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).as("uid").isPositive();

    assertThat(entrypoint(dockerfile)).as("ENTRYPOINT in exec form").isNotEmpty().first().isEqualTo("java");
    String jvmOptions = String.join(" ", entrypoint(dockerfile)) + " "
        + dockerfile.all("ENV", runtime).stream().map(Instruction::arguments).reduce("", String::concat);
    assertThat(jvmOptions).contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");

    List<Instruction> exposed = dockerfile.all("EXPOSE", runtime);
    assertThat(exposed).extracting(Instruction::arguments)
        .containsExactly(String.valueOf(ServiceConfig.load(service).defaultPort()));
  }

  @ParameterizedTest
  @FieldSource("SERVICES")
  void copiesTheLayersInDependencyLoaderSnapshotApplicationOrder(String service) {
    Dockerfile dockerfile = dockerfile(service);
    List<String> copied = layerCopies(dockerfile).keySet().stream()
        .map(source -> Path.of(source).getFileName().toString()).toList();
    assertThat(copied).containsExactlyElementsOf(LAYERS);
    assertThat(dockerfile.all("COPY", dockerfile.lastStage()))
        .as("the runtime stage copies nothing but the layers").allMatch(copy -> copy.arguments().startsWith("--from="));
  }

  @ParameterizedTest
  @FieldSource("SERVICES")
  void copiesOnlyBuildOutputsThatExistAndTheDockerignoreLetsThrough(String service) {
    Dockerfile dockerfile = dockerfile(service);
    Repo.serviceJar(service);
    List<String> ignore = Arrays.asList(Repo.read(
        Repo.path("deploy/docker/" + service + "/Dockerfile.dockerignore")).split("\n"));
    assertThat(ignore).as("the ignore file excludes everything first").contains("*");
    List<Instruction> contextCopies = dockerfile.all("COPY").stream()
        .filter(copy -> !copy.arguments().startsWith("--")).toList();
    assertThat(contextCopies).isNotEmpty();
    for (Instruction copy : contextCopies) {
      String source = copy.arguments().split("\\s+")[0];
      assertThat(Repo.path(source)).as("build context path %s", source).isRegularFile();
      assertThat(ignore).as("the ignore file lets %s through", source).contains("!" + source);
    }
  }

  /**
   * Runs the extract stage's jarmode command on the built jar, then checks what the runtime stage needs:
   * every layer directory it copies, and the jar its ENTRYPOINT starts with every library its manifest lists.
   */
  @ParameterizedTest
  @FieldSource("SERVICES")
  void extractionOfTheBuiltJarYieldsWhatTheRuntimeStageCopiesAndStarts(String service, @TempDir Path workdir)
      throws Exception {
    Dockerfile dockerfile = dockerfile(service);
    String extractStage = layerCopies(dockerfile).values().iterator().next();
    int stage = stageIndex(dockerfile, extractStage);
    String stageWorkdir = dockerfile.all("WORKDIR", stage).get(0).arguments();

    for (Instruction copy : dockerfile.all("COPY", stage)) {
      String[] words = copy.arguments().split("\\s+");
      Files.copy(Repo.path(words[0]), workdir.resolve(words[1]));
    }
    List<Instruction> runs = dockerfile.all("RUN", stage);
    assertThat(runs).hasSize(1);
    List<String> command = new ArrayList<>(Arrays.asList(runs.get(0).arguments().split("\\s+")));
    assertThat(command.get(0)).isEqualTo("java");
    assertThat(command).contains("-Djarmode=tools", "extract", "--layers");
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A short-lived tool: the client compiler alone starts it several times faster on a busy machine.
    command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    Process process = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true)
        .redirectOutput(workdir.resolve("extract.log").toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("extraction finished").isTrue();
    assertThat(process.exitValue()).as("extraction exit code; %s", Repo.read(workdir.resolve("extract.log"))).isZero();

    List<Path> layers = new ArrayList<>();
    for (String source : layerCopies(dockerfile).keySet()) {
      assertThat(source).startsWith(stageWorkdir + "/");
      Path layer = workdir.resolve(source.substring(stageWorkdir.length() + 1));
      assertThat(layer).as("layer %s", source).isDirectory();
      layers.add(layer);
    }

    List<String> entrypoint = entrypoint(dockerfile);
    String runtimeWorkdir = dockerfile.all("WORKDIR", dockerfile.lastStage()).get(0).arguments();
    String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
    assertThat(jar).startsWith(runtimeWorkdir + "/");
    String relativeJar = jar.substring(runtimeWorkdir.length() + 1);
    Path applicationJar = layers.stream().map(layer -> layer.resolve(relativeJar)).filter(Files::isRegularFile)
        .findFirst().orElseThrow(() -> new AssertionError("no layer holds " + relativeJar));
    try (JarFile jarFile = new JarFile(applicationJar.toFile())) {
      String classPath = jarFile.getManifest().getMainAttributes().getValue("Class-Path");
      assertThat(classPath).as("Class-Path of %s", relativeJar).isNotBlank();
      for (String library : classPath.trim().split("\\s+")) {
        assertThat(layers.stream().anyMatch(layer -> Files.isRegularFile(layer.resolve(library))))
            .as("a layer holds %s", library).isTrue();
      }
    }
  }

  @ParameterizedTest
  @FieldSource("SERVICES")
  void theReadmeBuildsTheImageUnderTheNameTheManifestsUse(String service) throws IOException {
    String readme = Repo.read(Repo.path("deploy/README.md"));
    assertThat(readme).contains("docker build -f deploy/docker/" + service + "/Dockerfile -t neurograph/" + service + ":");
  }

  /** The exec-form ENTRYPOINT's words, or empty when absent or in shell form. */
  static List<String> entrypoint(Dockerfile dockerfile) {
    List<Instruction> entrypoints = dockerfile.all("ENTRYPOINT", dockerfile.lastStage());
    if (entrypoints.isEmpty()) {
      return List.of();
    }
    String arguments = entrypoints.get(entrypoints.size() - 1).arguments();
    if (!arguments.startsWith("[") || !arguments.endsWith("]")) {
      return List.of();
    }
    List<String> words = new ArrayList<>();
    Matcher matcher = QUOTED.matcher(arguments);
    while (matcher.find()) {
      words.add(matcher.group(1));
    }
    return words;
  }

  /** The runtime stage's COPY --from sources, in order, each with the stage it copies from. */
  private static Map<String, String> layerCopies(Dockerfile dockerfile) {
    Map<String, String> copies = new LinkedHashMap<>();
    for (Instruction copy : dockerfile.all("COPY", dockerfile.lastStage())) {
      String[] words = copy.arguments().split("\\s+");
      if (words[0].startsWith("--from=")) {
        copies.put(words[1].replaceFirst("/$", ""), words[0].substring("--from=".length()));
      }
    }
    return copies;
  }

  private static int stageIndex(Dockerfile dockerfile, String name) {
    for (int stage = 0; stage <= dockerfile.lastStage(); stage++) {
      if (name.equals(dockerfile.stageName(stage))) {
        return stage;
      }
    }
    throw new AssertionError("no stage named " + name);
  }
}
