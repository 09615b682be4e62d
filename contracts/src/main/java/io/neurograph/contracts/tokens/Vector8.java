package io.neurograph.contracts.tokens;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.List;

/**
 * One axis of a token across the eight semantic spaces: index i is space L(i+1) (L1 physical, L2
 * sensory, L3 motor, L4 emotional, L5 cognitive, L6 social, L7 temporal, L8 abstract).
 */
public record Vector8(List<Double> values) {

  /** Number of semantic spaces. */
  public static final int SIZE = 8;

  /** All zeros, the default. */
  public static final Vector8 ZERO = new Vector8(Collections.nCopies(SIZE, 0.0));

  /** Requires exactly eight finite numbers. */
  public Vector8 {
    if (values == null || values.size() != SIZE) {
      throw new IllegalArgumentException("a coordinate vector has exactly 8 numbers");
    }
    for (Double v : values) {
      if (v == null || !Double.isFinite(v)) {
        throw new IllegalArgumentException("coordinates must be finite numbers");
      }
    }
    values = List.copyOf(values);
  }

  /** Binds the JSON array form. */
  @JsonCreator
  public static Vector8 of(List<Double> values) {
    return new Vector8(values);
  }

  /** The vector from a primitive array. */
  public static Vector8 of(double... values) {
    return new Vector8(java.util.Arrays.stream(values).boxed().toList());
  }

  /** The value in space L(level+1). */
  public double at(int level) {
    return values.get(level);
  }

  /** The JSON array form. */
  @JsonValue
  public List<Double> asList() {
    return values;
  }

  /** A primitive copy, for storage. */
  public double[] toArray() {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
