package io.neurograph.contracts.schema;

import io.neurograph.contracts.ErrorCode;
import io.neurograph.contracts.Json;
import io.neurograph.contracts.codec.ClientFrameDecoder;
import io.neurograph.contracts.graph.GraphDisconnected;
import io.neurograph.contracts.graph.GraphMessages;
import io.neurograph.contracts.messages.MessageRegistry;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.Route;
import io.neurograph.contracts.messages.ServerMessageType;
import io.neurograph.contracts.system.ConnectionEstablished;
import io.neurograph.contracts.tokens.TokenMessages;
import io.neurograph.contracts.validation.Field;
import io.neurograph.contracts.validation.FieldKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Builds the published contract documents from the contracts themselves: one JSON Schema (draft 2020-12)
 * per message and Kafka record value, and the AsyncAPI 3 document that embeds the same schemas. Request
 * payload schemas are derived from each type's {@code PayloadSpec}; server payload schemas are written
 * here once and checked against the payload records and the golden samples by the tests.
 * {@code ContractDocumentsTest} fails when the committed files differ from what this class builds.
 */
public final class ContractDocuments {

  /** Where the documents live in the contracts jar. */
  public static final String RESOURCE_ROOT = "neurograph/";

  /** W3C trace-context {@code traceparent}, version 00. */
  public static final String TRACEPARENT_PATTERN = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$";

  static final String UUID_PATTERN =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
  static final String NO_NUL_PATTERN = "^[^\\u0000]*$";
  private static final String REF_PREFIX = "#/components/schemas/";
  private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * Rules the gateway enforces that JSON Schema cannot state, per request type; each payload schema's
   * description lists them, and the invalid corpus has a case for each.
   */
  static final Map<String, List<String>> NOT_EXPRESSIBLE = Map.of(
      "token.create", List.of(metadataRule(TokenMessages.MAX_METADATA_BYTES)),
      "token.update", List.of(metadataRule(TokenMessages.MAX_METADATA_BYTES)),
      "token.search", List.of("min must not be greater than max on any axis (checked by the gateway, "
          + "not expressible in JSON Schema)"),
      "graph.connect", List.of(metadataRule(GraphMessages.MAX_METADATA_BYTES),
          "target_id must differ from source_id, compared case-insensitively (checked by the gateway, "
              + "not expressible in JSON Schema)"));

  private final Map<String, ObjectNode> components = new LinkedHashMap<>();

  private ContractDocuments() {}

  static String metadataRule(int bytes) {
    return "metadata must be at most " + bytes + " bytes as compact UTF-8 JSON (an operator may set a lower "
        + "limit, neurograph.gateway.max-metadata-size) and must not contain U+0000 anywhere (checked by the "
        + "gateway, not expressible in JSON Schema)";
  }

  /** Builds every document. */
  public static Map<String, String> build() {
    ContractDocuments docs = new ContractDocuments();
    docs.shared();
    docs.envelopes();
    for (RequestType<?> type : MessageRegistry.requests()) {
      docs.request(type);
    }
    for (ServerMessageType<?> type : MessageRegistry.serverMessages()) {
      docs.server(type);
    }
    docs.unions();
    docs.kafka();

    Map<String, String> files = new TreeMap<>();
    docs.schemaFile(files, "envelope/client", "ClientEnvelope");
    docs.schemaFile(files, "envelope/server", "ServerEnvelope");
    docs.schemaFile(files, "client-message", "ClientMessage");
    docs.schemaFile(files, "server-message", "ServerMessage");
    for (RequestType<?> type : MessageRegistry.requests()) {
      docs.schemaFile(files, "client/" + type.name(), clientMessage(type.name()));
    }
    for (ServerMessageType<?> type : MessageRegistry.serverMessages()) {
      docs.schemaFile(files, "server/" + type.name(), serverMessage(type.name()));
    }
    docs.schemaFile(files, "kafka/command", "CommandMessage");
    docs.schemaFile(files, "kafka/reply", "ReplyMessage");
    docs.schemaFile(files, "kafka/event", "EventMessage");
    files.put(RESOURCE_ROOT + "asyncapi.yaml", docs.asyncApi());
    return files;
  }

