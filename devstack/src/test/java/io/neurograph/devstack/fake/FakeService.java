package io.neurograph.devstack.fake;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stand-in for a Spring Boot service, packed into {@code <name>.jar} by {@link FakeServiceJars}: JDK only,
 * listens on {@code SERVER_PORT}, answers the readiness probe, shows the {@code SPRING_*} variables (and the
 * gateway instance id) it got at {@code /env}, and on SIGTERM records in {@code FAKE_EVENTS_FILE} that it stopped and whether the servers
 * it was given still answered at that moment. {@code FAKE_FAIL=<name>} makes that service die at start.
 */
public final class FakeService {

  private FakeService() {}

  /** Runs until SIGTERM. */
  public static void main(String[] args) throws IOException {
    String name = name();
    Map<String, String> spring = new TreeMap<>();
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("SPRING_") || k.equals("SERVER_PORT") || k.equals("NEUROGRAPH_GATEWAY_INSTANCE_ID")) {
        spring.put(k, v);
      }
    });
    System.out.println("fake " + name + " starting with " + spring);
    if (name.equals(System.getenv("FAKE_FAIL"))) {
      for (int i = 1; i <= 60; i++) {
        System.out.println("fake " + name + " boot line " + i);
      }
      System.out.println("fake " + name + " FAILED ON PURPOSE");
      System.exit(3);
    }
    int port = Integer.parseInt(System.getenv("SERVER_PORT"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
    server.createContext("/actuator/health", exchange -> {
      byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/env", exchange -> {
      StringBuilder text = new StringBuilder();
      spring.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      String infra = "kafka=" + answers(firstBootstrap(spring.get("SPRING_KAFKA_BOOTSTRAP_SERVERS")))
          + " postgres=" + answers(postgres(spring.get("SPRING_R2DBC_URL")))
          + " redis=" + answers(spring.get("SPRING_DATA_REDIS_HOST") + ":" + spring.get("SPRING_DATA_REDIS_PORT"));
      System.out.println("fake " + name + " stopping gracefully; " + infra);
      server.stop(0);
      String events = System.getenv("FAKE_EVENTS_FILE");
      if (events != null) {
        try {
          Files.writeString(Path.of(events), name + " stopped " + infra + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          e.printStackTrace();
        }
      }
    }));
    System.out.println("fake " + name + " ready on port " + port);
  }

  private static String name() {
    String jar = Path.of(URI.create(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toString()))
        .getFileName().toString();
    return jar.endsWith(".jar") ? jar.substring(0, jar.length() - 4) : jar;
  }

  private static String firstBootstrap(String servers) {
    return servers == null ? null : servers.split(",")[0];
  }

  private static String postgres(String r2dbcUrl) {
    if (r2dbcUrl == null) {
      return null;
    }
    URI uri = URI.create(r2dbcUrl.substring("r2dbc:".length()));
    return uri.getHost() + ":" + uri.getPort();
  }

  private static String answers(String hostPort) {
    if (hostPort == null || hostPort.startsWith("null")) {
      return "unset";
    }
    int colon = hostPort.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
          2_000);
      return "up";
    } catch (IOException e) {
      return "down";
    }
  }
}
