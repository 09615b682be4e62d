package io.neurograph.contracts.schema;

import static io.neurograph.contracts.schema.ContractDocuments.clientMessage;
import static io.neurograph.contracts.schema.ContractDocuments.obj;
import static io.neurograph.contracts.schema.ContractDocuments.ref;
import static io.neurograph.contracts.schema.ContractDocuments.serverMessage;

import io.neurograph.contracts.GoldenSamples;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.ClientTopics;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.ServerMessageType;
import io.neurograph.contracts.system.ConnectionEstablished;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The AsyncAPI 3.0.0 document: the WebSocket channel and the Kafka topics, schemas embedded. */
final class AsyncApiDocument {

  static final String WEBSOCKET = "websocket";
  private static final Topics TOPICS = Topics.defaults();
  private static final String KAFKA_BINDING = "0.5.0";

  private final ObjectNode root = obj();
  private final ObjectNode channels;
  private final ObjectNode operations;
  private final ObjectNode messages;

  private AsyncApiDocument(Map<String, ObjectNode> schemas) {
    root.put("asyncapi", "3.0.0");
    root.put("id", "urn:io:neurograph:platform");
    ObjectNode info = root.putObject("info");
    info.put("title", "NeuroGraph platform");
    info.put("version", ConnectionEstablished.PROTOCOL);
    info.put("description", "The NeuroGraph WebSocket protocol (client <-> gateway at /ws) and the Kafka "
        + "topics behind it (commands, replies, events). Generated from the contracts module and checked "
        + "against it by its tests; the prose is docs/protocol.md, the analytics guide docs/analytics.md. "
        + "The operations are the platform's view: it receives client requests and sends server messages. "
        + "Every topic name starts with neurograph.kafka.topic-prefix (default neurograph).");
    root.put("defaultContentType", "application/json");
    ObjectNode servers = root.putObject("servers");
    servers.putObject("gateway").put("host", "localhost:8000").put("protocol", "ws")
        .put("description", "A gateway instance (server.port, default 8000). In auth mode jwt pass a bearer "
            + "JWT as the Authorization header or the access_token query parameter, or send auth within "
            + "auth-deadline.");
    servers.putObject("kafka").put("host", "localhost:9092").put("protocol", "kafka")
        .put("description", "The Kafka cluster (spring.kafka.bootstrap-servers). Values are UTF-8 JSON, "
            + "snake_case; header values are UTF-8 strings.");
    channels = root.putObject("channels");
    operations = root.putObject("operations");
    ObjectNode components = root.putObject("components");
    ObjectNode schemaSection = components.putObject("schemas");
    schemas.forEach(schemaSection::set);
    messages = components.putObject("messages");
  }

  static String render(Map<String, ObjectNode> schemas) {
    AsyncApiDocument doc = new AsyncApiDocument(schemas);
    doc.webSocket();
    doc.kafka();
    return ContractDocuments.yaml(doc.root);
  }

  // ---- WebSocket ----------------------------------------------------------------------------------

