package io.neurograph.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed schemas and AsyncAPI document are exactly what {@link ContractDocuments} builds from the
 * contracts. After changing a message, regenerate them with
 * {@code ./mvnw -pl contracts test -Dtest=ContractDocumentsTest -Dneurograph.contracts.write=true}, then run
 * {@code ./mvnw -pl contracts verify} (the other tests read the copies in target/classes, refreshed only by a
 * new build) and commit the result.
 */
class ContractDocumentsTest {

  private static final Path RESOURCES = Path.of("src", "main", "resources");

  @Test
  void committedDocumentsAreWhatTheContractsDescribe() throws IOException {
    Map<String, String> generated = ContractDocuments.build();
    if (Boolean.getBoolean("neurograph.contracts.write")) {
      write(generated);
    }
    for (var entry : generated.entrySet()) {
      Path file = RESOURCES.resolve(entry.getKey());
      assertThat(file).as("%s is missing; regenerate (see class comment)", file).exists();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as("%s is out of date; regenerate (see class comment)", file)
          .isEqualTo(entry.getValue());
    }
    assertThat(committedSchemaFiles()).as("schema files no message describes")
        .containsExactlyInAnyOrderElementsOf(
            generated.keySet().stream().filter(k -> k.endsWith(".json")).collect(Collectors.toSet()));
  }

  private static void write(Map<String, String> generated) throws IOException {
    Path schemas = RESOURCES.resolve(ContractDocuments.RESOURCE_ROOT + "schemas");
    for (String stale : committedSchemaFiles()) {
      if (!generated.containsKey(stale)) {
        Files.delete(RESOURCES.resolve(stale));
      }
    }
    for (var entry : generated.entrySet()) {
      Path file = RESOURCES.resolve(entry.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
    }
    assertThat(schemas).isDirectory();
  }

  private static Set<String> committedSchemaFiles() throws IOException {
    Path schemas = RESOURCES.resolve(ContractDocuments.RESOURCE_ROOT + "schemas");
    if (!Files.isDirectory(schemas)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.walk(schemas)) {
      return files.filter(Files::isRegularFile)
          .map(p -> RESOURCES.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
    }
  }
}
