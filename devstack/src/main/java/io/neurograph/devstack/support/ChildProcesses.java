package io.neurograph.devstack.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Helpers for the child processes devstack starts: the java binary, detaching, stopping, log tails. */
public final class ChildProcesses {

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private ChildProcesses() {}

  /** The java binary of this JVM, so children run on the same JDK. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The command, run in a session of its own where {@code setsid} exists (Linux). A Ctrl-C in the terminal
   * signals the whole foreground process group; children outside it keep running until devstack stops them
   * in order, instead of all dying at once.
   */
  public static List<String> detached(List<String> command) {
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    if (!linux || !Files.isExecutable(SETSID)) {
      return command;
    }
    // A child of the JVM is never a process-group leader, so setsid execs in place: same pid, no extra fork.
    List<String> detached = new ArrayList<>(command.size() + 1);
    detached.add(SETSID.toString());
    detached.addAll(command);
    return detached;
  }

  /**
   * Asks the process to stop (SIGTERM on Unix), waits up to {@code grace}, then kills it (SIGKILL).
   * Returns whether it stopped within the grace period.
   */
  public static boolean stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    if (waitFor(process, grace)) {
      return true;
    }
    kill(process);
    return false;
  }

  /** Kills the process (SIGKILL on Unix) and waits until it is gone. */
  public static void kill(Process process) {
    process.destroyForcibly();
    waitFor(process, Duration.ofSeconds(30));
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** The last {@code lines} lines of a text file; empty when there is no file. */
  public static List<String> tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    Deque<String> last = new ArrayDeque<>(lines);
    // An InputStreamReader replaces bytes that are not UTF-8 instead of failing on them.
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (last.size() == lines) {
          last.removeFirst();
        }
        last.addLast(line);
      }
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
    return List.copyOf(last);
  }
}
