package io.neurograph.contracts.kafka;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Kafka topic names. Every name starts with a configurable prefix ({@code neurograph} by default), so
 * several platforms (or tests) can share one broker.
 */
public record Topics(String prefix) {

  /** The default prefix. */
  public static final String DEFAULT_PREFIX = "neurograph";
  /** Suffix of a dead-letter topic. */
  public static final String DLT_SUFFIX = "-dlt";

  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

  /** Requires a prefix that is a legal Kafka topic name fragment. */
  public Topics {
    Objects.requireNonNull(prefix, "prefix");
    if (!LEGAL.matcher(prefix).matches()) {
      throw new IllegalArgumentException("topic prefix must match " + LEGAL.pattern() + ": " + prefix);
    }
  }

  /** Topics under the default prefix. */
  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  /** Token commands and queries, keyed by token id (random key for queries without one). */
  public String tokenCommands() {
    return prefix + ".tokens.commands";
  }

  /** Token events, keyed by token id. */
  public String tokenEvents() {
    return prefix + ".tokens.events";
  }

  /**
   * Graph commands and queries, keyed by the token they start from ({@code source_id} or {@code token_id});
   * {@code graph.disconnect} by its connection id, {@code graph.stats} by nothing.
   */
  public String graphCommands() {
    return prefix + ".graph.commands";
  }

  /** Graph events, keyed by the edge's source token id. */
  public String graphEvents() {
    return prefix + ".graph.events";
  }

  /** Replies to gateway instances, keyed by the instance id they go to. */
  public String gatewayReplies() {
    return prefix + ".gateway.replies";
  }

  /** (ext) Operator messages from any gateway instance to the clients of all instances. */
  public String systemEvents() {
    return prefix + ".system.events";
  }

  /** The dead-letter topic of a topic. */
  public static String deadLetter(String topic) {
    return topic + DLT_SUFFIX;
  }
}
