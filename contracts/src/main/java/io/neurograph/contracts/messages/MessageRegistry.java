package io.neurograph.contracts.messages;

import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.system.SystemMessages;
import io.neurograph.contracts.tokens.TokenMessages;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Every message type of the protocol, by logical name: what clients may send and what the server sends. */
public final class MessageRegistry {

  private static final Map<String, RequestType<?>> REQUESTS =
      index(Stream.of(SystemMessages.REQUESTS, TokenMessages.REQUESTS, GraphMessages.REQUESTS), RequestType::name);
  private static final Map<String, ServerMessageType<?>> SERVER =
      index(Stream.of(SystemMessages.SERVER, TokenMessages.SERVER, GraphMessages.SERVER), ServerMessageType::name);

  private MessageRegistry() {}

  private static <T> Map<String, T> index(
      Stream<List<? extends T>> groups, java.util.function.Function<T, String> name) {
    Map<String, T> map = new LinkedHashMap<>();
    groups.flatMap(List::stream).forEach(t -> {
      if (map.put(name.apply(t), t) != null) {
        throw new IllegalStateException("message type registered twice: " + name.apply(t));
      }
    });
    return java.util.Collections.unmodifiableMap(map);
  }

  /** The client request type with this name, if clients may send it. */
  public static Optional<RequestType<?>> request(String name) {
    return Optional.ofNullable(REQUESTS.get(name));
  }

  /** The server message type with this name. */
  public static Optional<ServerMessageType<?>> server(String name) {
    return Optional.ofNullable(SERVER.get(name));
  }

  /** All client request types, in protocol order. */
  public static Collection<RequestType<?>> requests() {
    return REQUESTS.values();
  }

  /** All server message types, in protocol order. */
  public static Collection<ServerMessageType<?>> serverMessages() {
    return SERVER.values();
  }
}
