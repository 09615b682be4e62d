package io.neurograph.gateway.limits;

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

/** Lettuce settings that make Redis failures fast instead of queued, so requests are not held up by them. */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

  /**
   * By default Lettuce queues commands while disconnected and runs them after reconnecting; a rate limit
   * check must fail at once instead (the request is then admitted, see {@link ClientRateLimiter}).
   */
  @Bean
  LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected(ClientRateLimitProperties properties) {
    return options -> options
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .autoReconnect(true)
        .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).build());
  }

  /**
   * Caps Lettuce's reconnect back-off (30 s by default) so the shared limit is enforced again soon after
   * Redis is back.
   */
  @Bean
  ClientResourcesBuilderCustomizer redisReconnectDelay() {
    return resources -> resources.reconnectDelay(
        Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
  }

  /** Bounds every Redis command on the client side too (the limiter also times out on its own). */
  @Bean
  LettuceClientConfigurationBuilderCustomizer redisCommandTimeout(ClientRateLimitProperties properties) {
    return builder -> builder.commandTimeout(properties.timeout());
  }
}
