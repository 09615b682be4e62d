package io.neurograph.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder on a fixed loopback port that a test can cut and restore: a network partition between
 * the services and a server that keeps running with its data (stopping the server would lose it).
 */
public final class TcpProxy implements AutoCloseable {

  private final int port;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tcp-proxy");
    t.setDaemon(true);
    return t;
  });
  private ServerSocket server;

  private TcpProxy(int port, int targetPort) {
    this.port = port;
    this.targetPort = targetPort;
  }

  /** Listens on {@code port} and forwards every connection to {@code 127.0.0.1:targetPort}. */
  public static TcpProxy start(int port, int targetPort) {
    TcpProxy proxy = new TcpProxy(port, targetPort);
    proxy.restore();
    return proxy;
  }

  /** Where it listens (also while cut). */
  public int port() {
    return port;
  }

  /** Closes every forwarded connection and refuses new ones. */
  public synchronized void cut() {
    closeQuietly(server);
    server = null;
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Accepts connections again. */
  public synchronized void restore() {
    if (server != null) {
      return;
    }
    try {
      ServerSocket listening = new ServerSocket();
      listening.setReuseAddress(true);
      listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      server = listening;
      threads.execute(() -> accept(listening));
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + port, e);
    }
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      Socket client;
      try {
        client = listening.accept();
      } catch (IOException e) {
        return;
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        threads.execute(() -> pump(client, upstream));
        threads.execute(() -> pump(upstream, client));
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other direction or a cut closed the pair; nothing to forward any more.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is best effort: the socket is gone either way.
    }
  }

  /** Cuts for good and stops its threads. */
  @Override
  public void close() {
    cut();
    threads.shutdownNow();
  }
}
