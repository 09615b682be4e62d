package io.neurograph.gateway.websocket;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.util.UriComponentsBuilder;

/** Reads what the protocol allows in the handshake URL. */
final class Handshakes {

  /** A client id is echoed to admins and scopes idempotency keys: keep it short and printable. */
  static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  private Handshakes() {}

  /**
   * The {@code client_id} query parameter.
   *
   * @return empty when absent or blank; the raw value otherwise (check it with {@link #isValidClientId})
   */
  static Optional<String> clientId(URI uri) {
    String value = UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst("client_id");
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
  }

  static boolean isValidClientId(String clientId) {
    return CLIENT_ID.matcher(clientId).matches();
  }
}
