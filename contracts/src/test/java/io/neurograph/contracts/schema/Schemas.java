package io.neurograph.contracts.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.neurograph.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/** The published JSON Schemas, read from the classpath as a consumer of the contracts jar would. */
final class Schemas {

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

  private Schemas() {}

  /** The schema file {@code neurograph/schemas/<path>.json} as JSON. */
  static JsonNode document(String path) {
    String resource = "/" + ContractDocuments.RESOURCE_ROOT + "schemas/" + path + ".json";
    try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no schema " + resource);
      }
      return Json.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Validation errors of a JSON value against a schema file; empty when valid. */
  static List<Error> errors(String path, JsonNode value) {
    return CACHE.computeIfAbsent(path, p -> REGISTRY.getSchema(document(p))).validate(value);
  }
}
