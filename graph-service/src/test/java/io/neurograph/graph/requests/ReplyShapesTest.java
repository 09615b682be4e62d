package io.neurograph.graph.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.Edge;
import io.neurograph.contracts.graph.GraphDegreeResult;
import io.neurograph.contracts.graph.GraphDisconnected;
import io.neurograph.contracts.graph.GraphNeighborsResult;
import io.neurograph.contracts.graph.GraphPathResult;
import io.neurograph.contracts.graph.GraphStatsResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records this service replies with serialize to exactly the contract's golden payloads. */
class ReplyShapesTest {

  private static final Map<String, Class<?>> REPLIES = Map.of(
      ServerTypes.GRAPH_CONNECTED, Edge.class,
      ServerTypes.GRAPH_DISCONNECTED, GraphDisconnected.class,
      ServerTypes.GRAPH_NEIGHBORS, GraphNeighborsResult.class,
      ServerTypes.GRAPH_DEGREE, GraphDegreeResult.class,
      ServerTypes.GRAPH_STATS, GraphStatsResult.class,
      ServerTypes.GRAPH_PATH, GraphPathResult.class);

  @Test
  void everyReplyRecordRoundTripsToItsGoldenPayload() {
    REPLIES.forEach((type, record) -> {
      var golden = Json.parse(GoldenSamples.server(type)).get("payload");

      Reply reply = Reply.of(type, Json.convert(golden, record));

      assertThat(reply.type()).isEqualTo(type);
      // Through text, as on the wire: an int 1 and a long 1 are different tree nodes.
      assertThat(Json.parse(Json.write(reply.payload()))).as(type).isEqualTo(golden);
    });
  }

  @Test
  void everyRepliedTypeIsCovered() {
    assertThat(REPLIES).hasSize(6);
  }
}