  /** Component name of a client request's full message schema. */
  static String clientMessage(String type) {
    return "client." + type;
  }

  /** Component name of a server message's full message schema. */
  static String serverMessage(String type) {
    return "server." + type;
  }

  /** The event types that travel on Kafka event topics: subscription deliveries plus broadcasts. */
  static List<String> eventTypes() {
    List<String> types = new ArrayList<>();
    for (ServerMessageType<?> type : MessageRegistry.serverMessages()) {
      if (type.kinds().contains(ServerMessageType.Kind.EVENT) || type.name().equals("system.broadcast")) {
        types.add(type.name());
      }
    }
    return types;
  }

  // ---- shared pieces ------------------------------------------------------------------------------

  private void shared() {
    put("Uuid", obj().put("type", "string").put("pattern", UUID_PATTERN)
        .put("description", "A UUID in 8-4-4-4-12 hex form; the server writes lower case."));
    put("Instant", obj().put("type", "string").put("format", "date-time")
        .put("description", "ISO-8601 UTC timestamp (RFC 3339), microsecond precision where the database "
            + "sets it."));
    put("Vector8", vector8()
        .put("description", "One axis across the eight semantic spaces: index i is space L(i+1) (L1 physical, "
            + "L2 sensory, L3 motor, L4 emotional, L5 cognitive, L6 social, L7 temporal, L8 abstract)."));
    put("Metadata", obj().put("type", "object")
        .put("description", "Free-form JSON object, at most 16 KiB as compact UTF-8 JSON."));
    put("Token", object("The full token: payload of token.created and token.updated, element of token.search.",
        props(
            "token_id", ref("Uuid"),
            "type", string(1, TokenMessages.MAX_TYPE_LENGTH),
            "coord_x", ref("Vector8"),
            "coord_y", ref("Vector8"),
            "coord_z", ref("Vector8"),
            "flags", integer(0, null),
            "weight", number(0.0, null),
            "metadata", ref("Metadata"),
            "created_at", ref("Instant"),
            "updated_at", ref("Instant"),
            "version", integer(1, null)),
        "token_id", "type", "coord_x", "coord_y", "coord_z", "flags", "weight", "metadata", "created_at",
        "updated_at", "version"));
    put("TokenSummary", object("One row of a token.list page.",
        props("token_id", ref("Uuid"), "type", string(1, TokenMessages.MAX_TYPE_LENGTH),
            "weight", number(0.0, null), "created_at", ref("Instant")),
        "token_id", "type", "weight", "created_at"));
    put("Edge", object("The full edge (\"connection\"): payload of graph.connected.",
        props(
            "connection_id", ref("Uuid"),
            "source_id", ref("Uuid"),
            "target_id", ref("Uuid"),
            "type", string(1, GraphMessages.MAX_TYPE_LENGTH),
            "weight", number(0.0, 1.0),
            "bidirectional", obj().put("type", "boolean"),
            "decay_rate", number(0.0, null),
            "metadata", ref("Metadata"),
            "created_at", ref("Instant")),
        "connection_id", "source_id", "target_id", "type", "weight", "bidirectional", "decay_rate", "metadata",
        "created_at"));
    put("Neighbor", object("One edge of a graph.neighbors reply.",
        props("connection_id", ref("Uuid"), "source_id", ref("Uuid"), "target_id", ref("Uuid"),
            "type", string(1, GraphMessages.MAX_TYPE_LENGTH), "weight", number(0.0, 1.0)),
        "connection_id", "source_id", "target_id", "type", "weight"));
    ObjectNode codes = obj().put("type", "string").put("description", "Machine-readable error code.");
    ArrayNode values = codes.putArray("enum");
    Arrays.stream(ErrorCode.values()).forEach(code -> values.add(code.name()));
    put("ErrorCode", codes);
    put("FieldProblem", object("One validation problem.",
        props("field", obj().put("type", "string").put("description", "Payload field, dotted path."),
            "problem", obj().put("type", "string")),
        "field", "problem"));
  }

