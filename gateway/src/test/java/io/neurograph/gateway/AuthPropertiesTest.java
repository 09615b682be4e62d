package io.neurograph.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.neurograph.gateway.auth.AuthProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Start-up refuses a {@code jwt} mode that could not verify anything. */
class AuthPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(AuthProperties.class)
  static class Bound {}

  final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

  @Test
  void noneIsTheDefault() {
    runner.run(context -> {
      AuthProperties properties = context.getBean(AuthProperties.class);
      assertThat(properties.mode()).isEqualTo(AuthProperties.Mode.NONE);
      assertThat(properties.authDeadline()).hasSeconds(5);
      assertThat(properties.clockSkew()).hasSeconds(30);
    });
  }

  @Test
  void jwtWithoutSecretOrJwksFailsClearly() {
    runner.withPropertyValues("neurograph.auth.mode=jwt").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("neurograph.auth.jwt.secret").hasMessageContaining("neurograph.auth.jwt.jwks-uri");
    });
  }

  @Test
  void shortSecretFailsClearly() {
    runner.withPropertyValues("neurograph.auth.mode=jwt", "neurograph.auth.jwt.secret=too-short").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("at least 32 bytes");
    });
  }

  @Test
  void environmentVariablesBind() {
    Map<String, Object> env = Map.of("NEUROGRAPH_AUTH_MODE", "jwt",
        "NEUROGRAPH_AUTH_JWT_JWKS_URI", "http://localhost:1/jwks",
        "NEUROGRAPH_AUTH_JWT_SECRET", "0123456789abcdef0123456789abcdef",
        "NEUROGRAPH_AUTH_AUTH_DEADLINE", "2s");
    runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)))
        .run(context -> {
          AuthProperties properties = context.getBean(AuthProperties.class);
          assertThat(properties.mode()).isEqualTo(AuthProperties.Mode.JWT);
          assertThat(properties.jwt().jwksUri()).hasToString("http://localhost:1/jwks");
          assertThat(properties.jwt().secret()).hasSize(32);
          assertThat(properties.authDeadline()).hasSeconds(2);
          assertThat(properties.jwt().toString()).doesNotContain("0123456789abcdef");
        });
  }

  @Test
  void jwtWithAJwksUriStarts() {
    runner.withPropertyValues("neurograph.auth.mode=jwt", "neurograph.auth.jwt.jwks-uri=http://localhost:1/jwks")
        .run(context -> assertThat(context).hasNotFailed());
  }
}
