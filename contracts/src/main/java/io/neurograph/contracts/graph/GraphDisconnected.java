package io.neurograph.contracts.graph;

import io.neurograph.contracts.tokens.TokenId;

/**
 * {@code graph.disconnected}: reply and event after an edge was removed.
 *
 * @param reason (ext) {@code requested} (a {@code graph.disconnect}) or {@code token_deleted}
 */
public record GraphDisconnected(ConnectionId connectionId, TokenId sourceId, TokenId targetId, String reason) {

  /** Reason of a removal asked for by {@code graph.disconnect}. */
  public static final String REQUESTED = "requested";
  /** Reason of a removal caused by deleting one of the edge's tokens. */
  public static final String TOKEN_DELETED = "token_deleted";
}