  private void envelopes() {
    ObjectNode client = object(
        "Envelope of every client frame (one JSON object per WebSocket text frame). Unknown fields are "
            + "ignored. The gateway answers a frame that breaks these rules with error INVALID_ENVELOPE "
            + "(UNKNOWN_TYPE for a type clients may not send).",
        props(
            "id", nullable(obj().put("type", "string").put("minLength", 1)
                .put("maxLength", ClientFrameDecoder.MAX_ID_LENGTH)
                .put("description", "Request id and idempotency key within the client_id; the server assigns "
                    + "one when absent. At most " + ClientFrameDecoder.MAX_ID_LENGTH + " UTF-16 code units "
                    + "(a character outside the Basic Multilingual Plane counts twice; JSON Schema counts "
                    + "code points, so the gateway is stricter there).")),
            "type", obj().put("type", "string").put("minLength", 1).put("description", "The request type."),
            "payload", obj().put("type", "object").put("description", "The type's payload."),
            "timestamp", nullable(obj().put("type", "integer").put("description", "Epoch milliseconds.")),
            "sender_id", obj().put("description", "Ignored (kept for the original clients)."),
            "traceparent", traceparent("(ext) W3C trace context of the request; the server puts it on the "
                + "reply. A value that does not match is not used.")),
        "type", "payload");
    put("ClientEnvelope", client);

    ObjectNode server = object(
        "Envelope of every server frame. Fields may be added (additively); clients ignore what they do "
            + "not know.",
        props(
            "id", obj().put("type", "string").put("description", "Fresh per frame."),
            "type", obj().put("type", "string").put("description", "The server message type."),
            "payload", obj().put("type", "object"),
            "timestamp", obj().put("type", "integer").put("description", "Epoch milliseconds."),
            "sender_id", obj().put("type", "null").put("description", "Always null."),
            "correlation_id", obj().put("type", "string")
                .put("description", "(ext) On a direct reply: the id of the request it answers."),
            "topic", obj().put("type", "string")
                .put("description", "(ext) On a subscription delivery: the client topic."),
            "cursor", obj().put("type", "string")
                .put("description", "(ext) On a subscription delivery: opaque resume position after it."),
            "event_id", obj().put("type", "string")
                .put("description", "(ext) On a delivery of a Kafka event: the event's id, the same on every "
                    + "gateway instance and replay; drop an event_id already seen."),
            "traceparent", traceparent("(ext) W3C trace context: on a reply, the request's; on a delivery, "
                + "the event's, when it had one.")),
        "id", "type", "payload", "timestamp", "sender_id");
    put("ServerEnvelope", server);
  }

  private void request(RequestType<?> type) {
    ObjectNode payload = obj().put("type", "object");
    StringBuilder description = new StringBuilder(type.description())
        .append(" Answered by ").append(route(type.route()))
        .append(type.changesState() ? "; a command, deduplicated by request id." : "; a query.")
        .append(" Replies: ").append(String.join(", ", type.replyTypes())).append(".")
        .append(" Unknown fields are ignored; null means absent.");
    if (type.spec().fields().stream().anyMatch(f -> f.kind() == FieldKind.INTEGER)) {
      description.append(" Write integers as integer literals (10, not 10.0 or 1e1): JSON Schema counts 10.0 as "
          + "an integer; the gateway wants an integer literal.");
    }
    for (String rule : NOT_EXPRESSIBLE.getOrDefault(type.name(), List.of())) {
      description.append(" Also: ").append(rule).append(".");
    }
    payload.put("description", description.toString());
    ObjectNode properties = payload.putObject("properties");
    List<String> required = new ArrayList<>();
    for (Field field : type.spec().fields()) {
      properties.set(field.name(), field(field));
      if (field.isRequired()) {
        required.add(field.name());
      }
    }
    if (!required.isEmpty()) {
      ArrayNode list = payload.putArray("required");
      required.forEach(list::add);
    }
    if (type == TokenMessages.UPDATE) {
      // At least one field to change: present and not null (null means absent).
      ArrayNode anyOf = payload.putArray("anyOf");
      for (String name : List.of("type", "weight", "flags", "metadata", "coord_x", "coord_y", "coord_z")) {
        ObjectNode alternative = anyOf.addObject();
        alternative.putArray("required").add(name);
        alternative.putObject("properties").putObject(name).putObject("not").put("type", "null");
      }
    }
    put(type.name() + ".payload", payload);
    put(clientMessage(type.name()), message(ref("ClientEnvelope"), type.name(), type.name() + ".payload",
        "Client request " + type.name() + ". " + type.description(), List.of()));
  }

