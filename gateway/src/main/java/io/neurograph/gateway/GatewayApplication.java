package io.neurograph.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Composition root of the gateway: WebSocket endpoint, Kafka bridges, admin HTTP API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

  /** Starts the gateway. */
  public static void main(String[] args) {
    SpringApplication.run(GatewayApplication.class, args);
  }
}
