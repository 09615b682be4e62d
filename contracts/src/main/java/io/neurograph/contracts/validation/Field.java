package io.neurograph.contracts.validation;

import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One field rule of a payload: its name, shape, bounds and default. Immutable; each modifier returns a
 * copy, so rules read like the protocol table: {@code Field.string("type").length(1, 50).orDefault("default")}.
 */
public final class Field {

  private static final Pattern UUID_TEXT =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private final String name;
  private final FieldKind kind;
  private final boolean required;
  private final JsonNode defaultValue;
  private final Double min;
  private final Double max;
  private final Integer maxBytes;
  private final List<String> allowed;
  private final String description;

  private Field(
      String name,
      FieldKind kind,
      boolean required,
      JsonNode defaultValue,
      Double min,
      Double max,
      Integer maxBytes,
      List<String> allowed,
      String description) {
    this.name = Objects.requireNonNull(name);
    this.kind = Objects.requireNonNull(kind);
    this.required = required;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.maxBytes = maxBytes;
    this.allowed = allowed;
    this.description = description;
  }

  private static Field of(String name, FieldKind kind) {
    return new Field(name, kind, false, null, null, null, null, List.of(), null);
  }

  /** A string field. */
  public static Field string(String name) {
    return of(name, FieldKind.STRING);
  }

  /** A UUID string field. */
  public static Field uuid(String name) {
    return of(name, FieldKind.UUID);
  }

  /** An integer field. */
  public static Field integer(String name) {
    return of(name, FieldKind.INTEGER);
  }

  /** A finite number field. */
  public static Field number(String name) {
    return of(name, FieldKind.NUMBER);
  }

  /** A boolean field. */
  public static Field bool(String name) {
    return of(name, FieldKind.BOOLEAN);
  }

  /** A JSON object field. */
  public static Field object(String name) {
    return of(name, FieldKind.OBJECT);
  }

  /** An array of exactly eight finite numbers. */
  public static Field vector8(String name) {
    return of(name, FieldKind.VECTOR8);
  }

  /** An {@code {x, y, z}} object of finite numbers. */
  public static Field point3(String name) {
    return of(name, FieldKind.POINT3);
  }

  /** A string restricted to the given values. */
  public static Field oneOf(String name, String... values) {
    return new Field(name, FieldKind.ENUM, false, null, null, null, null, List.of(values), null);
  }

  /** Marks the field as required: absent or {@code null} is a problem. */
  public Field required() {
    return new Field(name, kind, true, null, min, max, maxBytes, allowed, description);
  }

  /** The value used when the field is absent or {@code null}. */
  public Field orDefault(Object value) {
    return new Field(name, kind, false, Json.tree(value), min, max, maxBytes, allowed, description);
  }

  /** Inclusive lower bound (numbers), or minimum length in code points (strings). */
  public Field min(double value) {
    return new Field(name, kind, required, defaultValue, value, max, maxBytes, allowed, description);
  }

  /** Inclusive upper bound (numbers), or maximum length in code points (strings). */
  public Field max(double value) {
    return new Field(name, kind, required, defaultValue, min, value, maxBytes, allowed, description);
  }

  /** Inclusive range: numbers by value, strings by length. */
  public Field range(double low, double high) {
    return min(low).max(high);
  }

  /** Maximum size of the field's compact JSON encoding in UTF-8 bytes. */
  public Field maxBytes(int bytes) {
    return new Field(name, kind, required, defaultValue, min, max, bytes, allowed, description);
  }

  /** A one-line description, used in generated documentation and schemas. */
  public Field describedAs(String text) {
    return new Field(name, kind, required, defaultValue, min, max, maxBytes, allowed, text);
  }

  /** The payload key. */
  public String name() {
    return name;
  }

  /** The expected JSON shape. */
  public FieldKind kind() {
    return kind;
  }

  /** Whether absence is a problem. */
  public boolean isRequired() {
    return required;
  }

  /** The default, or {@code null} when absence leaves the field out. */
  public JsonNode defaultValue() {
    return defaultValue == null ? null : defaultValue.deepCopy();
  }

  /** Lower bound or minimum length, or {@code null}. */
  public Double minimum() {
    return min;
  }

  /** Upper bound or maximum length, or {@code null}. */
  public Double maximum() {
    return max;
  }

  /** Maximum encoded size in bytes, or {@code null}. */
  public Integer maxEncodedBytes() {
    return maxBytes;
  }

  /** Allowed values of an {@link FieldKind#ENUM} field. */
  public List<String> allowedValues() {
    return allowed;
  }

  /** The one-line description, or {@code null}. */
  public String description() {
    return description;
  }