  private void webSocket() {
    ObjectNode channel = channels.putObject(WEBSOCKET);
    channel.put("address", "/ws");
    channel.put("title", "NeuroGraph WebSocket");
    channel.put("description", "One JSON envelope per text frame, both directions. The first server message "
        + "is connection.established. Client topics for subscribe: " + String.join(", ", ClientTopics.TOKENS,
            ClientTopics.GRAPH, ClientTopics.SYSTEM, ClientTopics.TOKEN_PREFIX + "<token_id>") + ".");
    channel.putArray("servers").add(obj().put("$ref", "#/servers/gateway"));
    ObjectNode query = obj().put("type", "object");
    ObjectNode params = query.putObject("properties");
    params.putObject("client_id").put("type", "string").put("pattern", "^[A-Za-z0-9._:@-]{1,128}$")
        .put("description", "Names the client and scopes idempotency keys; made up when absent.");
    params.putObject("access_token").put("type", "string")
        .put("description", "Auth mode jwt: the bearer JWT, for clients that cannot set headers.");
    ObjectNode headers = obj().put("type", "object");
    headers.putObject("properties").putObject("Authorization").put("type", "string")
        .put("pattern", "^Bearer .+$").put("description", "Auth mode jwt: Bearer <jwt>.");
    ObjectNode ws = channel.putObject("bindings").putObject("ws");
    ws.put("method", "GET");
    ws.set("query", query);
    ws.set("headers", headers);
    ws.put("bindingVersion", "0.1.0");
    ObjectNode channelMessages = channel.putObject("messages");

    for (RequestType<?> type : MessageRegistry.requests()) {
      String id = clientMessage(type.name());
      channelMessages.set(id, obj().put("$ref", "#/components/messages/" + id));
      ObjectNode message = message(type.name(), type.description(), id, GoldenSamples.client(type.name()));
      messages.set(id, message);
    }
    for (ServerMessageType<?> type : MessageRegistry.serverMessages()) {
      String id = serverMessage(type.name());
      channelMessages.set(id, obj().put("$ref", "#/components/messages/" + id));
      messages.set(id, message(type.name(), type.description(), id, GoldenSamples.server(type.name())));
    }

    for (RequestType<?> type : MessageRegistry.requests()) {
      ObjectNode operation = operation("receive", WEBSOCKET, clientMessage(type.name()),
          "Client request " + type.name() + ": " + type.description());
      ObjectNode reply = operation.putObject("reply");
      reply.set("channel", obj().put("$ref", "#/channels/" + WEBSOCKET));
      ArrayNode replies = reply.putArray("messages");
      List<String> replyTypes = new ArrayList<>(type.replyTypes());
      replyTypes.add("error");
      replyTypes.forEach(r -> replies.add(channelMessage(WEBSOCKET, serverMessage(r))));
      operations.set("receive." + type.name(), operation);
    }
    for (ServerMessageType<?> type : MessageRegistry.serverMessages()) {
      operations.set("send." + type.name(), operation("send", WEBSOCKET, serverMessage(type.name()),
          "Server message " + type.name() + ": " + type.description()));
    }
  }

  private static ObjectNode message(String name, String summary, String schema, String golden) {
    ObjectNode message = obj();
    message.put("name", name);
    message.put("title", name);
    message.put("summary", summary);
    message.put("contentType", "application/json");
    message.set("payload", ref(schema));
    message.putArray("examples").addObject().put("name", "golden").set("payload", Json.parse(golden));
    return message;
  }

  // ---- Kafka --------------------------------------------------------------------------------------