  private static String route(Route route) {
    return switch (route) {
      case GATEWAY -> "the gateway";
      case TOKENS -> "token-service";
      case GRAPH -> "graph-service";
    };
  }

  /** The schema of one field rule; optional fields also accept null (null means absent). */
  private static ObjectNode field(Field field) {
    ObjectNode schema = switch (field.kind()) {
      case STRING -> {
        ObjectNode s = obj().put("type", "string").put("pattern", NO_NUL_PATTERN);
        if (field.minimum() != null) {
          s.put("minLength", field.minimum().intValue());
        }
        if (field.maximum() != null) {
          s.put("maxLength", field.maximum().intValue());
        }
        yield s;
      }
      case UUID -> obj().put("type", "string").put("pattern", UUID_PATTERN);
      case INTEGER -> integer(field.minimum() == null ? null : field.minimum().longValue(),
          field.maximum() == null ? null : field.maximum().longValue());
      case NUMBER -> number(field.minimum(), field.maximum());
      case BOOLEAN -> obj().put("type", "boolean");
      case OBJECT -> obj().put("type", "object");
      case VECTOR8 -> vector8();
      case POINT3 -> object(null, props("x", number(null, null), "y", number(null, null), "z", number(null, null)),
          "x", "y", "z");
      case ENUM -> {
        ObjectNode s = obj().put("type", "string");
        ArrayNode values = s.putArray("enum");
        field.allowedValues().forEach(values::add);
        yield s;
      }
    };
    if (!field.isRequired()) {
      schema = nullable(schema);
    }
    StringBuilder description = new StringBuilder();
    if (field.description() != null) {
      description.append(field.description());
    }
    if (field.maxEncodedBytes() != null) {
      description.append(description.isEmpty() ? "" : " ")
          .append("At most ").append(field.maxEncodedBytes()).append(" bytes as compact UTF-8 JSON.");
    }
    if (field.kind() == FieldKind.STRING) {
      description.append(description.isEmpty() ? "" : " ").append("Length in code points; no U+0000.");
    }
    if (!description.isEmpty()) {
      schema.put("description", description.toString());
    }
    if (field.defaultValue() != null) {
      schema.set("default", field.defaultValue());
    }
    return schema;
  }

