package io.neurograph.contracts.graph;

import static io.neurograph.contracts.messages.ServerMessageType.Kind.EVENT;
import static io.neurograph.contracts.messages.ServerMessageType.Kind.REPLY;

import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.Route;
import io.neurograph.contracts.messages.ServerMessageType;
import io.neurograph.contracts.validation.Field;
import io.neurograph.contracts.validation.PayloadSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** Graph message types (owned by graph-service) and their field rules. */
public final class GraphMessages {

  /** Largest edge {@code metadata} object, as compact UTF-8 JSON. */
  public static final int MAX_METADATA_BYTES = 16 * 1024;
  /** Longest edge type. */
  public static final int MAX_TYPE_LENGTH = 50;
  /** Deepest {@code graph.path} search, in edges. */
  public static final int MAX_PATH_DEPTH = 10;
  /** Most paths one {@code graph.path} returns. */
  public static final int MAX_PATHS = 100;
  /** Most edges one {@code graph.neighbors} returns. */
  public static final int MAX_NEIGHBORS = 1000;

  private static final Field TOKEN_ID = Field.uuid("token_id").required().describedAs("Token UUID.");
  private static final Field SOURCE_ID = Field.uuid("source_id").required().describedAs("Source token UUID.");
  private static final Field TARGET_ID = Field.uuid("target_id").required().describedAs("Target token UUID.");
  private static final Field TYPE = Field.string("type").range(1, MAX_TYPE_LENGTH);

  /** {@code graph.connect}. */
  public static final RequestType<GraphConnect> CONNECT =
      new RequestType<>("graph.connect", GraphConnect.class,
          PayloadSpec.of(
                  SOURCE_ID,
                  TARGET_ID,
                  TYPE.orDefault("generic"),
                  Field.number("weight").range(0, 1).orDefault(1.0),
                  Field.bool("bidirectional").orDefault(false),
                  Field.number("decay_rate").min(0).orDefault(0.0),
                  Field.object("metadata").maxBytes(MAX_METADATA_BYTES).orDefault(Map.of()))
              .withCheck(GraphMessages::distinctEnds),
          Route.GRAPH, true, List.of("graph.connected"), "Connect two existing tokens with an edge.");

  /** {@code graph.neighbors}. */
  public static final RequestType<GraphNeighbors> NEIGHBORS =
      new RequestType<>("graph.neighbors", GraphNeighbors.class,
          PayloadSpec.of(
              TOKEN_ID,
              Field.oneOf("direction", "incoming", "outgoing", "both").orDefault("both"),
              TYPE,
              Field.integer("limit").range(1, MAX_NEIGHBORS).orDefault(100)),
          Route.GRAPH, false, List.of("graph.neighbors"), "A token's edges, oldest first.");

  /** {@code graph.disconnect}. */
  public static final RequestType<GraphDisconnect> DISCONNECT =
      new RequestType<>("graph.disconnect", GraphDisconnect.class,
          PayloadSpec.of(Field.uuid("connection_id").required().describedAs("Edge UUID.")),
          Route.GRAPH, true, List.of("graph.disconnected"), "Remove an edge.");

  /** {@code graph.path}. */
  public static final RequestType<GraphPath> PATH =
      new RequestType<>("graph.path", GraphPath.class,
          PayloadSpec.of(
              SOURCE_ID,
              TARGET_ID,
              Field.integer("max_depth").range(1, MAX_PATH_DEPTH).orDefault(5),
              Field.integer("limit").range(1, MAX_PATHS).orDefault(10)),
          Route.GRAPH, false, List.of("graph.path"), "Paths between two tokens, shortest first.");

  /** {@code graph.degree}. */
  public static final RequestType<GraphDegree> DEGREE =
      new RequestType<>("graph.degree", GraphDegree.class, PayloadSpec.of(TOKEN_ID),
          Route.GRAPH, false, List.of("graph.degree"), "How many edges end and start at a token.");

  /** {@code graph.stats}. */
  public static final RequestType<GraphStats> STATS =
      new RequestType<>("graph.stats", GraphStats.class, PayloadSpec.of(),
          Route.GRAPH, false, List.of("graph.stats"), "Size and density of the whole graph.");

  /** Requests clients may send. */
  public static final List<RequestType<?>> REQUESTS = List.of(CONNECT, NEIGHBORS, DISCONNECT, PATH, DEGREE, STATS);

  /** Server messages: replies and the events fanned out on {@code graph} and both ends' {@code token:<id>}. */
  public static final List<ServerMessageType<?>> SERVER =
      List.of(
          new ServerMessageType<>("graph.connected", Edge.class, Set.of(REPLY, EVENT), "An edge was created."),
          new ServerMessageType<>("graph.neighbors", GraphNeighborsResult.class, Set.of(REPLY), "A token's edges."),
          new ServerMessageType<>("graph.disconnected", GraphDisconnected.class, Set.of(REPLY, EVENT),
              "An edge was removed."),
          new ServerMessageType<>("graph.path", GraphPathResult.class, Set.of(REPLY), "Paths, shortest first."),
          new ServerMessageType<>("graph.degree", GraphDegreeResult.class, Set.of(REPLY), "A token's degree."),
          new ServerMessageType<>("graph.stats", GraphStatsResult.class, Set.of(REPLY), "Whole-graph numbers."));

  private GraphMessages() {}

  private static List<FieldProblem> distinctEnds(ObjectNode connect) {
    if (connect.get("source_id").stringValue().equalsIgnoreCase(connect.get("target_id").stringValue())) {
      return List.of(new FieldProblem("target_id", "must differ from source_id"));
    }
    return List.of();
  }
}
