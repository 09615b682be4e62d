package io.neurograph.gateway.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A resume position: for every partition of every event source the gateway reads, the offset of the next
 * record not yet delivered. Events on different partitions have no order between them, so a position in
 * "everything the gateway delivers" needs all of them. Opaque to clients: {@code 1.} + base64url of
 * {@code t0=12,t1=7,g0=4,s0=3} (t = token events, g = graph events, s = operator messages). Every gateway
 * instance names partitions alike, so a cursor from one instance resumes on any other.
 */
public record Cursor(Map<String, Long> next) {

  private static final String VERSION = "1.";

  /** Copies the positions, in a fixed order so equal positions always encode alike. */
  public Cursor {
    next = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(next));
  }

  /** The opaque text form. */
  public String encode() {
    StringBuilder text = new StringBuilder();
    next.forEach((partition, offset) -> {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(partition).append('=').append(offset);
    });
    return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Parses the text form; empty when it is not a cursor this gateway wrote. */
  public static Optional<Cursor> decode(String cursor) {
    if (cursor == null || !cursor.startsWith(VERSION)) {
      return Optional.empty();
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor.substring(VERSION.length())), StandardCharsets.US_ASCII);
      Map<String, Long> positions = new LinkedHashMap<>();
      for (String entry : text.split(",")) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
          return Optional.empty();
        }
        long offset = Long.parseLong(entry.substring(eq + 1));
        if (offset < 0) {
          return Optional.empty();
        }
        positions.put(entry.substring(0, eq), offset);
      }
      return Optional.of(new Cursor(positions));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
