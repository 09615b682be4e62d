package io.neurograph.devstack.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.devstack.fake.FakeServiceJars;
import io.neurograph.devstack.services.ServiceProcess.ServiceStartException;
import io.neurograph.devstack.support.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceProcess against a real child JVM (the JDK-only {@code FakeService}). */
class ServiceProcessIT {

  private static final Duration READY = Duration.ofSeconds(120);

  @TempDir
  Path work;

  private Path jar;

  @BeforeEach
  void fakeJar() throws Exception {
    jar = FakeServiceJars.create(work.resolve("jars"), List.of("svc")).resolve("svc.jar");
  }

  @Test
  void becomesReadyAndStopsGracefullyOnStop() {
    ServiceProcess service = ServiceProcess.builder("svc", jar).port(Ports.free()).logFile(work.resolve("svc.log"))
        .start();
    try {
      service.awaitReady(READY);
      assertThat(service.isAlive()).isTrue();

      assertThat(service.stop()).as("stopped within the grace period").isTrue();

      assertThat(service.isAlive()).isFalse();
      assertThat(service.exitCode()).as("a JVM ended by SIGTERM").isEqualTo(143);
      assertThat(service.tail(5)).anyMatch(l -> l.startsWith("fake svc stopping gracefully"));
    } finally {
      service.kill();
    }
  }

  @Test
  void killIsACrashWithoutShutdownHooks() {
    ServiceProcess service = ServiceProcess.builder("svc", jar).port(Ports.free()).logFile(work.resolve("svc.log"))
        .start();
    service.awaitReady(READY);

    service.kill();

    assertThat(service.isAlive()).isFalse();
    assertThat(service.exitCode()).as("SIGKILL").isEqualTo(137);
    assertThat(service.tail(100)).noneMatch(l -> l.contains("stopping gracefully"));
  }

  @Test
  void reportsADeathBeforeReadinessWithTheEndOfTheLog() {
    ServiceProcess service = ServiceProcess.builder("svc", jar).port(Ports.free()).logFile(work.resolve("svc.log"))
        .env("FAKE_FAIL", "svc")
        .start();

    assertThatThrownBy(() -> service.awaitReady(READY))
        .isInstanceOf(ServiceStartException.class)
        .hasMessage("svc exited with code 3 before it was ready")
        .satisfies(e -> assertThat(((ServiceStartException) e).service()).isSameAs(service));
    assertThat(service.tail(2)).containsExactly("fake svc boot line 60", "fake svc FAILED ON PURPOSE");
  }

  @Test
  void appendsToTheLogAcrossRestartsOnTheSamePort() {
    int port = Ports.free();
    Path log = work.resolve("svc.log");
    ServiceProcess first = ServiceProcess.builder("svc", jar).port(port).logFile(log).start();
    first.awaitReady(READY);
    first.kill();

    ServiceProcess second = ServiceProcess.builder("svc", jar).port(port).logFile(log).start();
    try {
      second.awaitReady(READY);
      assertThat(second.tail(1000)).filteredOn(l -> l.startsWith("----- devstack: starting svc on port " + port))
          .hasSize(2);
      assertThat(second.tail(1000)).filteredOn(l -> l.startsWith("fake svc ready on port " + port)).hasSize(2);
    } finally {
      second.kill();
    }
  }

  @Test
  void refusesAPortThatIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServiceProcess.Builder builder = ServiceProcess.builder("svc", jar).port(taken.getLocalPort())
          .logFile(work.resolve("svc.log"));
      assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
          .hasMessage("port " + taken.getLocalPort() + " for svc is already in use");
    }
  }
}
