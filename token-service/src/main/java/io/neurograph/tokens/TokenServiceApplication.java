package io.neurograph.tokens;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * token-service: owns tokens. Consumes token commands and queries from Kafka, keeps tokens in
 * PostgreSQL, publishes token events through an outbox and caches reads in Redis. The composition root:
 * each feature package contributes its beans through component scanning.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TokenServiceApplication {

  /** Starts the service. */
  public static void main(String[] args) {
    SpringApplication.run(TokenServiceApplication.class, args);
  }
}
