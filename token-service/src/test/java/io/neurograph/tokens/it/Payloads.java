package io.neurograph.tokens.it;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.tokens.TokenCreate;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.contracts.tokens.TokenUpdate;
import io.neurograph.contracts.tokens.Vector8;
import tools.jackson.databind.node.ObjectNode;

/** Request payloads built from the contract records. */
public final class Payloads {

  private Payloads() {}

  /** A JSON object from text. */
  public static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json);
  }

  /** A create like the golden sample, with the given id and type. */
  public static TokenCreate create(TokenId id, String type) {
    return new TokenCreate(id, type,
        Vector8.of(1.0, 0, 0, 0, 0, 0, 0, 0),
        Vector8.of(0, 0.5, 0, 0, 0, 0, 0, 0),
        Vector8.of(0, 0, 0, 0, 0, 0, 0, -2.25),
        3, 1.5, object("{\"tags\":[\"a\",\"b\"],\"source\":\"golden\"}"));
  }

  /** A create whose coordinates in space L(level+1) are (x, y, z) and 0 elsewhere. */
  public static TokenCreate createAt(TokenId id, String type, int level, double x, double y, double z) {
    double[] xs = new double[8];
    double[] ys = new double[8];
    double[] zs = new double[8];
    xs[level] = x;
    ys[level] = y;
    zs[level] = z;
    return new TokenCreate(id, type, Vector8.of(xs), Vector8.of(ys), Vector8.of(zs), 0, 1.0, object("{}"));
  }

  /** An update of the weight only. */
  public static TokenUpdate weight(TokenId id, double weight, Long expectedVersion) {
    return new TokenUpdate(id, null, weight, null, null, null, null, null, expectedVersion);
  }
}
