package io.neurograph.graph.config;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Lets operators configure the database once: when {@code spring.flyway.url}, {@code spring.flyway.user} or
 * {@code spring.flyway.password} is not set anywhere, it is derived from {@code spring.r2dbc.url},
 * {@code spring.r2dbc.username} and {@code spring.r2dbc.password}.
 *
 * <p>The derived values live in a lowest-precedence property source that computes them on each lookup,
 * so any explicit setting wins and R2DBC settings added after this post-processor ran (test
 * {@code @DynamicPropertySource}s) are still followed.
 */
public final class FlywayFromR2dbc implements EnvironmentPostProcessor {

  /** Name of the derived property source. */
  public static final String SOURCE_NAME = "neurographFlywayFromR2dbc";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    apply(environment);
  }

  /** Adds the derived property source to an environment (idempotent). */
  public static void apply(ConfigurableEnvironment environment) {
    if (!environment.getPropertySources().contains(SOURCE_NAME)) {
      environment.getPropertySources().addLast(new Derived(environment));
    }
  }

  // The source is a lookup function, not the environment itself: Boot flattens property sources whose
  // source is an environment into their parent, which would make this source contain itself.
  private static final class Derived extends PropertySource<UnaryOperator<String>> {

    private static final Map<String, String> FROM =
        Map.of(
            "spring.flyway.user", "spring.r2dbc.username",
            "spring.flyway.password", "spring.r2dbc.password");

    Derived(ConfigurableEnvironment environment) {
      super(SOURCE_NAME, environment::getProperty);
    }

    @Override
    public Object getProperty(String name) {
      if ("spring.flyway.url".equals(name)) {
        return JdbcUrls.fromR2dbc(getSource().apply("spring.r2dbc.url")).orElse(null);
      }
      String from = FROM.get(name);
      return from == null ? null : getSource().apply(from);
    }
  }
}
