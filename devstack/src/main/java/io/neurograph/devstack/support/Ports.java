package io.neurograph.devstack.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/** TCP ports on the loopback interface. */
public final class Ports {

  // Below Linux's ephemeral range (32768-60999): a port the kernel hands out for port 0 is also what it hands
  // to outgoing connections, so one of the many client sockets the platform opens while starting could take
  // it before the server meant to listen on it binds. Random, so two devstacks rarely try the same one.
  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final int ATTEMPTS = 200;

  private Ports() {}

  /** A port that was free a moment ago, outside the kernel's range for outgoing connections when possible. */
  public static int free() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
      if (isFree(port)) {
        return port;
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code preferred} when it is free, else any free port. */
  public static int preferredOrFree(int preferred) {
    return isFree(preferred) ? preferred : free();
  }

  /** Whether a server could bind {@code port} on the loopback interface right now. */
  public static boolean isFree(int port) {
    // Same socket options a server uses: a port in TIME_WAIT counts as free, a listening one does not.
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether something accepts connections on {@code host:port}. */
  public static boolean isListening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 3_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
