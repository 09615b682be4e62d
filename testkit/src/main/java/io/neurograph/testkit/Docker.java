package io.neurograph.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a Docker engine is reachable, checked cheaply first so machines without one pay nothing. */
final class Docker {

  private static volatile Boolean available;

  private Docker() {}

  static boolean available() {
    Boolean known = available;
    if (known == null) {
      known = probe();
      available = known;
    }
    return known;
  }

  private static boolean probe() {
    if ("false".equalsIgnoreCase(System.getenv("NEUROGRAPH_TEST_DOCKER"))) {
      return false;
    }
    boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
    if (!hint) {
      return false;
    }
    try {
      Class.forName("org.testcontainers.DockerClientFactory");
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
