package io.neurograph.devstack.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** TCP ports on the loopback interface. */
public final class Ports {

  private Ports() {}

  /** A port that was free a moment ago. */
  public static int free() {
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