  /** Checks a present, non-null value and appends any problems. */
  void check(JsonNode value, List<FieldProblem> problems) {
    switch (kind) {
      case STRING -> checkString(value, problems);
      case UUID -> {
        if (!value.isString() || !UUID_TEXT.matcher(value.stringValue()).matches()) {
          problems.add(new FieldProblem(name, "must be a UUID string"));
        }
      }
      case INTEGER -> checkInteger(value, problems);
      case NUMBER -> checkNumber(name, value, problems, true);
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          problems.add(new FieldProblem(name, "must be true or false"));
        }
      }
      case OBJECT -> checkObject(value, problems);
      case VECTOR8 -> checkVector(value, problems);
      case POINT3 -> checkPoint(value, problems);
      case ENUM -> {
        if (!value.isString() || !allowed.contains(value.stringValue())) {
          problems.add(new FieldProblem(name, "must be one of " + String.join(", ", allowed)));
        }
      }
    }
  }

  private void checkString(JsonNode value, List<FieldProblem> problems) {
    if (!value.isString()) {
      problems.add(new FieldProblem(name, "must be a string"));
      return;
    }
    String text = value.stringValue();
    if (text.indexOf('\0') >= 0) {
      problems.add(new FieldProblem(name, "must not contain the NUL character"));
      return;
    }
    int length = text.codePointCount(0, text.length());
    if ((min != null && length < min) || (max != null && length > max)) {
      problems.add(new FieldProblem(name, "must be " + lengthBounds() + " characters long"));
    }
  }

  private String lengthBounds() {
    if (min != null && max != null) {
      return min.intValue() + ".." + max.intValue();
    }
    return min != null ? "at least " + min.intValue() : "at most " + max.intValue();
  }

  private void checkInteger(JsonNode value, List<FieldProblem> problems) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      problems.add(new FieldProblem(name, "must be an integer" + boundsText()));
      return;
    }
    long v = value.longValue();
    if ((min != null && v < min) || (max != null && v > max)) {
      problems.add(new FieldProblem(name, "must be an integer" + boundsText()));
    }
  }

  private boolean checkNumber(String field, JsonNode value, List<FieldProblem> problems, boolean bounded) {
    if (!isFiniteNumber(value)) {
      problems.add(new FieldProblem(field, "must be a finite number" + (bounded ? boundsText() : "")));
      return false;
    }
    double v = value.doubleValue();
    if (bounded && ((min != null && v < min) || (max != null && v > max))) {
      problems.add(new FieldProblem(field, "must be a finite number" + boundsText()));
      return false;
    }
    return true;
  }

  private String boundsText() {
    if (min != null && max != null) {
      return " in " + format(min) + ".." + format(max);
    }
    if (min != null) {
      return " >= " + format(min);
    }
    return max != null ? " <= " + format(max) : "";
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private void checkObject(JsonNode value, List<FieldProblem> problems) {
    if (!value.isObject()) {
      problems.add(new FieldProblem(name, "must be a JSON object"));
      return;
    }
    if (maxBytes != null && encodedSize(value) > maxBytes) {
      problems.add(new FieldProblem(name, "must be at most " + maxBytes + " bytes as JSON"));
    } else if (containsNul(value)) {
      // PostgreSQL (and many other stores) cannot hold U+0000 in text or jsonb.
      problems.add(new FieldProblem(name, "must not contain the NUL character"));
    }
  }

  private static boolean containsNul(JsonNode node) {
    if (node.isString()) {
      return node.stringValue().indexOf('\0') >= 0;
    }
    if (node.isObject()) {
      for (var entry : node.properties()) {
        if (entry.getKey().indexOf('\0') >= 0 || containsNul(entry.getValue())) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        if (containsNul(element)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A number a double can hold. An integer literal beyond the double range (over 308 digits) is a
   * BigIntegerNode whose {@code doubleValue()} throws; the fallback makes it simply not finite.
   */
  private static boolean isFiniteNumber(JsonNode value) {
    return value.isNumber() && Double.isFinite(value.doubleValue(Double.NaN));
  }

  /** Compact UTF-8 JSON size of a node. */
  public static int encodedSize(JsonNode value) {
    return Json.write(value).getBytes(StandardCharsets.UTF_8).length;
  }

  private void checkVector(JsonNode value, List<FieldProblem> problems) {
    boolean ok = value.isArray() && value.size() == 8;
    if (ok) {
      for (JsonNode element : value) {
        if (!isFiniteNumber(element)) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) {
      problems.add(new FieldProblem(name, "must be an array of exactly 8 finite numbers"));
    }
  }

  private void checkPoint(JsonNode value, List<FieldProblem> problems) {
    if (!value.isObject()) {
      problems.add(new FieldProblem(name, "must be an object {x, y, z} of finite numbers"));
      return;
    }
    for (String axis : List.of("x", "y", "z")) {
      JsonNode component = value.get(axis);
      if (component == null || component.isNull()) {
        problems.add(new FieldProblem(name + "." + axis, "is required"));
      } else {
        checkNumber(name + "." + axis, component, problems, false);
      }
    }
  }

  /** A copy of a present value keeping only what the rule defines (point components), for binding. */
  JsonNode normalize(JsonNode value) {
    if (kind == FieldKind.POINT3) {
      var point = JsonNodeFactory.instance.objectNode();
      for (String axis : List.of("x", "y", "z")) {
        point.set(axis, value.get(axis));
      }
      return point;
    }
    return value;
  }
}
