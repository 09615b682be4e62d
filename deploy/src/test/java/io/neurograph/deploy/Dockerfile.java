package io.neurograph.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Dockerfile: instructions with continuation lines joined, comments and parser directives dropped,
 * build arguments declared before the first FROM substituted into the FROM lines.
 *
 * @param instructions every instruction in order
 * @param globalArgs defaults of the ARGs before the first FROM
 */
record Dockerfile(List<Instruction> instructions, Map<String, String> globalArgs) {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  /**
   * One instruction.
   *
   * @param keyword upper-case instruction name
   * @param arguments the rest of the line
   * @param stage index of the build stage it belongs to (-1 before the first FROM)
   */
  record Instruction(String keyword, String arguments, int stage) {}

  static Dockerfile parse(Path file) {
    List<Instruction> instructions = new ArrayList<>();
    Map<String, String> globalArgs = new HashMap<>();
    int stage = -1;
    StringBuilder pending = new StringBuilder();
    for (String raw : Repo.read(file).split("\n", -1)) {
      String line = raw.strip();
      if (pending.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String joined = pending.toString().strip();
      pending.setLength(0);
      int space = joined.indexOf(' ');
      String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase();
      String arguments = space < 0 ? "" : joined.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        stage++;
        arguments = substitute(arguments, globalArgs);
      }
      if (keyword.equals("ARG") && stage < 0) {
        String[] parts = arguments.split("=", 2);
        globalArgs.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
      instructions.add(new Instruction(keyword, arguments, stage));
    }
    if (pending.length() > 0) {
      throw new IllegalArgumentException(file + ": ends inside a continued line");
    }
    return new Dockerfile(instructions, globalArgs);
  }

  /** Instructions with a keyword, in order. */
  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** Instructions with a keyword in one stage. */
  List<Instruction> all(String keyword, int stage) {
    return all(keyword).stream().filter(i -> i.stage() == stage).toList();
  }

  /** Index of the last (runtime) stage. */
  int lastStage() {
    return all("FROM").size() - 1;
  }

  /** The stage name given by {@code FROM ... AS name}, or null. */
  String stageName(int stage) {
    String[] words = all("FROM").get(stage).arguments().split("\\s+");
    return words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
  }

  /** The image of a stage. */
  String image(int stage) {
    return all("FROM").get(stage).arguments().split("\\s+")[0];
  }

  private static String substitute(String text, Map<String, String> args) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      if (!args.containsKey(name)) {
        throw new IllegalArgumentException("FROM uses $" + name + " without a default ARG before it");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(args.get(name)));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
