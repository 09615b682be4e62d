package io.neurograph.gateway.support;

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
    builder
        // Console logging is a deliberate, bounded write; production uses the same appender.
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
        // One-time native library loading when the test's HTTP client first decodes a response.
        .allowBlockingCallsInside("io.netty.handler.codec.compression.Zstd", "<clinit>")
        // Scheduling and cancelling a timer (interval, timeout) takes the executor queue's lock for a few
        // instructions; under contention that is a park, not I/O.
        .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "offer")
        .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove")
        // KafkaPublisher hands sends to its thread through an ArrayBlockingQueue: the non-blocking offer only
        // takes the queue's lock for a few instructions, which under contention with the taking thread is a
        // park, not I/O (the same case as the timer queue above).
        .allowBlockingCallsInside("java.util.concurrent.ArrayBlockingQueue", "offer")
        // Netty's pooled allocator grows its buffer magazines under a StampedLock: a few instructions, contended
        // only between event loops allocating at once; not I/O.
        .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
        // Reads /dev/urandom, which never blocks on Linux.
        .allowBlockingCallsInside("java.util.UUID", "randomUUID")
        // Record instead of throwing: an error thrown from inside JDK lock internals can leave a scheduler
        // broken and make unrelated later tests fail. NoBlockingCallsExtension fails the test instead.
        .blockingMethodCallback(method -> {
          VIOLATIONS.add(method.toString());
          new Throwable("blocking call " + method + " on " + Thread.currentThread().getName()).printStackTrace();
        })
        .install();
  }
}
