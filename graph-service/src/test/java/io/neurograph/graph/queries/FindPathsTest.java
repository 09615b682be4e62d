package io.neurograph.graph.queries;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.graph.GraphPath;
import io.neurograph.contracts.tokens.TokenId;
import io.neurograph.graph.path.PathResult;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FindPathsTest {

  @Test
  void aSearchResultBecomesTheGoldenReplyPayload() {
    var golden = Json.parse(GoldenSamples.server("graph.path")).get("payload");
    var query = Json.convert(Json.parse(GoldenSamples.client("graph.path")).get("payload"), GraphPath.class);
    List<UUID> path = List.of(
        UUID.fromString("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17"),
        UUID.fromString("8a2b4c6d-1e3f-4a5b-9c7d-0e1f2a3b4c5d"),
        UUID.fromString("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"));

    var result = FindPaths.result(query, new PathResult(List.of(path), false));

    assertThat(Json.tree(result)).isEqualTo(golden);
  }

  @Test
  void noPathIsAnEmptyListAndTruncationIsPassedOn() {
    var query = new GraphPath(TokenId.random(), TokenId.random(), 3, 10);

    var result = FindPaths.result(query, new PathResult(List.of(), true));

    assertThat(result.paths()).isEmpty();
    assertThat(result.count()).isZero();
    assertThat(result.truncated()).isTrue();
    assertThat(result.sourceId()).isEqualTo(query.sourceId());
  }
}
