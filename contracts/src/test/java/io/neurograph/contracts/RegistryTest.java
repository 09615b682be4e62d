package io.neurograph.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.contracts.kafka.ClientTopics;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.ServerMessageType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RegistryTest {

  private static java.util.Set<String> goldenNames(String folder) throws IOException, URISyntaxException {
    Path dir = Path.of(GoldenSamples.class.getResource("/io/neurograph/contracts/golden/" + folder).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString().replaceFirst("\\.json$", "")).collect(Collectors.toSet());
    }
  }

  @Test
  void goldenSamplesAndRegistryDescribeTheSameMessages() throws Exception {
    assertThat(goldenNames("client"))
        .containsExactlyInAnyOrderElementsOf(MessageRegistry.requests().stream().map(RequestType::name).toList());
    assertThat(goldenNames("server"))
        .containsExactlyInAnyOrderElementsOf(
            MessageRegistry.serverMessages().stream().map(ServerMessageType::name).toList());
  }

  @Test
  void everyReplyTypeNamedByARequestIsAServerMessage() {
    for (RequestType<?> request : MessageRegistry.requests()) {
      for (String reply : request.replyTypes()) {
        assertThat(MessageRegistry.server(reply)).as(request.name() + " -> " + reply).isPresent();
      }
    }
  }

  @Test
  void noJavaClassNameReachesTheWire() {
    for (RequestType<?> t : MessageRegistry.requests()) {
      assertThat(t.name()).matches("[a-z]+(\\.[a-z_]+)*");
    }
    for (ServerMessageType<?> t : MessageRegistry.serverMessages()) {
      assertThat(t.name()).matches("[a-z]+(\\.[a-z_]+)*");
    }
  }

  @Test
  void clientTopicsAreExactNamesOrTokenIds() {
    assertThat(ClientTopics.canonical("tokens")).contains("tokens");
    assertThat(ClientTopics.canonical("system")).contains("system");
    assertThat(ClientTopics.canonical("token:3F1C2A9E-8B7D-4C6E-9A51-2D4B6F8E0C17"))
        .contains("token:3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");
    assertThat(ClientTopics.canonical("token:123")).isEmpty();
    assertThat(ClientTopics.canonical("Tokens")).isEmpty();
    assertThat(ClientTopics.canonical("graph-ish")).isEmpty();
    assertThat(ClientTopics.forTokenEvent("3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17"))
        .containsExactly("tokens", "token:3f1c2a9e-8b7d-4c6e-9a51-2d4b6f8e0c17");
  }

  @Test
  void kafkaTopicNamesFollowThePrefix() {
    Topics topics = new Topics("acme");
    assertThat(topics.tokenCommands()).isEqualTo("acme.tokens.commands");
    assertThat(topics.tokenEvents()).isEqualTo("acme.tokens.events");
    assertThat(topics.gatewayReplies()).isEqualTo("acme.gateway.replies");
    assertThat(Topics.deadLetter(topics.tokenCommands())).isEqualTo("acme.tokens.commands-dlt");
    assertThat(Topics.defaults().tokenEvents()).isEqualTo("neurograph.tokens.events");
  }
}
