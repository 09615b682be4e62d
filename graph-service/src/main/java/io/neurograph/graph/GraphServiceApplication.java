package io.neurograph.graph;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * graph-service: owns the graph. Consumes graph commands and queries from Kafka, keeps edges and a
 * projection of existing tokens (built from token events) in PostgreSQL, publishes graph events through
 * an outbox and caches reads in Redis. The composition root: each feature package contributes its beans
 * through component scanning.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GraphServiceApplication {

  /** Starts the service. */
  public static void main(String[] args) {
    SpringApplication.run(GraphServiceApplication.class, args);
  }
}