  private void kafka() {
    messages.set("kafka.command", kafkaMessage("command", "CommandMessage",
        "A validated client request for the owning service.",
        headers(KafkaHeaderNames.MESSAGE_TYPE, "The request type.",
            KafkaHeaderNames.REQUEST_ID, "The client's request id.",
            KafkaHeaderNames.CLIENT_ID, "The client id of the connection.",
            KafkaHeaderNames.REPLY_TO, "Gateway instance id the reply goes to.",
            KafkaHeaderNames.TRACEPARENT, "W3C trace context of the request, when it had one."),
        List.of(KafkaHeaderNames.MESSAGE_TYPE, KafkaHeaderNames.REQUEST_ID, KafkaHeaderNames.CLIENT_ID,
            KafkaHeaderNames.REPLY_TO),
        key("The entity the command is about: token_id (token commands), source_id or token_id (graph "
            + "commands), connection_id (graph.disconnect); no key for token.list, token.count, token.search "
            + "and graph.stats.", true),
        GoldenSamples.kafka("command")));
    messages.set("kafka.reply", kafkaMessage("reply", "ReplyMessage",
        "The answer to one command.",
        headers(KafkaHeaderNames.MESSAGE_TYPE, "The reply's server message type.",
            KafkaHeaderNames.REQUEST_ID, "The client's request id.",
            KafkaHeaderNames.CONTENT_TYPE, "application/json",
            KafkaHeaderNames.TRACEPARENT, "The command's trace context, when it had one."),
        List.of(KafkaHeaderNames.MESSAGE_TYPE, KafkaHeaderNames.REQUEST_ID, KafkaHeaderNames.CONTENT_TYPE),
        key("The gateway instance id (the command's reply_to).", false),
        GoldenSamples.kafka("reply")));
    ObjectNode eventHeaders = headers(
        KafkaHeaderNames.CE_ID, "CloudEvents id: the event_id.",
        KafkaHeaderNames.CE_TYPE, "CloudEvents type: the event type, e.g. token.created.",
        KafkaHeaderNames.CE_SOURCE, "CloudEvents source: the emitting service.",
        KafkaHeaderNames.CE_SPEC_VERSION, "CloudEvents spec version.",
        KafkaHeaderNames.CE_TIME, "CloudEvents time (RFC 3339): occurred_at.",
        KafkaHeaderNames.CE_SUBJECT, "CloudEvents subject: the subject (absent on system events).",
        KafkaHeaderNames.CONTENT_TYPE, "application/json",
        KafkaHeaderNames.TRACEPARENT, "W3C trace context of the command that caused it, when it had one.");
    ((ObjectNode) eventHeaders.get("properties").get(KafkaHeaderNames.CE_SPEC_VERSION))
        .put("const", KafkaHeaderNames.CE_SPEC_VERSION_VALUE);
    ((ObjectNode) eventHeaders.get("properties").get(KafkaHeaderNames.CONTENT_TYPE))
        .put("const", "application/json");
    List<String> eventRequired = List.of(KafkaHeaderNames.CE_ID, KafkaHeaderNames.CE_TYPE,
        KafkaHeaderNames.CE_SOURCE, KafkaHeaderNames.CE_SPEC_VERSION, KafkaHeaderNames.CE_TIME,
        KafkaHeaderNames.CONTENT_TYPE);
    messages.set("kafka.event.tokens", kafkaMessage("token-event", "EventMessage",
        "A token event: token.created, token.updated or token.deleted.", eventHeaders.deepCopy(), eventRequired,
        key("The token id: all events of one token are in one partition, in order.", false),
        GoldenSamples.kafka("event")));
    messages.set("kafka.event.graph", kafkaMessage("graph-event", "EventMessage",
        "A graph event: graph.connected or graph.disconnected; subject is the connection_id.",
        eventHeaders.deepCopy(), eventRequired,
        key("The edge's source_id: all events of one edge are in one partition, in order.", false), null));
    messages.set("kafka.event.system", kafkaMessage("system-event", "EventMessage",
        "An operator message: system.broadcast or system.message.", eventHeaders.deepCopy(), eventRequired,
        key("The client topic of a system.message, or broadcast.", false), null));
    ObjectNode dead = obj();
    dead.put("name", "dead-letter");
    dead.put("title", "dead letter");
    dead.put("summary", "A record its consumer could not read: key and value unchanged (the value may not be "
        + "JSON), plus Spring Kafka's kafka_dlt-* headers naming the exception.");
    dead.set("payload", obj().put("description", "The original value, unchanged."));
    messages.set("kafka.dead-letter", dead);

    kafkaChannel("tokenCommands", TOPICS.tokenCommands(), "kafka.command",
        "Token commands and queries from the gateway to token-service.");
    kafkaChannel("tokenCommandsDlt", Topics.deadLetter(TOPICS.tokenCommands()), "kafka.dead-letter",
        "Token command records token-service could not read.");
    kafkaChannel("tokenEvents", TOPICS.tokenEvents(), "kafka.event.tokens",
        "Token events, keyed by token id (token-service's outbox relay).");
    kafkaChannel("tokenEventsDlt", Topics.deadLetter(TOPICS.tokenEvents()), "kafka.dead-letter",
        "Token events graph-service's projection could not read.");
    kafkaChannel("graphCommands", TOPICS.graphCommands(), "kafka.command",
        "Graph commands and queries from the gateway to graph-service.");
    kafkaChannel("graphCommandsDlt", Topics.deadLetter(TOPICS.graphCommands()), "kafka.dead-letter",
        "Graph command records graph-service could not read.");
    kafkaChannel("graphEvents", TOPICS.graphEvents(), "kafka.event.graph",
        "Graph events, keyed by the edge's source_id (graph-service's outbox relay).");
    kafkaChannel("gatewayReplies", TOPICS.gatewayReplies(), "kafka.reply",
        "Replies from the services to the gateway instance named by the key.");
    kafkaChannel("systemEvents", TOPICS.systemEvents(), "kafka.event.system",
        "(ext) Operator messages from any gateway instance to the clients of all instances.");

    kafkaOperation("send", "tokenCommands", "kafka.command", "The gateway sends token commands.");
    kafkaOperation("receive", "tokenCommands", "kafka.command", "token-service applies token commands.");
    kafkaOperation("send", "graphCommands", "kafka.command", "The gateway sends graph commands.");
    kafkaOperation("receive", "graphCommands", "kafka.command", "graph-service applies graph commands.");
    kafkaOperation("send", "gatewayReplies", "kafka.reply", "token-service and graph-service answer commands.");
    kafkaOperation("receive", "gatewayReplies", "kafka.reply", "Each gateway instance reads its replies.");
    kafkaOperation("send", "tokenEvents", "kafka.event.tokens", "token-service publishes token events.");
    kafkaOperation("receive", "tokenEvents", "kafka.event.tokens",
        "The gateway fans token events out; graph-service projects them; analytics consumers read them.");
    kafkaOperation("send", "graphEvents", "kafka.event.graph", "graph-service publishes graph events.");
    kafkaOperation("receive", "graphEvents", "kafka.event.graph",
        "The gateway fans graph events out; analytics consumers read them.");
    kafkaOperation("send", "systemEvents", "kafka.event.system", "A gateway publishes an operator message.");
    kafkaOperation("receive", "systemEvents", "kafka.event.system", "Every gateway delivers operator messages.");
    kafkaOperation("send", "tokenCommandsDlt", "kafka.dead-letter", "token-service parks unreadable commands.");
    kafkaOperation("send", "graphCommandsDlt", "kafka.dead-letter", "graph-service parks unreadable commands.");
    kafkaOperation("send", "tokenEventsDlt", "kafka.dead-letter",
        "graph-service parks token events its projection could not read.");
  }

