package io.neurograph.testkit;

/** Where a test Redis listens. */
public record RedisEndpoint(String host, int port) {

  /** {@code redis://host:port}. */
  public String url() {
    return "redis://" + host + ":" + port;
  }
}
