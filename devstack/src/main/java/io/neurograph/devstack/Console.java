package io.neurograph.devstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything devstack deliberately shows the user: usage, the table of what runs where, the environment
 * lines of {@code --infra-only} and a failed service's log tail. stdout carries the table and the exports;
 * errors go to stderr; diagnostics go through the logger (stderr), so stdout stays easy to read or parse.
 */
final class Console {

  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@,+=-]*");

  private final PrintStream out;
  private final PrintStream err;

  Console(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** One row of the table. */
  record Row(String what, String where, String note) {}

  void usage(String text) {
    out.print(text);
    out.flush();
  }

  void usageError(String problem, String text) {
    err.println("devstack: " + problem);
    err.println();
    err.print(text);
    err.flush();
  }

  void error(String message) {
    err.println("devstack: " + message);
    err.flush();
  }

  void table(String title, List<Row> rows, String footer) {
    int what = rows.stream().mapToInt(r -> r.what().length()).max().orElse(0);
    int where = rows.stream().mapToInt(r -> r.where().length()).max().orElse(0);
    StringBuilder text = new StringBuilder();
    text.append(System.lineSeparator()).append(title).append(System.lineSeparator()).append(System.lineSeparator());
    for (Row row : rows) {
      String line = String.format("  %-" + what + "s  %-" + where + "s  %s", row.what(), row.where(), row.note());
      text.append(line.stripTrailing()).append(System.lineSeparator());
    }
    text.append(System.lineSeparator()).append(footer).append(System.lineSeparator());
    out.print(text);
    out.flush();
  }

  /** Shell lines, so a person can paste them (or a script can grep the {@code export} lines). */
  void exports(Map<String, String> env, String before, String after) {
    StringBuilder text = new StringBuilder();
    text.append(System.lineSeparator()).append("# ").append(before).append(System.lineSeparator());
    env.forEach((name, value) -> text.append("export ").append(name).append('=').append(shellQuoted(value))
        .append(System.lineSeparator()));
    text.append("# ").append(after).append(System.lineSeparator());
    out.print(text);
    out.flush();
  }

  private static String shellQuoted(String value) {
    if (SHELL_SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  void logTail(String service, Path logFile, List<String> lines) {
    err.println();
    err.println("----- last " + lines.size() + " lines of " + logFile + " (" + service + ") -----");
    lines.forEach(err::println);
    err.println("----- end of " + service + " log -----");
    err.flush();
  }
}
