package io.neurograph.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neurograph.devstack.kafka.KafkaBroker;
import io.neurograph.devstack.postgres.PostgresServer;
import io.neurograph.devstack.redis.RedisServer;
import io.neurograph.devstack.support.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What the external-server factories accept and how they refuse, without any server running. */
class ExternalServersTest {

  @Test
  void kafkaNeedsOneBootstrapServerThatAcceptsConnections() throws Exception {
    int nobody = Ports.free();
    assertThatThrownBy(() -> KafkaBroker.external("127.0.0.1:" + nobody))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("external Kafka 127.0.0.1:" + nobody + " does not answer: no bootstrap server accepts connections");

    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String bootstrap = "127.0.0.1:" + nobody + ", 127.0.0.1:" + listening.getLocalPort();
      KafkaBroker broker = KafkaBroker.external(bootstrap);
      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(broker.isEmbedded()).isFalse();
      broker.close();
    }
  }

  @Test
  void postgresNeedsAJdbcUrlWithHostAndDatabase() {
    assertThatThrownBy(() -> PostgresServer.external("postgres://127.0.0.1:5432/db", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PostgresServer.ENV_URL);
    assertThatThrownBy(() -> PostgresServer.external("jdbc:postgresql://127.0.0.1:5432/", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name a host and a database");
    int nobody = Ports.free();
    assertThatThrownBy(() -> PostgresServer.external("jdbc:postgresql://127.0.0.1:" + nobody + "/db", "u", "p"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot connect to the external PostgreSQL jdbc:postgresql://127.0.0.1:" + nobody + "/db");
  }

  @Test
  void redisNeedsARedisUrlThatAnswers() {
    assertThatThrownBy(() -> RedisServer.external("http://127.0.0.1:6379"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(RedisServer.ENV_URL);
    int nobody = Ports.free();
    assertThatThrownBy(() -> RedisServer.external("redis://:secret@127.0.0.1:" + nobody))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("external Redis redis://127.0.0.1:" + nobody + " does not answer");
  }
}