  private void server(ServerMessageType<?> type) {
    ObjectNode payload = switch (type.name()) {
      case "connection.established" -> object("First message of every connection.",
          props("connection_id", obj().put("type", "string"),
              "client_id", obj().put("type", "string"),
              "timestamp", obj().put("type", "integer").put("description", "Epoch milliseconds."),
              "heartbeat_interval_ms", integer(0, null).put("description", "(ext)"),
              "idle_timeout_ms", integer(0, null).put("description", "(ext)"),
              "protocol", obj().put("const", ConnectionEstablished.PROTOCOL).put("description", "(ext)")),
          "connection_id", "client_id", "timestamp", "heartbeat_interval_ms", "idle_timeout_ms", "protocol");
      case "pong" -> object("Answer to ping.", props("message_id", obj().put("type", "string")
          .put("description", "The ping's id.")), "message_id");
      case "subscribed" -> object("Answer to subscribe.",
          props("topic", obj().put("type", "string"),
              "success", obj().put("const", true),
              "cursor", obj().put("type", "string").put("description", "Live delivery starts after it; with "
                  + "resumed true, the since cursor."),
              "resumed", obj().put("type", "boolean").put("description", "Present when since was given.")),
          "topic", "success");
      case "unsubscribed" -> object("Answer to unsubscribe.",
          props("topic", obj().put("type", "string"), "success", obj().put("const", true)), "topic", "success");
      case "authenticated" -> object("Answer to auth.",
          props("subject", obj().put("type", "string"),
              "expires_at", obj().set("type", F.arrayNode().add("integer").add("null"))),
          "subject", "expires_at");
      case "error" -> object("A request was refused or failed. Never closes the connection by itself.",
          props("code", ref("ErrorCode"),
              "message", obj().put("type", "string").put("description", "For humans."),
              "original_message_id", obj().put("type", "string"),
              "details", array(ref("FieldProblem")).put("description", "For VALIDATION_FAILED."),
              "retry_after_ms", integer(0, null).put("description", "For RATE_LIMITED.")),
          "code", "message");
      case "system.broadcast", "system.message" -> obj().put("type", "object")
          .put("description", "The JSON object an operator posted (at most 64 KiB).");
      case "token.created", "token.updated" -> ref("Token");
      case "token.data" -> object("The reply to token.get, original (nested) shape.",
          props("token_id", ref("Uuid"), "type", string(1, TokenMessages.MAX_TYPE_LENGTH),
              "weight", number(0.0, null), "flags", integer(0, null),
              "coordinates", object(null, props("x", ref("Vector8"), "y", ref("Vector8"), "z", ref("Vector8")),
                  "x", "y", "z"),
              "metadata", ref("Metadata"), "created_at", ref("Instant"), "updated_at", ref("Instant"),
              "version", integer(1, null)),
          "token_id", "type", "weight", "flags", "coordinates", "metadata", "created_at", "updated_at",
          "version");
      case "token.not_found" -> object("token.get named an unknown token.", props("token_id", ref("Uuid")),
          "token_id");
      case "token.list" -> object("A page of tokens in (created_at, token_id) order.",
          props("tokens", array(ref("TokenSummary")),
              "count", integer(0, (long) TokenMessages.MAX_LIMIT).put("description", "Tokens in this page."),
              "offset", integer(0, null),
              "total", integer(0, null).put("description", "(ext) Tokens matching the filter.")),
          "tokens", "count", "offset", "total");
      case "token.deleted" -> object("A token was deleted.", props("token_id", ref("Uuid")), "token_id");
      case "token.count" -> object("A token count.",
          props("count", integer(0, null),
              "type", obj().set("type", F.arrayNode().add("string").add("null"))),
          "count", "type");
      case "token.search" -> object("Tokens inside a box, by (created_at, token_id).",
          props("tokens", array(ref("Token")), "count", integer(0, (long) TokenMessages.MAX_LIMIT)),
          "tokens", "count");
      case "graph.connected" -> ref("Edge");
      case "graph.neighbors" -> object("A token's edges, oldest first.",
          props("token_id", ref("Uuid"),
              "direction", obj().put("type", "string").set("enum",
                  F.arrayNode().add("incoming").add("outgoing").add("both")),
              "neighbors", array(ref("Neighbor")),
              "count", integer(0, (long) GraphMessages.MAX_NEIGHBORS),
              "total", integer(0, null).put("description", "(ext) Edges matching the query.")),
          "token_id", "direction", "neighbors", "count", "total");
      case "graph.disconnected" -> object("An edge was removed.",
          props("connection_id", ref("Uuid"), "source_id", ref("Uuid"), "target_id", ref("Uuid"),
              "reason", obj().put("type", "string").set("enum",
                  F.arrayNode().add(GraphDisconnected.REQUESTED).add(GraphDisconnected.TOKEN_DELETED))),
          "connection_id", "source_id", "target_id", "reason");
      case "graph.path" -> object("Simple paths from source to target, shortest first.",
          props("source_id", ref("Uuid"), "target_id", ref("Uuid"),
              "paths", array(array(ref("Uuid"))),
              "count", integer(0, (long) GraphMessages.MAX_PATHS),
              "truncated", obj().put("type", "boolean").put("description", "(ext) The search hit its work "
                  + "bound; longer paths may exist.")),
          "source_id", "target_id", "paths", "count", "truncated");
      case "graph.degree" -> object("How many edges end and start at a token.",
          props("token_id", ref("Uuid"), "in_degree", integer(0, null), "out_degree", integer(0, null),
              "total_degree", integer(0, null)),
          "token_id", "in_degree", "out_degree", "total_degree");
      case "graph.stats" -> object("Whole-graph numbers.",
          props("total_nodes", integer(0, null), "total_edges", integer(0, null),
              "avg_degree", number(0.0, null).put("description", "2 x edges / tokens."),
              "density", number(0.0, null).put("description", "edges / (tokens x (tokens - 1)).")),
          "total_nodes", "total_edges", "avg_degree", "density");
      default -> throw new IllegalStateException("no schema for server message " + type.name()
          + ": add one to ContractDocuments");
    };
    String payloadName = type.name() + ".reply";
    if (payload.has("$ref")) {
      payloadName = payload.get("$ref").stringValue().substring(REF_PREFIX.length());
    } else {
      put(payloadName, payload);
    }
    List<String> required = type.kinds().equals(Set.of(ServerMessageType.Kind.EVENT))
        ? List.of("topic", "cursor") : List.of();
    put(serverMessage(type.name()), message(ref("ServerEnvelope"), type.name(), payloadName,
        "Server message " + type.name() + " (" + kinds(type) + "). " + type.description(), required));
  }

