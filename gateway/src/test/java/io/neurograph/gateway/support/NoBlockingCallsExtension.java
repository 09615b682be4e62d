package io.neurograph.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test during which BlockHound saw a blocking call, even one whose error was swallowed by a
 * fallback. Registered for every test through extension auto-detection.
 */
public final class NoBlockingCallsExtension implements AfterEachCallback {

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      assertThat(BlockHoundInstaller.VIOLATIONS).as("blocking calls on non-blocking threads").isEmpty();
    } finally {
      BlockHoundInstaller.VIOLATIONS.clear();
    }
  }
}
