package io.neurograph.devstack.redis;

import io.neurograph.devstack.support.ChildProcesses;
import io.neurograph.devstack.support.Ports;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A Redis server for devstack: either an external one named by a {@code redis://} URL, or the
 * {@code redis-server} binary bundled in embedded-redis, run as a child process on 127.0.0.1 without
 * persistence.
 */
public final class RedisServer implements AutoCloseable {

  /** Environment variable naming an external Redis, {@code redis://host:port}. */
  public static final String ENV_URL = "NEUROGRAPH_REDIS_URL";

  private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final String host;
  private final int port;
  private final String password;
  private final Process process;

  private RedisServer(String host, int port, String password, Process process) {
    this.host = host;
    this.port = port;
    this.password = password;
    this.process = process;
  }

  /** A server devstack does not manage, from {@code redis://[:password@]host[:port]}; fails fast when it does not answer. */
  public static RedisServer external(String url) {
    URI uri = URI.create(url);
    if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(ENV_URL + " must look like redis://host:port, not " + url);
    }
    String password = null;
    if (uri.getUserInfo() != null) {
      String info = uri.getUserInfo();
      password = info.substring(info.indexOf(':') + 1);
    }
    RedisServer server = new RedisServer(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379,
        password == null || password.isEmpty() ? null : password, null);
    try {
      server.ping();
    } catch (IOException e) {
      throw new IllegalStateException("external Redis " + server.url() + " does not answer: " + e.getMessage(), e);
    }
    log.info("Using external Redis at {}", server.url());
    return server;
  }

  /** {@link #embedded(int, Path, Path)} on a free port, e.g. for a test. */
  public static RedisServer embedded(Path dir, Path logFile) {
    return embedded(Ports.free(), dir, logFile);
  }

  /** Starts the bundled redis-server on 127.0.0.1:{@code port}, working in {@code dir}, its output in {@code logFile}. */
  public static RedisServer embedded(int port, Path dir, Path logFile) {
    long started = System.nanoTime();
    File executable;
    try {
      executable = ExecutableProvider.newJarResourceProvider().get();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the bundled redis-server", e);
    }
    List<String> command = ChildProcesses.detached(List.of(executable.getAbsolutePath(),
        "--port", String.valueOf(port),
        "--bind", "127.0.0.1",
        // A cache: nothing on disk, ever.
        "--save", "",
        "--appendonly", "no",
        "--dir", dir.toAbsolutePath().toString()));
    Process process;
    try {
      process = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
    RedisServer server = new RedisServer("127.0.0.1", port, null, process);
    server.awaitPong(logFile);
    log.info("Redis up at {} in {} ms (pid {})", server.url(), (System.nanoTime() - started) / 1_000_000, process.pid());
    return server;
  }

  private void awaitPong(Path logFile) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (true) {
      try {
        ping();
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException("redis-server did not answer within " + STARTUP_TIMEOUT.toSeconds()
              + " s; see " + logFile);
        }
      }
      try {
        // Waiting on the exit doubles as the poll interval and notices a crash at once.
        process.onExit().get(100, TimeUnit.MILLISECONDS);
        throw new IllegalStateException("redis-server exited with code " + process.exitValue() + "; see " + logFile);
      } catch (TimeoutException stillRunning) {
        // poll again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while starting Redis", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Sends PING (after AUTH when there is a password) and expects PONG. */
  public void ping() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      if (password != null) {
        out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String auth = in.readLine();
        if (!"+OK".equals(auth)) {
          throw new IOException("AUTH answered " + auth);
        }
      }
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = in.readLine();
      if (!"+PONG".equals(reply)) {
        throw new IOException("PING answered " + reply);
      }
    }
  }

  /** Host name or address. */
  public String host() {
    return host;
  }

  /** TCP port. */
  public int port() {
    return port;
  }

  /** The password of an external server, or null. */
  public String password() {
    return password;
  }

  /** {@code redis://host:port} (without the password). */
  public String url() {
    return "redis://" + host + ":" + port;
  }

  /** Whether devstack runs this server (and stops it on close). */
  public boolean isEmbedded() {
    return process != null;
  }

  /** Stops an embedded server (SIGTERM, then SIGKILL after 10 s); nothing for an external one. */
  @Override
  public void close() {
    if (process != null) {
      ChildProcesses.stop(process, Duration.ofSeconds(10));
    }
  }
}
