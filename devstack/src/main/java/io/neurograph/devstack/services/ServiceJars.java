package io.neurograph.devstack.services;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * Finds a service's executable jar. Looks in the directory named by {@value #ENV_DIR} when it is set, else
 * in {@code services/} next to the devstack jar (where the build copies them), else in
 * {@code <repo>/<service>/target/<service>.jar} of the checkout the devstack jar was built in.
 */
public final class ServiceJars {

  /** Environment variable naming a directory that holds {@code <service>.jar} files. */
  public static final String ENV_DIR = "NEUROGRAPH_SERVICE_JARS";

  private final Path overrideDir;
  private final Path home;

  /**
   * A locator. {@code overrideDir} (may be null) wins; {@code home} is the directory of the devstack jar (or,
   * when run from classes, the build directory holding {@code classes/}).
   */
  public ServiceJars(Path overrideDir, Path home) {
    this.overrideDir = overrideDir;
    this.home = home;
  }

  /** The locator for this process: {@value #ENV_DIR} from {@code env}, home from where devstack was loaded. */
  public static ServiceJars fromEnvironment(Map<String, String> env) {
    String dir = env.get(ENV_DIR);
    return new ServiceJars(dir == null || dir.isBlank() ? null : Path.of(dir), home());
  }

  /** The places looked at for a service, in order. */
  public List<Path> candidates(String service) {
    String jar = service + ".jar";
    List<Path> candidates = new ArrayList<>();
    if (overrideDir != null) {
      // An explicit directory is the only place: a silent fallback would run some other build.
      candidates.add(overrideDir.resolve(jar));
      return candidates;
    }
    if (home != null) {
      candidates.add(home.resolve("services").resolve(jar));
      Path repo = home.getParent() == null ? null : home.getParent().getParent();
      if (repo != null) {
        candidates.add(repo.resolve(service).resolve("target").resolve(jar));
      }
    }
    return candidates;
  }

  /** The first candidate that is an executable jar; otherwise an exception naming every place tried. */
  public Path locate(String service) {
    List<Path> tried = candidates(service);
    List<String> problems = new ArrayList<>();
    for (Path candidate : tried) {
      Optional<String> problem = problem(candidate);
      if (problem.isEmpty()) {
        return candidate.toAbsolutePath().normalize();
      }
      problems.add(candidate + " (" + problem.get() + ")");
    }
    throw new MissingServiceJarException(service, problems);
  }

  private static Optional<String> problem(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return Optional.of("missing");
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      // An unrepackaged module jar has no Main-Class; java -jar would fail later with a worse message.
      if (file.getManifest() == null || file.getManifest().getMainAttributes().getValue("Main-Class") == null) {
        return Optional.of("not an executable jar: no Main-Class");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("unreadable: " + e.getMessage());
    }
  }

  /** The directory of the devstack jar, or the build directory when running from {@code target/classes}. */
  static Path home() {
    CodeSource source = ServiceJars.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    return homeOf(source.getLocation().toString());
  }

  /** {@link #home()} for a code-source location; visible for tests. */
  static Path homeOf(String location) {
    // Spring Boot's launcher: jar:nested:/path/app.jar/!BOOT-INF/classes/!/
    String nested = "jar:nested:";
    if (location.startsWith(nested)) {
      int end = location.indexOf("/!", nested.length());
      String raw = location.substring(nested.length(), end < 0 ? location.length() : end);
      Path jar;
      try {
        jar = Path.of(URI.create("file://" + raw));
      } catch (IllegalArgumentException notEncoded) {
        jar = Path.of(raw);
      }
      return jar.toAbsolutePath().getParent();
    }
    if (!location.startsWith("file:")) {
      return null;
    }
    try {
      // A jar lives in its build directory; classes live one level below it (target/classes).
      return Path.of(URI.create(location)).toAbsolutePath().getParent();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** No executable jar for a service in any of the places looked at. */
  public static final class MissingServiceJarException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MissingServiceJarException(String service, List<String> tried) {
      super("no executable jar for " + service + "; looked at:\n  " + String.join("\n  ", tried)
          + "\nBuild it (./mvnw -DskipTests install) or point " + ENV_DIR + " at a directory holding "
          + service + ".jar.");
    }
  }
}
