package io.neurograph.gateway.websocket;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code allowed-origins} list: exact origins ({@code https://app.example.com}, port included when not
 * the default) or a {@code *} wildcard standing for one or more DNS labels in the host
 * ({@code https://*.example.com} matches {@code https://a.example.com} and {@code https://a.b.example.com},
 * not {@code https://example.com}). Comparison ignores case. An empty list allows every origin.
 */
final class AllowedOrigins {

  /** One or more DNS labels: a wildcard can never swallow a {@code /}, {@code :} or {@code @}. */
  private static final String LABELS = "[a-z0-9-]+(?:\\.[a-z0-9-]+)*";

  private final List<Pattern> patterns;

  AllowedOrigins(List<String> allowed) {
    this.patterns = allowed.stream().map(AllowedOrigins::compile).toList();
  }

  /** Whether a browser with this {@code Origin} header may connect. */
  boolean allows(String origin) {
    if (patterns.isEmpty()) {
      return true;
    }
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    return patterns.stream().anyMatch(pattern -> pattern.matcher(normalized).matches());
  }

  private static Pattern compile(String allowed) {
    String value = allowed.trim().toLowerCase(Locale.ROOT);
    // A trailing slash is a common typo in configuration; browsers never send one.
    if (value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
    StringBuilder regex = new StringBuilder();
    String[] parts = value.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(LABELS);
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }
}
