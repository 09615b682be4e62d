package io.neurograph.devstack.guarantees;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Counts Redis keys by pattern over a plain socket (RESP), so a test can see that a read was cached. */
final class RedisKeys {

  private RedisKeys() {}

  /** How many keys match {@code pattern} ({@code KEYS}: test data only, never on a real server). */
  static int count(int port, String pattern) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      byte[] arg = pattern.getBytes(StandardCharsets.UTF_8);
      out.write(("*2\r\n$4\r\nKEYS\r\n$" + arg.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(arg);
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String header = in.readLine();
      if (header == null || header.charAt(0) != '*') {
        throw new IllegalStateException("unexpected answer to KEYS: " + header);
      }
      return Integer.parseInt(header.substring(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
