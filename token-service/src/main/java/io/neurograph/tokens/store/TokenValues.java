package io.neurograph.tokens.store;

import io.neurograph.contracts.tokens.Vector8;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/** The client-settable fields of a token: what a create writes and an update replaces. */
public record TokenValues(
    String type, Vector8 coordX, Vector8 coordY, Vector8 coordZ, long flags, double weight, ObjectNode metadata) {

  /** Requires every field; validation of ranges happened at the contract boundary. */
  public TokenValues {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(coordX, "coord_x");
    Objects.requireNonNull(coordY, "coord_y");
    Objects.requireNonNull(coordZ, "coord_z");
    Objects.requireNonNull(metadata, "metadata");
  }
}
