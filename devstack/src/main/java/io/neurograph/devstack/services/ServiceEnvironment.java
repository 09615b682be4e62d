package io.neurograph.devstack.services;

import io.neurograph.devstack.kafka.KafkaBroker;
import io.neurograph.devstack.postgres.PostgresServer;
import io.neurograph.devstack.redis.RedisServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard Spring Boot environment variables that point a service at Kafka, PostgreSQL and Redis. The
 * same variables are printed by {@code --infra-only} and given to every service devstack starts.
 */
public final class ServiceEnvironment {

  private ServiceEnvironment() {}

  /** Variable name to value, in a stable order. */
  public static Map<String, String> of(KafkaBroker kafka, PostgresServer postgres, RedisServer redis) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SPRING_R2DBC_URL", postgres.r2dbcUrl());
    env.put("SPRING_R2DBC_USERNAME", postgres.user());
    env.put("SPRING_R2DBC_PASSWORD", postgres.password());
    env.put("SPRING_DATA_REDIS_HOST", redis.host());
    env.put("SPRING_DATA_REDIS_PORT", String.valueOf(redis.port()));
    if (redis.password() != null) {
      env.put("SPRING_DATA_REDIS_PASSWORD", redis.password());
    }
    return env;
  }
}
