package io.neurograph.graph.commands;

import io.neurograph.contracts.graph.ConnectionId;
import io.neurograph.contracts.graph.GraphConnect;
import io.neurograph.contracts.tokens.TokenId;
import java.util.LinkedHashSet;
import java.util.Set;

/** The pure decision of a {@code graph.connect} against the projection and the existing edges. */
sealed interface ConnectDecision {

  /** Insert the edge. */
  record Insert() implements ConnectDecision {}

  /** These tokens do not exist (the projection has caught up before the decision). */
  record NotFound(Set<TokenId> missing, String message) implements ConnectDecision {}

  /** An edge with the same source, target and type exists. */
  record Conflict(ConnectionId existing) implements ConnectDecision {}

  /**
   * Decides a connect.
   *
   * @param live the connect's end tokens that the projection knows as live (and this transaction share-locked)
   * @param existing the id of the edge with the same (source, target, type), or {@code null}
   */
  static ConnectDecision decide(GraphConnect connect, Set<TokenId> live, ConnectionId existing) {
    Set<TokenId> missing = new LinkedHashSet<>();
    if (!live.contains(connect.sourceId())) {
      missing.add(connect.sourceId());
    }
    if (!live.contains(connect.targetId())) {
      missing.add(connect.targetId());
    }
    if (!missing.isEmpty()) {
      return new NotFound(missing, notFoundMessage(connect, missing));
    }
    if (existing != null) {
      return new Conflict(existing);
    }
    return new Insert();
  }

  /** Names the missing end(s). */
  static String notFoundMessage(GraphConnect connect, Set<TokenId> missing) {
    boolean source = missing.contains(connect.sourceId());
    boolean target = missing.contains(connect.targetId());
    if (source && target) {
      return "Source token " + connect.sourceId() + " and target token " + connect.targetId() + " not found";
    }
    return source ? "Source token " + connect.sourceId() + " not found"
        : "Target token " + connect.targetId() + " not found";
  }

  /** The CONFLICT message, naming the existing edge. */
  static String conflictMessage(GraphConnect connect, ConnectionId existing) {
    return "Connection " + existing + " already connects " + connect.sourceId() + " to " + connect.targetId()
        + " with type " + connect.type();
  }
}
