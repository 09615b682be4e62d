package io.neurograph.tokens.requests;

/** Server message type names this service answers with (checked against the contract registry in tests). */
public final class ServerTypes {

  /** Reply and event after a create. */
  public static final String TOKEN_CREATED = "token.created";
  /** Reply and event after an update. */
  public static final String TOKEN_UPDATED = "token.updated";
  /** Reply and event after a delete. */
  public static final String TOKEN_DELETED = "token.deleted";
  /** Reply to a successful get. */
  public static final String TOKEN_DATA = "token.data";
  /** Reply to a get of an unknown token. */
  public static final String TOKEN_NOT_FOUND = "token.not_found";
  /** Reply to a list. */
  public static final String TOKEN_LIST = "token.list";
  /** Reply to a count. */
  public static final String TOKEN_COUNT = "token.count";
  /** Reply to a search. */
  public static final String TOKEN_SEARCH = "token.search";

  private ServerTypes() {}
}