  private static ObjectNode kafkaMessage(String name, String schema, String summary, ObjectNode headers,
      List<String> requiredHeaders, ObjectNode key, String golden) {
    ObjectNode message = obj();
    message.put("name", name);
    message.put("title", name);
    message.put("summary", summary);
    message.put("contentType", "application/json");
    headers.set("required", ContractDocuments.strings(requiredHeaders));
    message.set("headers", headers);
    message.set("payload", ref(schema));
    ObjectNode kafka = message.putObject("bindings").putObject("kafka");
    kafka.set("key", key);
    kafka.put("bindingVersion", KAFKA_BINDING);
    if (golden != null) {
      message.putArray("examples").addObject().put("name", "golden").set("payload", Json.parse(golden));
    }
    return message;
  }

  private static ObjectNode headers(String... nameDescriptionPairs) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (int i = 0; i < nameDescriptionPairs.length; i += 2) {
      pairs.put(nameDescriptionPairs[i], nameDescriptionPairs[i + 1]);
    }
    ObjectNode schema = obj().put("type", "object")
        .put("description", "Kafka record headers; values are UTF-8 strings.");
    ObjectNode properties = schema.putObject("properties");
    pairs.forEach((name, description) -> {
      ObjectNode header = properties.putObject(name).put("type", "string").put("description", description);
      if (name.equals(KafkaHeaderNames.TRACEPARENT)) {
        header.put("pattern", ContractDocuments.TRACEPARENT_PATTERN);
      }
    });
    return schema;
  }

  private static ObjectNode key(String description, boolean nullable) {
    ObjectNode key = obj().put("description", description);
    if (nullable) {
      key.set("type", ContractDocuments.strings(List.of("string", "null")));
    } else {
      key.put("type", "string");
    }
    return key;
  }

  private void kafkaChannel(String id, String topic, String message, String description) {
    ObjectNode channel = channels.putObject(id);
    channel.put("address", topic);
    channel.put("title", topic);
    channel.put("description", description + (topic.equals(TOPICS.systemEvents())
        ? " One partition when the gateway creates it, so operator messages keep one order."
        : " Partitions: neurograph.kafka.partitions (default 6) when a service creates the topic."));
    channel.putArray("servers").add(obj().put("$ref", "#/servers/kafka"));
    channel.putObject("messages").set(message, obj().put("$ref", "#/components/messages/" + message));
    channel.putObject("bindings").putObject("kafka").put("topic", topic).put("bindingVersion", KAFKA_BINDING);
  }

  private void kafkaOperation(String action, String channel, String message, String description) {
    operations.set(action + "." + channel, operation(action, channel, message, description));
  }

  private static ObjectNode operation(String action, String channel, String message, String summary) {
    ObjectNode operation = obj();
    operation.put("action", action);
    operation.set("channel", obj().put("$ref", "#/channels/" + channel));
    operation.put("summary", summary);
    operation.putArray("messages").add(channelMessage(channel, message));
    return operation;
  }

  private static ObjectNode channelMessage(String channel, String message) {
    return obj().put("$ref", "#/channels/" + channel + "/messages/" + message);
  }
}
