package io.neurograph.devstack.services;

import io.neurograph.devstack.services.ServiceSpec.Link;
import java.util.List;
import java.util.Optional;

/** The services devstack runs, in start order (stopped in reverse). Adding a service is one entry here. */
public final class Services {

  // Gateways sit on consecutive ports (8000, 8001, ...); the services ten apart, because their default ports
  // differ only in the last digit (8081, 8082) and consecutive instances would land on each other's.

  /** Token commands, queries and events; HTTP only for actuator. */
  public static final ServiceSpec TOKEN_SERVICE = new ServiceSpec("token-service", 8081, 10, List.of());

  /** Graph commands, queries and events, and its projection of tokens; HTTP only for actuator. */
  public static final ServiceSpec GRAPH_SERVICE = new ServiceSpec("graph-service", 8082, 10, List.of());

  /** The WebSocket gateway; started last, because it forwards client requests to the others. */
  public static final ServiceSpec GATEWAY = new ServiceSpec("gateway", 8000, 1, List.of(
      new Link("WebSocket", "ws://localhost:%d/ws"),
      new Link("Web page", "http://localhost:%d/")),
      // Services address replies to it: two gateways sharing one id would take each other's replies.
      Optional.of("NEUROGRAPH_GATEWAY_INSTANCE_ID"));

  /** All of them, in start order. */
  public static final List<ServiceSpec> ALL = List.of(TOKEN_SERVICE, GRAPH_SERVICE, GATEWAY);

  private Services() {}

  /** The service with this name. */
  public static Optional<ServiceSpec> named(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
