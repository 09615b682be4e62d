package io.neurograph.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /asyncapi.yaml}: the protocol's AsyncAPI 3 document, exactly as the contracts jar ships it.
 * Public in every auth mode, like the protocol it describes.
 */
@RestController
class AsyncApiController {

  /** Where the contracts jar keeps the document. */
  static final String RESOURCE = "/neurograph/asyncapi.yaml";
  /** The media type registered for YAML (RFC 9512). */
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");

  private final byte[] document;

  AsyncApiController() {
    // Read once at startup, so serving it never touches the class path from an event loop.
    try (InputStream in = AsyncApiController.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("contracts jar without " + RESOURCE);
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GetMapping("/asyncapi.yaml")
  ResponseEntity<byte[]> asyncApi() {
    return ResponseEntity.ok().contentType(YAML).cacheControl(CacheControl.noCache()).body(document);
  }
}
