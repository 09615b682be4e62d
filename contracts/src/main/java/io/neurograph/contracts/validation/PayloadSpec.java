package io.neurograph.contracts.validation;

import io.neurograph.contracts.FieldProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The validation rules of one payload: its fields plus cross-field checks. Validation works on the JSON
 * tree, before binding, so a client learns exactly which field is wrong instead of getting a coercion.
 * Unknown fields are dropped, never rejected: seed clients send extras.
 */
public final class PayloadSpec {

  private final List<Field> fields;
  private final List<Function<ObjectNode, List<FieldProblem>>> checks;

  private PayloadSpec(List<Field> fields, List<Function<ObjectNode, List<FieldProblem>>> checks) {
    this.fields = List.copyOf(fields);
    this.checks = List.copyOf(checks);
  }

  /** A spec with the given fields and no cross-field checks. */
  public static PayloadSpec of(Field... fields) {
    return new PayloadSpec(List.of(fields), List.of());
  }

  /** A copy that also runs {@code check} on the normalized payload when every field is valid. */
  public PayloadSpec withCheck(Function<ObjectNode, List<FieldProblem>> check) {
    List<Function<ObjectNode, List<FieldProblem>>> all = new ArrayList<>(checks);
    all.add(check);
    return new PayloadSpec(fields, all);
  }

  /** The field rules, in declaration order. */
  public List<Field> fields() {
    return fields;
  }

  /**
   * Validates a payload object.
   *
   * @return the normalized payload (known fields only, defaults filled in) or the list of problems
   */
  public Result validate(JsonNode payload) {
    List<FieldProblem> problems = new ArrayList<>();
    ObjectNode normalized = JsonNodeFactory.instance.objectNode();
    for (Field field : fields) {
      JsonNode value = payload.get(field.name());
      if (value == null || value.isNull()) {
        if (field.isRequired()) {
          problems.add(new FieldProblem(field.name(), "is required"));
        } else if (field.defaultValue() != null) {
          normalized.set(field.name(), field.defaultValue());
        }
        continue;
      }
      int before = problems.size();
      field.check(value, problems);
      if (problems.size() == before) {
        normalized.set(field.name(), field.normalize(value));
      }
    }
    if (problems.isEmpty()) {
      for (var check : checks) {
        problems.addAll(check.apply(normalized));
      }
    }
    return problems.isEmpty() ? new Result(normalized, List.of()) : new Result(null, Collections.unmodifiableList(problems));
  }

  /**
   * Outcome of {@link #validate}.
   *
   * @param payload the normalized payload, or {@code null} when invalid
   * @param problems every problem found; empty when valid
   */
  public record Result(ObjectNode payload, List<FieldProblem> problems) {
    /** Whether the payload passed every rule. */
    public boolean valid() {
      return problems.isEmpty();
    }
  }
}
