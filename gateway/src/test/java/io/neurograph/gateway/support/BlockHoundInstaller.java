package io.neurograph.gateway.support;

import io.neurograph.gateway.config.BlockHoundSwitch;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Runs every gateway test under BlockHound: a blocking call on a Netty event loop or a Reactor
 * non-blocking thread is recorded (with its stack trace) and fails the test it happened in.
 */
public final class BlockHoundInstaller implements LauncherSessionListener {

  /** Every blocking call detected, for tests that assert there were none. */
  public static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    BlockHound.Builder builder = BlockHound.builder();
    // Reactor's integration marks its parallel/single threads (and Netty's event loops) as non-blocking.
    java.util.ServiceLoader.load(reactor.blockhound.integration.BlockHoundIntegration.class).forEach(builder::with);
    BlockHoundSwitch.allowShortLockWaits(builder)
        // One-time native library loading when the test's HTTP client first decodes a response.
        .allowBlockingCallsInside("io.netty.handler.codec.compression.Zstd", "<clinit>")
        // Record instead of throwing: an error thrown from inside JDK lock internals can leave a scheduler
        // broken and make unrelated later tests fail. NoBlockingCallsExtension fails the test instead.
        .blockingMethodCallback(method -> {
          VIOLATIONS.add(method.toString());
          new Throwable("blocking call " + method + " on " + Thread.currentThread().getName()).printStackTrace();
        })
        .install();
  }
}
