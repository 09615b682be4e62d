package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.gateway.config.GatewayProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Start-up refuses gateway settings the protocol cannot honour. */
class GatewayPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(GatewayProperties.class)
  static class Bound {}

  final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

  @Test
  void theMetadataLimitDefaultsToTheProtocols() {
    runner.run(context -> assertThat(context.getBean(GatewayProperties.class).maxMetadataSize().toBytes())
        .isEqualTo(16 * 1024));
  }

  @Test
  void aMetadataLimitAboveTheProtocolsIsRefused() {
    runner.withPropertyValues("neurograph.gateway.max-metadata-size=32KB").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("neurograph.gateway.max-metadata-size").hasMessageContaining("16KB");
    });
  }
}