  private static String kinds(ServerMessageType<?> type) {
    List<String> names = new ArrayList<>();
    for (ServerMessageType.Kind kind : ServerMessageType.Kind.values()) {
      if (type.kinds().contains(kind)) {
        names.add(switch (kind) {
          case REPLY -> "reply, with correlation_id";
          case EVENT -> "subscription delivery, with topic and cursor";
          case NOTICE -> "unprompted";
        });
      }
    }
    return String.join("; ", names);
  }

  private void unions() {
    ObjectNode client = obj().put("description", "Any frame a client may send.");
    ArrayNode clientAlternatives = client.putArray("oneOf");
    MessageRegistry.requests().forEach(t -> clientAlternatives.add(ref(clientMessage(t.name()))));
    put("ClientMessage", client);
    ObjectNode server = obj().put("description", "Any frame the server sends.");
    ArrayNode serverAlternatives = server.putArray("oneOf");
    MessageRegistry.serverMessages().forEach(t -> serverAlternatives.add(ref(serverMessage(t.name()))));
    put("ServerMessage", server);
  }

  private void kafka() {
    ObjectNode command = object("Value of a command record: a validated, normalized client request on its way "
            + "to the owning service.",
        props("command_id", obj().put("type", "string").put("description", "Idempotency key "
                + "<client_id>/<request id>."),
            "type", requestTypeEnum(),
            "request_id", obj().put("type", "string"),
            "client_id", obj().put("type", "string"),
            "principal", obj().put("type", "string").put("description", "The JWT sub in auth mode jwt; absent "
                + "in mode none."),
            "reply_to", obj().put("type", "string").put("description", "Gateway instance id: the reply "
                + "record's key."),
            "reply_key", obj().put("type", "string"),
            "issued_at", ref("Instant"),
            "payload", obj().put("type", "object").put("description", "The request payload with defaults filled "
                + "in (token.create always names token_id).")),
        "command_id", "type", "request_id", "client_id", "reply_to", "reply_key", "issued_at", "payload");
    ArrayNode byType = command.putArray("allOf");
    for (RequestType<?> type : MessageRegistry.requests()) {
      if (type.route() != Route.GATEWAY) {
        byType.add(when("type", type.name(), "payload", ref(type.name() + ".payload")));
      }
    }
    put("CommandMessage", command);

    ObjectNode reply = object("Value of a reply record: the answer to one command, for the gateway instance "
            + "named by the key.",
        props("reply_key", obj().put("type", "string"),
            "request_id", obj().put("type", "string"),
            "command_id", obj().put("type", "string"),
            "type", obj().put("type", "string").put("description", "Server message type."),
            "payload", obj().put("type", "object").put("description", "Exactly the client payload of type.")),
        "reply_key", "request_id", "command_id", "type", "payload");
    ArrayNode replyTypes = reply.putArray("allOf");
    Set<String> serviceReplies = new LinkedHashSet<>();
    for (RequestType<?> type : MessageRegistry.requests()) {
      if (type.route() != Route.GATEWAY) {
        serviceReplies.addAll(type.replyTypes());
      }
    }
    serviceReplies.add("error");
    for (String type : serviceReplies) {
      replyTypes.add(when("type", type, "payload", payloadOf(type)));
    }
    put("ReplyMessage", reply);

    ObjectNode event = object("Value of an event record on neurograph.tokens.events, neurograph.graph.events "
            + "and neurograph.system.events. Readable by any Kafka consumer; published at least once, so drop "
            + "an event_id already seen.",
        props("event_id", obj().put("type", "string").put("description", "Unique per event; kept on "
                + "re-publication. Also the ce_id header."),
            "type", obj().put("type", "string").set("enum", strings(eventTypes())),
            "version", obj().put("type", "integer").put("minimum", 1)
                .put("description", "Schema version of data for this type (1)."),
            "occurred_at", ref("Instant"),
            "source", obj().put("type", "string").put("description", "Emitting service, e.g. "
                + "neurograph/token-service."),
            "subject", obj().put("type", "string").put("description", "Token id, connection id, or the client "
                + "topic of a system.message; absent on system.broadcast."),
            "correlation_id", obj().put("type", "string").put("description", "Client request id of the "
                + "command that caused it, when there was one."),
            "data", obj().put("type", "object").put("description", "Exactly the payload clients receive for "
                + "type.")),
        "event_id", "type", "version", "occurred_at", "source", "data");
    ArrayNode eventTypes = event.putArray("allOf");
    for (String type : eventTypes()) {
      eventTypes.add(when("type", type, "data", payloadOf(type)));
    }
    put("EventMessage", event);
  }

