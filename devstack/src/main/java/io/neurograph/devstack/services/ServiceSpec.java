package io.neurograph.devstack.services;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One service devstack can run: its module/jar name, its default HTTP port, the extra addresses worth
 * printing (templates with one {@code %d} for the port) and, when instances must tell themselves apart,
 * the environment variable that carries each instance's id. Instance n listens on
 * {@code defaultPort + portStep * (n - 1)} (or the chosen port instead of the default).
 */
public record ServiceSpec(
    String name, int defaultPort, int portStep, List<Link> links, Optional<String> instanceIdVariable) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** Requires a lower-case module name and a valid port. */
  public ServiceSpec {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("service name must match " + NAME.pattern() + ": " + name);
    }
    if (defaultPort < 1 || defaultPort > 65_535) {
      throw new IllegalArgumentException("bad default port " + defaultPort + " for " + name);
    }
    if (portStep < 1) {
      throw new IllegalArgumentException("bad port step " + portStep + " for " + name);
    }
    links = List.copyOf(links);
    Objects.requireNonNull(instanceIdVariable, "instanceIdVariable");
  }

  /** A service whose instances need no id of their own. */
  public ServiceSpec(String name, int defaultPort, int portStep, List<Link> links) {
    this(name, defaultPort, portStep, links, Optional.empty());
  }

  /** The command-line option that sets how many instances run, e.g. {@code --gateways}. */
  public String instancesOption() {
    return "--" + name + "s";
  }

  /**
   * The name of instance {@code instance} (1-based) of {@code count}: the plain service name when it runs
   * alone, so a single-instance devstack keeps its familiar log file names; else {@code <name>-<n>}.
   */
  public String instanceName(int instance, int count) {
    return count == 1 ? name : name + "-" + instance;
  }

  /** The command-line option that changes its port, e.g. {@code --gateway-port}. */
  public String portOption() {
    return "--" + name + "-port";
  }

  /** The executable jar's file name, e.g. {@code gateway.jar}. */
  public String jarName() {
    return name + ".jar";
  }

  /** A labelled address of a running service, e.g. its WebSocket endpoint. */
  public record Link(String label, String urlTemplate) {

    /** The address for a service on {@code port}. */
    public String url(int port) {
      return String.format(urlTemplate, port);
    }
  }
}
