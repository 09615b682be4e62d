package io.neurograph.contracts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses CONTRACTS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.neurograph.contracts");

  @Test
  void contractsDependOnTheJdkAndJacksonOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "tools.jackson..", "com.fasterxml.jackson.annotation..", "io.neurograph.contracts..")
        .check(CONTRACTS);
  }

  @Test
  void nothingPrintsToTheConsole() {
    noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err").check(CONTRACTS);
  }
}
