package io.neurograph.testkit;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Redis per test JVM, started on first use: the server named by {@code NEUROGRAPH_TEST_REDIS_URL}
 * ({@code redis://host:port}), else Testcontainers when Docker is present, else embedded binaries.
 */
public final class TestRedis {

  /** Environment variable naming an external Redis. */
  public static final String ENV = "NEUROGRAPH_TEST_REDIS_URL";

  private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
  private static RedisEndpoint shared;

  private TestRedis() {}

  /** The shared Redis. Tests that share it use key prefixes of their own. */
  public static synchronized RedisEndpoint shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  private static RedisEndpoint start() {
    String url = System.getenv(ENV);
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url);
      log.info("Using external Redis at {}:{}", uri.getHost(), uri.getPort());
      return new RedisEndpoint(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
    }
    if (Docker.available()) {
      var container = new org.testcontainers.containers.GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "testkit-redis-stop"));
      return new RedisEndpoint(container.getHost(), container.getFirstMappedPort());
    }
    StoppableRedis redis = StoppableRedis.start();
    Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "testkit-redis-stop"));
    log.info("Started embedded Redis on port {}", redis.endpoint().port());
    return redis.endpoint();
  }
}
