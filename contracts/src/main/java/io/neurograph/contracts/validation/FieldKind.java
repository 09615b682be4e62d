package io.neurograph.contracts.validation;

/** The JSON shape a payload field must have. */
public enum FieldKind {
  /** A JSON string, length counted in Unicode code points. */
  STRING,
  /** A string holding a UUID in canonical 8-4-4-4-12 hex form. */
  UUID,
  /** A JSON integer (no fraction, no exponent that leaves one), within a long. */
  INTEGER,
  /** A finite JSON number. */
  NUMBER,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** A JSON object with arbitrary content. */
  OBJECT,
  /** An array of exactly 8 finite numbers: one axis across the eight semantic spaces. */
  VECTOR8,
  /** An object {@code {x, y, z}} of finite numbers. */
  POINT3,
  /** A string from a fixed set. */
  ENUM
}
