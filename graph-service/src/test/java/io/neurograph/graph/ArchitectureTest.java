package io.neurograph.graph;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering: {@code requests} is the core port (request in, reply out); {@code commands} and
 * {@code queries} answer requests using the adapters {@code store} (PostgreSQL), {@code cache} (Redis),
 * {@code outbox} and {@code path}; {@code kafka} drives the core from the command topic and knows nothing
 * else; {@code projection} applies token events through the same adapters and offers the catch-up
 * barrier to {@code commands}.
 */
class ArchitectureTest {

  private static final String ROOT = "io.neurograph.graph";
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  @Test
  void featurePackagesHaveNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void storeAndCacheAreLeafAdapters() {
    noClasses().that().resideInAPackage(ROOT + ".store..")
        .should().dependOnClassesThat().resideInAnyPackage(
            ROOT + ".commands..", ROOT + ".queries..", ROOT + ".kafka..", ROOT + ".outbox..", ROOT + ".requests..",
            ROOT + ".cache..", ROOT + ".config..", ROOT + ".projection..", ROOT + ".path..")
        .because("an adapter talks to its technology, not to other features")
        .check(CLASSES);
    noClasses().that().resideInAPackage(ROOT + ".cache..")
        .should().dependOnClassesThat().resideInAnyPackage(
            ROOT + ".commands..", ROOT + ".queries..", ROOT + ".kafka..", ROOT + ".outbox..", ROOT + ".requests..",
            ROOT + ".store..", ROOT + ".config..", ROOT + ".projection..", ROOT + ".path..")
        .check(CLASSES);
  }

  @Test
  void theKafkaAdapterOnlyDrivesTheRequestPort() {
    noClasses().that().resideInAPackage(ROOT + ".kafka..")
        .should().dependOnClassesThat().resideInAnyPackage(
            ROOT + ".commands..", ROOT + ".queries..", ROOT + ".store..", ROOT + ".cache..", ROOT + ".outbox..",
            ROOT + ".projection..", ROOT + ".path..")
        .check(CLASSES);
  }

  @Test
  void theProjectionKnowsNoRequestHandlers() {
    noClasses().that().resideInAPackage(ROOT + ".projection..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".commands..", ROOT + ".queries..", ROOT + ".path..")
        .check(CLASSES);
  }

  @Test
  void handlersDoNotKnowTheTransportOrEachOther() {
    noClasses().that().resideInAnyPackage(ROOT + ".commands..", ROOT + ".queries..", ROOT + ".requests..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".kafka..", "org.springframework.kafka..")
        .check(CLASSES);
    noClasses().that().resideInAPackage(ROOT + ".commands..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".queries..", ROOT + ".path..")
        .check(CLASSES);
    noClasses().that().resideInAPackage(ROOT + ".queries..")
        .should().dependOnClassesThat().resideInAnyPackage(
            ROOT + ".commands..", ROOT + ".outbox..", ROOT + ".projection..")
        .check(CLASSES);
  }

  @Test
  void theRequestPortDependsOnTheContractOnly() {
    noClasses().that().resideInAPackage(ROOT + ".requests..")
        .should().dependOnClassesThat().resideInAnyPackage(
            ROOT + ".commands..", ROOT + ".queries..", ROOT + ".store..", ROOT + ".cache..", ROOT + ".outbox..",
            ROOT + ".kafka..", ROOT + ".config..", ROOT + ".projection..", ROOT + ".path..")
        .check(CLASSES);
  }

  @Test
  void noJavaTypeInformationOnTheWire() {
    noClasses().should().dependOnClassesThat().haveNameMatching(
            "org\\.springframework\\.kafka\\.support\\.(serializer\\.Jackson.*|serializer\\.Json.*|mapping\\..*)")
        .because("values are JSON written by contracts' Json, never with Spring type headers")
        .check(CLASSES);
  }

  @Test
  void nothingPrintsToTheConsole() {
    noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
        .orShould().callMethod(Throwable.class, "printStackTrace")
        .check(CLASSES);
  }
}
