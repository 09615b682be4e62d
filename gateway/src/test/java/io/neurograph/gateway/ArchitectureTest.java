package io.neurograph.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.neurograph.gateway.support.BlockHoundInstaller;
import org.junit.jupiter.api.Test;

/** The gateway's layering, and proof that BlockHound is watching. */
class ArchitectureTest {

  private static final JavaClasses GATEWAY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.neurograph.gateway");

  @Test
  void sessionsKnowNothingOfKafkaOrHttp() {
    noClasses().that().resideInAPackage("..session..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..",
            "..gateway.websocket..", "..gateway.requests..", "..gateway.events..", "..gateway.admin..")
        .check(GATEWAY);
  }

  @Test
  void handlersDoNotReachIntoTheTransport() {
    noClasses().that().resideInAnyPackage("..gateway.system..", "..gateway.requests..", "..gateway.dispatch..")
        .should().dependOnClassesThat().resideInAPackage("..gateway.websocket..")
        .check(GATEWAY);
  }

  @Test
  void nothingPrintsToTheConsoleOrSleeps() {
    noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
        .check(GATEWAY);
    noClasses().that().resideOutsideOfPackage("..gateway.kafka..")
        .should().callMethod(Thread.class, "sleep", long.class)
        .check(GATEWAY);
  }

  @Test
  void blockHoundIsInstalled() {
    assertThat(reactor.core.scheduler.Schedulers.isInNonBlockingThread()).isFalse();
    assertThat(BlockHoundInstaller.VIOLATIONS).isEmpty();
    reactor.core.publisher.Mono.fromCallable(() -> {
      Thread.sleep(1);
      return 1;
    }).subscribeOn(reactor.core.scheduler.Schedulers.parallel()).block();
    assertThat(BlockHoundInstaller.VIOLATIONS).containsExactly("java.lang.Thread.sleep");
    BlockHoundInstaller.VIOLATIONS.clear();
  }
}
