package io.neurograph.graph.requests;

/** Server message type names this service answers with (checked against the contract registry in tests). */
public final class ServerTypes {

  /** Reply and event after a connect. */
  public static final String GRAPH_CONNECTED = "graph.connected";
  /** Reply and event after a disconnect, and event after a deletion removed an edge. */
  public static final String GRAPH_DISCONNECTED = "graph.disconnected";
  /** Reply to a neighbors query. */
  public static final String GRAPH_NEIGHBORS = "graph.neighbors";
  /** Reply to a degree query. */
  public static final String GRAPH_DEGREE = "graph.degree";
  /** Reply to a stats query. */
  public static final String GRAPH_STATS = "graph.stats";
  /** Reply to a path query. */
  public static final String GRAPH_PATH = "graph.path";

  private ServerTypes() {}
}
