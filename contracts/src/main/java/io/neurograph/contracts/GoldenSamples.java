package io.neurograph.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The golden sample of every message: one complete envelope per client request and server message type,
 * and one value per Kafka record kind. They document the wire and anchor round-trip tests everywhere.
 */
public final class GoldenSamples {

  private static final String ROOT = "/io/neurograph/contracts/golden/";

  private GoldenSamples() {}

  /** The sample envelope a client sends for a request type. */
  public static String client(String type) {
    return load("client/" + type + ".json");
  }

  /** The sample envelope the server sends for a server message type. */
  public static String server(String type) {
    return load("server/" + type + ".json");
  }

  /** The sample value of a Kafka record kind: {@code command}, {@code reply} or {@code event}. */
  public static String kafka(String kind) {
    return load("kafka/" + kind + ".json");
  }

  private static String load(String path) {
    try (InputStream in = GoldenSamples.class.getResourceAsStream(ROOT + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden sample " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
