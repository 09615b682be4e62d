package io.neurograph.gateway.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Benchmark switch ({@code neurograph.blockhound=true}, env {@code NEUROGRAPH_BLOCKHOUND=true}): installs BlockHound
 * so that a blocking call on an event loop under real load is logged at ERROR and counted
 * ({@code neurograph.gateway.blockhound.violations}) instead of going unnoticed. Off by default: the instrumentation
 * costs CPU. Needs the JVM option {@code -XX:+AllowRedefinitionToAddDeleteMethods}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "neurograph.blockhound", havingValue = "true")
public class BlockHoundSwitch {

  private static final Logger log = LoggerFactory.getLogger(BlockHoundSwitch.class);
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** Installs BlockHound once per JVM; later calls (a refreshed context) only log. */
  public BlockHoundSwitch(MeterRegistry meters) {
    Counter violations = Counter.builder("neurograph.gateway.blockhound.violations")
        .description("Blocking calls detected on non-blocking threads")
        .register(meters);
    if (!INSTALLED.compareAndSet(false, true)) {
      log.info("BlockHound already installed in this JVM");
      return;
    }
    BlockHound.Builder builder = BlockHound.builder();
    ServiceLoader.load(BlockHoundIntegration.class).forEach(builder::with);
    allowShortLockWaits(builder)
        // Log and count, never throw: an error thrown inside lock internals could break a scheduler mid-benchmark.
        .blockingMethodCallback(method -> {
          violations.increment();
          log.error("BlockHound violation: blocking call {} on {}", method, Thread.currentThread().getName(),
              new Throwable("stack of the blocking call"));
        })
        .install();
    log.info("BlockHound installed: blocking calls on non-blocking threads are logged and counted");
  }

  /**
   * The calls that park for a few instructions on a lock and are not I/O; the gateway's tests allow the same.
   * Returns {@code builder}.
   */
  public static BlockHound.Builder allowShortLockWaits(BlockHound.Builder builder) {
    return builder
        // Console logging is a deliberate, bounded write.
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
        // Scheduling and cancelling a timer takes the executor queue's lock: under contention a park, not I/O.
        .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "offer")
        .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove")
        // KafkaPublisher's non-blocking offer to its send queue only takes the queue's lock.
        .allowBlockingCallsInside("java.util.concurrent.ArrayBlockingQueue", "offer")
        // Netty's pooled allocator grows its magazines under a StampedLock, contended only between event loops.
        .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
        // Reads /dev/urandom, which never blocks on Linux.
        .allowBlockingCallsInside("java.util.UUID", "randomUUID");
  }
}
