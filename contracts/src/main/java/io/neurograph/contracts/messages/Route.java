package io.neurograph.contracts.messages;

/** Who answers a client request. */
public enum Route {
  /** The gateway itself (ping, subscriptions, auth). */
  GATEWAY,
  /** token-service, through the token command topic. */
  TOKENS,
  /** graph-service, through the graph command topic. */
  GRAPH
}
