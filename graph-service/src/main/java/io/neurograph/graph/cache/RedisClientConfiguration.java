package io.neurograph.graph.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Lettuce settings that make Redis failures fast instead of queued, so the PostgreSQL fallback kicks in. */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

  /**
   * By default Lettuce queues commands while disconnected and runs them after reconnecting; a cache
   * must fail fast instead so the read goes to PostgreSQL.
   */
  @Bean
  LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected(CacheProperties properties) {
    return options -> options
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .autoReconnect(true)
        .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build());
  }

  /** Bounds every Redis command on the client side. */
  @Bean
  LettuceClientConfigurationBuilderCustomizer redisCommandTimeout(CacheProperties properties) {
    return builder -> builder.commandTimeout(properties.commandTimeout());
  }

  /** Caps the reconnect back-off so the cache is back in use soon after Redis is. */
  @Bean
  ClientResourcesBuilderCustomizer redisReconnectDelay(CacheProperties properties) {
    return resources -> resources.reconnectDelay(
        Delay.exponential(Duration.ofMillis(50), properties.reconnectMaxDelay(), 2, TimeUnit.MILLISECONDS));
  }
}
