package io.neurograph.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import redis.embedded.RedisServer;

/** A Redis server of a test's own, on a fixed port, that the test may stop and start again. */
public final class StoppableRedis implements AutoCloseable {

  private final RedisServer server;
  private final RedisEndpoint endpoint;

  private StoppableRedis(int port) {
    try {
      this.server = RedisServer.newRedisServer()
          .port(port)
          .bind("127.0.0.1")
          // A cache in a test keeps nothing on disk.
          .setting("save \"\"")
          .setting("appendonly no")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.endpoint = new RedisEndpoint("127.0.0.1", port);
  }

  /** Starts an embedded Redis on a free port. */
  public static StoppableRedis start() {
    StoppableRedis redis = new StoppableRedis(FreePorts.next());
    redis.resume();
    return redis;
  }

  /** Where it listens (also while stopped). */
  public RedisEndpoint endpoint() {
    return endpoint;
  }

  /** Stops the server; clients see connection refused. */
  public void pause() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts it again on the same port, empty. */
  public void resume() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (server.isActive()) {
      pause();
    }
  }
}
