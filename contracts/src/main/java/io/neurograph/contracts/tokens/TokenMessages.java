package io.neurograph.contracts.tokens;

import static io.neurograph.contracts.messages.ServerMessageType.Kind.EVENT;
import static io.neurograph.contracts.messages.ServerMessageType.Kind.REPLY;

import io.neurograph.contracts.FieldProblem;
import io.neurograph.contracts.messages.RequestType;
import io.neurograph.contracts.messages.Route;
import io.neurograph.contracts.messages.ServerMessageType;
import io.neurograph.contracts.validation.Field;
import io.neurograph.contracts.validation.PayloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** Token message types (owned by token-service) and their field rules. */
public final class TokenMessages {

  /** Largest {@code metadata} object, as compact UTF-8 JSON. */
  public static final int MAX_METADATA_BYTES = 16 * 1024;
  /** Longest token type. */
  public static final int MAX_TYPE_LENGTH = 50;
  /** Largest page of {@code token.list} and {@code token.search}. */
  public static final int MAX_LIMIT = 100;

  private static final Field TOKEN_ID = Field.uuid("token_id").required().describedAs("Token UUID.");
  private static final Field TYPE = Field.string("type").range(1, MAX_TYPE_LENGTH);
  private static final Field WEIGHT = Field.number("weight").min(0);
  private static final Field FLAGS = Field.integer("flags").min(0);
  private static final Field METADATA = Field.object("metadata").maxBytes(MAX_METADATA_BYTES);

  /** {@code token.create}. */
  public static final RequestType<TokenCreate> CREATE =
      new RequestType<>("token.create", TokenCreate.class,
          PayloadSpec.of(
              Field.uuid("token_id").describedAs("Optional client-chosen id (ext)."),
              TYPE.orDefault("default"),
              Field.vector8("coord_x").orDefault(Vector8.ZERO),
              Field.vector8("coord_y").orDefault(Vector8.ZERO),
              Field.vector8("coord_z").orDefault(Vector8.ZERO),
              FLAGS.orDefault(0),
              WEIGHT.orDefault(1.0),
              METADATA.orDefault(Map.of())),
          Route.TOKENS, true, List.of("token.created"), "Create a token.");

  /** {@code token.get}. */
  public static final RequestType<TokenGet> GET =
      new RequestType<>("token.get", TokenGet.class, PayloadSpec.of(TOKEN_ID),
          Route.TOKENS, false, List.of("token.data", "token.not_found"), "Read one token.");

  /** {@code token.list}. */
  public static final RequestType<TokenList> LIST =
      new RequestType<>("token.list", TokenList.class,
          PayloadSpec.of(
              Field.integer("limit").range(1, MAX_LIMIT).orDefault(10),
              Field.integer("offset").range(0, Integer.MAX_VALUE).orDefault(0),
              TYPE),
          Route.TOKENS, false, List.of("token.list"), "A page of tokens in (created_at, token_id) order.");

  /** {@code token.update}. */
  public static final RequestType<TokenUpdate> UPDATE =
      new RequestType<>("token.update", TokenUpdate.class,
          PayloadSpec.of(
                  TOKEN_ID, TYPE, WEIGHT, FLAGS, METADATA,
                  Field.vector8("coord_x"), Field.vector8("coord_y"), Field.vector8("coord_z"),
                  Field.integer("expected_version").min(1))
              .withCheck(TokenMessages::somethingToChange),
          Route.TOKENS, true, List.of("token.updated"), "Change some fields of a token.");

  /** {@code token.delete}. */
  public static final RequestType<TokenDelete> DELETE =
      new RequestType<>("token.delete", TokenDelete.class, PayloadSpec.of(TOKEN_ID),
          Route.TOKENS, true, List.of("token.deleted"), "Delete a token.");

  /** {@code token.count}. */
  public static final RequestType<TokenCount> COUNT =
      new RequestType<>("token.count", TokenCount.class, PayloadSpec.of(TYPE),
          Route.TOKENS, false, List.of("token.count"), "Count tokens, optionally of one type.");

  /** {@code token.search}. */
  public static final RequestType<TokenSearch> SEARCH =
      new RequestType<>("token.search", TokenSearch.class,
          PayloadSpec.of(
                  Field.integer("level").required().range(0, Vector8.SIZE - 1),
                  Field.point3("min").required(),
                  Field.point3("max").required(),
                  Field.integer("limit").range(1, MAX_LIMIT).orDefault(10))
              .withCheck(TokenMessages::boxIsOrdered),
          Route.TOKENS, false, List.of("token.search"), "Tokens inside a box of one semantic space.");

  /** Requests clients may send. */
  public static final List<RequestType<?>> REQUESTS =
      List.of(CREATE, GET, LIST, UPDATE, DELETE, COUNT, SEARCH);

  /** Server messages: replies and the events fanned out on {@code tokens} and {@code token:<id>}. */
  public static final List<ServerMessageType<?>> SERVER =
      List.of(
          new ServerMessageType<>("token.created", Token.class, Set.of(REPLY, EVENT), "A token was created."),
          new ServerMessageType<>("token.data", TokenData.class, Set.of(REPLY), "One token, seed shape."),
          new ServerMessageType<>("token.not_found", TokenNotFound.class, Set.of(REPLY),
              "token.get named an unknown token."),
          new ServerMessageType<>("token.list", TokenListResult.class, Set.of(REPLY), "A page of tokens."),
          new ServerMessageType<>("token.updated", Token.class, Set.of(REPLY, EVENT), "A token changed."),
          new ServerMessageType<>("token.deleted", TokenDeleted.class, Set.of(REPLY, EVENT),
              "A token was deleted."),
          new ServerMessageType<>("token.count", TokenCountResult.class, Set.of(REPLY), "A token count."),
          new ServerMessageType<>("token.search", TokenSearchResult.class, Set.of(REPLY),
              "Tokens inside a box."));

  private TokenMessages() {}

  private static List<FieldProblem> somethingToChange(ObjectNode update) {
    for (String field : List.of("type", "weight", "flags", "metadata", "coord_x", "coord_y", "coord_z")) {
      if (update.has(field)) {
        return List.of();
      }
    }
    return List.of(new FieldProblem("payload", "names no field to change"));
  }

  private static List<FieldProblem> boxIsOrdered(ObjectNode search) {
    List<FieldProblem> problems = new ArrayList<>();
    for (String axis : List.of("x", "y", "z")) {
      if (search.get("min").get(axis).doubleValue() > search.get("max").get(axis).doubleValue()) {
        problems.add(new FieldProblem("min." + axis, "must not be greater than max." + axis));
      }
    }
    return problems;
  }
}
