package io.neurograph.devstack.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.devstack.services.ServiceJars.MissingServiceJarException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJarsTest {

  @TempDir
  Path repo;

  @Test
  void prefersTheServicesDirectoryNextToTheDevstackJar() throws Exception {
    Path home = Files.createDirectories(repo.resolve("devstack/target"));
    Path copied = executableJar(home.resolve("services/gateway.jar"));
    executableJar(repo.resolve("gateway/target/gateway.jar"));

    assertThat(new ServiceJars(null, home).locate("gateway")).isEqualTo(copied);
  }

  @Test
  void fallsBackToTheModuleBuildOfTheSameCheckout() throws Exception {
    Path home = Files.createDirectories(repo.resolve("devstack/target"));
    Path built = executableJar(repo.resolve("token-service/target/token-service.jar"));

    assertThat(new ServiceJars(null, home).locate("token-service")).isEqualTo(built);
  }

  @Test
  void anExplicitDirectoryIsTheOnlyPlaceLookedAt() throws Exception {
    Path home = Files.createDirectories(repo.resolve("devstack/target"));
    executableJar(home.resolve("services/gateway.jar"));
    Path explicit = Files.createDirectories(repo.resolve("elsewhere"));

    ServiceJars jars = new ServiceJars(explicit, home);

    assertThat(jars.candidates("gateway")).containsExactly(explicit.resolve("gateway.jar"));
    assertThatThrownBy(() -> jars.locate("gateway")).isInstanceOf(MissingServiceJarException.class)
        .hasMessageContaining(explicit.resolve("gateway.jar") + " (missing)")
        .hasMessageContaining(ServiceJars.ENV_DIR);
    Path jar = executableJar(explicit.resolve("gateway.jar"));
    assertThat(jars.locate("gateway")).isEqualTo(jar);
  }

  @Test
  void skipsAJarThatIsNotExecutableAndSaysWhy() throws Exception {
    Path home = Files.createDirectories(repo.resolve("devstack/target"));
    Path plain = home.resolve("services/gateway.jar");
    writeJar(plain, new Manifest());

    assertThatThrownBy(() -> new ServiceJars(null, home).locate("gateway"))
        .isInstanceOf(MissingServiceJarException.class)
        .hasMessageContaining(plain + " (not an executable jar: no Main-Class)")
        .hasMessageContaining(repo.resolve("gateway/target/gateway.jar") + " (missing)");
  }

  @Test
  void homeIsTheDirectoryOfTheBootJarOrTheBuildDirectoryOfTheClasses() {
    assertThat(ServiceJars.homeOf("jar:nested:/opt/x%20y/target/neurograph-devstack.jar/!BOOT-INF/classes/!/"))
        .isEqualTo(Path.of("/opt/x y/target"));
    assertThat(ServiceJars.homeOf("file:/opt/repo/devstack/target/classes/"))
        .isEqualTo(Path.of("/opt/repo/devstack/target"));
    assertThat(ServiceJars.homeOf("file:/opt/lib/neurograph-devstack.jar")).isEqualTo(Path.of("/opt/lib"));
    assertThat(ServiceJars.homeOf("jrt:/java.base")).isNull();
  }

  private static Path executableJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "example.Main");
    return writeJar(jar, manifest);
  }

  private static Path writeJar(Path jar, Manifest manifest) throws IOException {
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    Files.createDirectories(jar.getParent());
    try (OutputStream file = Files.newOutputStream(jar)) {
      // A manifest is all a locator looks at.
      new JarOutputStream(file, manifest).close();
    }
    return jar;
  }
}