  private ObjectNode payloadOf(String serverType) {
    ObjectNode message = components.get(serverMessage(serverType));
    return (ObjectNode) message.get("allOf").get(1).get("properties").get("payload").deepCopy();
  }

  private static ObjectNode requestTypeEnum() {
    List<String> names = new ArrayList<>();
    MessageRegistry.requests().stream().filter(t -> t.route() != Route.GATEWAY).forEach(t -> names.add(t.name()));
    return obj().put("type", "string").set("enum", strings(names));
  }

  private static ObjectNode when(String discriminator, String value, String field, ObjectNode schema) {
    ObjectNode rule = obj();
    rule.putObject("if").putObject("properties").putObject(discriminator).put("const", value);
    rule.putObject("then").putObject("properties").set(field, schema);
    return rule;
  }

  private static ObjectNode message(ObjectNode envelope, String type, String payload, String description,
      List<String> required) {
    ObjectNode schema = obj().put("description", description);
    ArrayNode allOf = schema.putArray("allOf");
    allOf.add(envelope);
    ObjectNode specific = allOf.addObject();
    ObjectNode properties = specific.putObject("properties");
    properties.putObject("type").put("const", type);
    properties.set("payload", ref(payload));
    if (!required.isEmpty()) {
      specific.set("required", strings(required));
    }
    return schema;
  }

  // ---- output -------------------------------------------------------------------------------------

  private void schemaFile(Map<String, String> files, String path, String component) {
    ObjectNode root = obj().put("$schema", DRAFT).put("title", component);
    ObjectNode body = components.get(component).deepCopy();
    root.setAll(body);
    Map<String, ObjectNode> defs = new TreeMap<>();
    collect(body, defs);
    if (!defs.isEmpty()) {
      ObjectNode container = root.putObject("$defs");
      defs.forEach(container::set);
    }
    rewriteRefs(root);
    files.put(RESOURCE_ROOT + "schemas/" + path + ".json", Json.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(root) + "\n");
  }

