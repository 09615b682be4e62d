package io.neurograph.gateway.requests;

import io.neurograph.gateway.config.GatewayProperties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Sends records without ever blocking an event loop: {@code KafkaProducer.send} blocks while metadata is
 * missing or its buffer is full, so every send runs on one dedicated thread behind a bounded queue. One
 * thread also keeps sends in arrival order, which per-entity ordering relies on. A full queue fails fast.
 */
@Component
public class KafkaPublisher implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);
  private static final CompletableFuture<Throwable> NOT_SENT = CompletableFuture.completedFuture(null);

  private final KafkaTemplate<String, String> template;
  private final ThreadPoolExecutor executor;
  private final AtomicLong failedSends = new AtomicLong();
  private volatile Throwable lastFailure;

  /** Creates the publisher and its thread. */
  public KafkaPublisher(KafkaTemplate<String, String> template, GatewayProperties properties) {
    this.template = template;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(properties.publishQueue()),
        runnable -> {
          Thread thread = new Thread(runnable, "kafka-publish");
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }

  /** Sends a record; completes when the broker acknowledged it, errors when it could not be sent. */
  public Mono<Void> publish(ProducerRecord<String, String> record) {
    return Mono.defer(() -> {
      AtomicBoolean abandoned = new AtomicBoolean();
      CompletableFuture<Throwable> outcome;
      try {
        outcome = CompletableFuture.supplyAsync(() -> abandoned.get() ? NOT_SENT : failureOf(record), executor)
            .thenCompose(Function.identity());
      } catch (RejectedExecutionException queueFull) {
        return Mono.error(queueFull);
      }
      // A request that gives up (timeout, closed connection) must neither interrupt a send blocked in the
      // producer (Kafka turns that into an InterruptException and re-sets the flag) nor see its outcome as
      // an error signal: after cancellation Reactor reports errors as dropped, an ERROR with a stack trace
      // per record during an outage. So the send is never cancelled once it runs, its failure travels as a
      // value (discarded quietly when nobody waits), and a send still queued is skipped.
      return Mono.fromFuture(outcome, true)
          .doOnCancel(() -> abandoned.set(true))
          .flatMap(Mono::<Void>error);
    });
  }

  /** Completes empty when the broker acknowledged the record, with the failure when it was not sent. */
  private CompletableFuture<Throwable> failureOf(ProducerRecord<String, String> record) {
    try {
      return template.send(record).handle((result, failure) -> {
        if (failure != null) {
          recordFailure(record, failure);
        }
        return failure;
      });
    } catch (RuntimeException failure) {
      // send() itself throws when metadata did not arrive within max.block.ms.
      recordFailure(record, failure);
      return CompletableFuture.completedFuture(failure);
    }
  }

  private void recordFailure(ProducerRecord<String, String> record, Throwable failure) {
    failedSends.incrementAndGet();
    lastFailure = failure;
    // The request, if it still waits, logs the outcome; one line per record here would repeat it.
    log.debug("Record for {} not sent: {}", record.topic(), failure.toString());
  }

  /** The most recent send failure, or null; for diagnostics and tests. */
  Throwable lastFailure() {
    return lastFailure;
  }

  /** Records Kafka did not take since start, whether or not their request still waited for the outcome. */
  public long failedSends() {
    return failedSends.get();
  }

  /** Sends waiting for the producer thread. */
  public int queued() {
    return executor.getQueue().size();
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }
}
