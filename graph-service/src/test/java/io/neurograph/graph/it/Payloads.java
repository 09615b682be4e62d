package io.neurograph.graph.it;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.Direction;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.graph.GraphDisconnect;
import io.neurograph.contracts.graph.GraphNeighbors;
import io.neurograph.contracts.tokens.TokenId;
import tools.jackson.databind.node.ObjectNode;

/** Request payloads built from the contract records. */
public final class Payloads {

  private Payloads() {}

  /** A JSON object from text. */
  public static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json);
  }

  /** A connect like the golden sample, between the given tokens and with the given type. */
  public static GraphConnect connect(TokenId source, TokenId target, String type) {
    return new GraphConnect(source, target, type, 0.75, true, 0.01, object("{\"source\":\"golden\",\"n\":1}"));
  }

  /** A disconnect. */
  public static GraphDisconnect disconnect(ConnectionId id) {
    return new GraphDisconnect(id);
  }

  /** A neighbors query. */
  public static GraphNeighbors neighbors(TokenId token, Direction direction, String type, int limit) {
    return new GraphNeighbors(token, direction, type, limit);
  }
}