  private void collect(JsonNode node, Map<String, ObjectNode> defs) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null) {
        String name = ref.stringValue().substring(REF_PREFIX.length());
        if (!defs.containsKey(name)) {
          ObjectNode target = components.get(name);
          if (target == null) {
            throw new IllegalStateException("unknown schema " + name);
          }
          defs.put(name, target.deepCopy());
          collect(target, defs);
        }
      }
      node.forEach(child -> collect(child, defs));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, defs));
    }
  }

  private static void rewriteRefs(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null) {
        object.put("$ref", "#/$defs/" + ref.stringValue().substring(REF_PREFIX.length()));
      }
      object.forEach(ContractDocuments::rewriteRefs);
    } else if (node.isArray()) {
      node.forEach(ContractDocuments::rewriteRefs);
    }
  }

  private String asyncApi() {
    return AsyncApiDocument.render(components);
  }

  static String yaml(JsonNode document) {
    YAMLMapper yaml = YAMLMapper.builder()
        .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
        .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
        .disable(YAMLWriteFeature.SPLIT_LINES)
        // "1.0" (ce_specversion) must stay a string, not turn into a YAML number.
        .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .build();
    return yaml.writeValueAsString(document);
  }

  // ---- small builders -----------------------------------------------------------------------------

  private void put(String name, ObjectNode schema) {
    if (components.put(name, schema) != null) {
      throw new IllegalStateException("schema defined twice: " + name);
    }
  }

  static ObjectNode obj() {
    return F.objectNode();
  }

  static ObjectNode ref(String component) {
    return obj().put("$ref", REF_PREFIX + component);
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode array = F.arrayNode();
    values.forEach(array::add);
    return array;
  }

  private static Map<String, ObjectNode> props(Object... nameSchemaPairs) {
    Map<String, ObjectNode> map = new LinkedHashMap<>();
    for (int i = 0; i < nameSchemaPairs.length; i += 2) {
      map.put((String) nameSchemaPairs[i], (ObjectNode) nameSchemaPairs[i + 1]);
    }
    return map;
  }

  static ObjectNode object(String description, Map<String, ObjectNode> properties, String... required) {
    ObjectNode schema = obj().put("type", "object");
    if (description != null) {
      schema.put("description", description);
    }
    ObjectNode props = schema.putObject("properties");
    properties.forEach(props::set);
    if (required.length > 0) {
      schema.set("required", strings(List.of(required)));
    }
    return schema;
  }

  private static ObjectNode string(int min, int max) {
    return obj().put("type", "string").put("minLength", min).put("maxLength", max);
  }

  private static ObjectNode integer(Number min, Number max) {
    ObjectNode schema = obj().put("type", "integer");
    schema.put("minimum", min == null ? Long.MIN_VALUE : min.longValue());
    schema.put("maximum", max == null ? Long.MAX_VALUE : max.longValue());
    return schema;
  }

  /** A finite number: JSON cannot write infinity, but 1e999 parses as one, so the bounds exclude it. */
  private static ObjectNode number(Double min, Double max) {
    return obj().put("type", "number")
        .put("minimum", min == null ? -Double.MAX_VALUE : min)
        .put("maximum", max == null ? Double.MAX_VALUE : max);
  }

  private static ObjectNode vector8() {
    ObjectNode schema = obj().put("type", "array").put("minItems", 8).put("maxItems", 8);
    schema.set("items", number(null, null));
    return schema;
  }

  private static ObjectNode array(ObjectNode items) {
    ObjectNode schema = obj().put("type", "array");
    schema.set("items", items);
    return schema;
  }

  private static ObjectNode nullable(ObjectNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isString()) {
      schema.set("type", F.arrayNode().add(type.stringValue()).add("null"));
      if (schema.has("enum")) {
        ((ArrayNode) schema.get("enum")).addNull();
      }
    }
    return schema;
  }

  private static ObjectNode traceparent(String description) {
    return obj().put("type", "string").put("pattern", TRACEPARENT_PATTERN).put("description", description);
  }
}
