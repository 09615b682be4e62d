package io.neurograph.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports on the loopback interface. */
public final class FreePorts {

  // Below Linux's ephemeral range (32768-60999): a port the kernel hands out for port 0 is also what it hands
  // to outgoing connections, so one of the many client sockets a test opens could take it before the server
  // that was meant to listen on it starts. Random, so concurrent test JVMs rarely try the same one.
  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final int ATTEMPTS = 200;

  private FreePorts() {}

  /** A port that was free a moment ago. */
  public static int next() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST + " after " + ATTEMPTS
        + " attempts");
  }
}
