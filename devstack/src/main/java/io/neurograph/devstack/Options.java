package io.neurograph.devstack;

import io.neurograph.devstack.kafka.KafkaBroker;
import io.neurograph.devstack.postgres.PostgresServer;
import io.neurograph.devstack.redis.RedisServer;
import io.neurograph.devstack.services.ServiceJars;
import io.neurograph.devstack.services.ServiceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parsed command line. {@code kafkaPort} empty means 9092 when free, else any free port; {@code dataDir}
 * empty means a temporary directory deleted on exit; a service missing from {@code instanceCounts} runs once.
 */
public record Options(boolean help, boolean infraOnly, Map<String, Integer> servicePorts,
    Map<String, Integer> instanceCounts, OptionalInt kafkaPort, Optional<Path> dataDir, Path logsDir) {

  /** Where service and server logs go unless {@code --logs-dir} says otherwise. */
  public static final Path DEFAULT_LOGS_DIR = Path.of(".devstack", "logs");
  /** The most instances of one service devstack starts; more would not fit on one machine anyway. */
  public static final int MAX_INSTANCES = 8;

  /** Copies the maps. */
  public Options {
    servicePorts = Map.copyOf(servicePorts);
    instanceCounts = Map.copyOf(instanceCounts);
  }

  /** The HTTP port of a service's first instance. */
  public int port(ServiceSpec service) {
    return servicePorts.getOrDefault(service.name(), service.defaultPort());
  }

  /** The HTTP port of instance {@code instance} (1-based) of a service. */
  public int port(ServiceSpec service, int instance) {
    return port(service) + service.portStep() * (instance - 1);
  }

  /** How many instances of a service run. */
  public int instances(ServiceSpec service) {
    return instanceCounts.getOrDefault(service.name(), 1);
  }

  /** The HTTP ports of every instance of a service, first instance first. */
  public List<Integer> ports(ServiceSpec service) {
    List<Integer> ports = new ArrayList<>();
    for (int instance = 1; instance <= instances(service); instance++) {
      ports.add(port(service, instance));
    }
    return ports;
  }

  /** Parses {@code args} for devstack running {@code services}; {@code --opt value} and {@code --opt=value} both work. */
  public static Options parse(List<String> args, List<ServiceSpec> services) throws UsageException {
    Map<String, ServiceSpec> portOptions = new HashMap<>();
    services.forEach(s -> portOptions.put(s.portOption(), s));
    Map<String, ServiceSpec> instanceOptions = new HashMap<>();
    services.forEach(s -> instanceOptions.put(s.instancesOption(), s));
    boolean help = false;
    boolean infraOnly = false;
    Map<String, Integer> ports = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    OptionalInt kafkaPort = OptionalInt.empty();
    Optional<Path> dataDir = Optional.empty();
    Path logsDir = DEFAULT_LOGS_DIR;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> help = true;
        case "--infra-only" -> {
          if (inlineValue != null) {
            throw new UsageException("--infra-only takes no value");
          }
          infraOnly = true;
        }
        case "--kafka-port" -> {
          String value = inlineValue != null ? inlineValue : valueAfter(args, i++, name);
          kafkaPort = OptionalInt.of(port(name, value));
        }
        case "--data-dir" -> dataDir = Optional.of(path(name, inlineValue != null ? inlineValue : valueAfter(args, i++, name)));
        case "--logs-dir" -> logsDir = path(name, inlineValue != null ? inlineValue : valueAfter(args, i++, name));
        default -> {
          ServiceSpec counted = instanceOptions.get(name);
          ServiceSpec service = portOptions.get(name);
          if (counted == null && service == null) {
            throw new UsageException(arg.startsWith("-") ? "unknown option " + name : "unexpected argument " + arg);
          }
          String value = inlineValue != null ? inlineValue : valueAfter(args, i++, name);
          if (counted != null) {
            counts.put(counted.name(), instanceCount(name, value));
          } else {
            ports.put(service.name(), port(name, value));
          }
        }
      }
    }
    Options options = new Options(help, infraOnly, ports, counts, kafkaPort, dataDir, logsDir);
    options.requirePortsInRange(services);
    options.requireDistinctPorts(services);
    return options;
  }

  private void requirePortsInRange(List<ServiceSpec> services) throws UsageException {
    for (ServiceSpec service : services) {
      int last = port(service, instances(service));
      if (last > 65_535) {
        throw new UsageException(service.instancesOption() + " " + instances(service) + " needs ports "
            + port(service) + " to " + last + " (one every " + service.portStep() + "), beyond 65535; lower "
            + service.portOption());
      }
    }
  }

  private void requireDistinctPorts(List<ServiceSpec> services) throws UsageException {
    Map<Integer, String> owners = new HashMap<>();
    if (kafkaPort.isPresent()) {
      owners.put(kafkaPort.getAsInt(), "--kafka-port");
    }
    for (ServiceSpec service : services) {
      int count = instances(service);
      for (int instance = 1; instance <= count; instance++) {
        String owner = instance == 1 ? service.portOption()
            : service.instanceName(instance, count) + " (" + service.portOption() + " + " + service.portStep() * (instance - 1)
                + ")";
        int port = port(service, instance);
        String other = owners.putIfAbsent(port, owner);
        if (other != null) {
          throw new UsageException(owner + " and " + other + " both use port " + port);
        }
      }
    }
  }

  private static int instanceCount(String option, String value) throws UsageException {
    try {
      int count = Integer.parseInt(value.trim());
      if (count >= 1 && count <= MAX_INSTANCES) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " needs a number of instances from 1 to " + MAX_INSTANCES + ", not '" + value
        + "'");
  }

  private static String valueAfter(List<String> args, int index, String option) throws UsageException {
    if (index + 1 >= args.size() || args.get(index + 1).startsWith("--")) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index + 1);
  }

  private static int port(String option, String value) throws UsageException {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 1 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " needs a port number (1-65535), not '" + value + "'");
  }

  private static Path path(String option, String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException(option + " needs a directory");
    }
    return Path.of(value);
  }

  /** The help text. */
  public static String usage(List<ServiceSpec> services) {
    List<String[]> options = new ArrayList<>();
    options.add(new String[] {"--infra-only",
        "start only Kafka, PostgreSQL and Redis and print the environment a service needs"});
    for (ServiceSpec service : services) {
      options.add(new String[] {service.instancesOption() + " N",
          "how many instances of " + service.name() + " to start, 1 to " + MAX_INSTANCES + " (default 1)"});
    }
    for (ServiceSpec service : services) {
      options.add(new String[] {service.portOption() + " N",
          "HTTP port of " + service.name() + " (default " + service.defaultPort() + "); instance n gets N + "
              + (service.portStep() == 1 ? "n-1" : service.portStep() + "*(n-1)")});
    }
    options.add(new String[] {"--kafka-port N", "Kafka port (default " + KafkaBroker.DEFAULT_PORT
        + " when free, else a free port)"});
    options.add(new String[] {"--data-dir DIR",
        "keep Kafka and PostgreSQL data in DIR across runs (default: temporary, deleted on exit)"});
    options.add(new String[] {"--logs-dir DIR", "where logs go (default " + DEFAULT_LOGS_DIR + ")"});
    options.add(new String[] {"-h, --help", "this text"});
    List<String[]> variables = List.of(
        new String[] {KafkaBroker.ENV_BOOTSTRAP, "host:port[,host:port] of a Kafka cluster"},
        new String[] {PostgresServer.ENV_URL, "jdbc:postgresql://host:port/db (with " + PostgresServer.ENV_USER
            + ", " + PostgresServer.ENV_PASSWORD + ")"},
        new String[] {RedisServer.ENV_URL, "redis://host:port"},
        new String[] {ServiceJars.ENV_DIR, "directory holding <service>.jar files"});
    return """
        Usage: java -jar neurograph-devstack.jar [options]

        Starts Kafka (KRaft), PostgreSQL and Redis, then the NeuroGraph services; Ctrl-C stops everything.

        Options:
        """ + columns(options) + """

        Environment (external servers instead of embedded ones):
        """ + columns(variables);
  }

  private static String columns(List<String[]> rows) {
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
    StringBuilder text = new StringBuilder();
    rows.forEach(r -> text.append("  ").append(String.format("%-" + width + "s", r[0])).append(r[1])
        .append(System.lineSeparator()));
    return text.toString();
  }
}
