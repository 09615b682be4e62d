package io.neurograph.gateway.requests;

import io.neurograph.gateway.config.GatewayProperties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Sends records without ever blocking an event loop: {@code KafkaProducer.send} blocks while metadata is
 * missing or its buffer is full, so every send runs on one dedicated thread behind a bounded queue. One
 * thread also keeps sends in arrival order, which per-entity ordering relies on. A full queue fails fast.
 */
@Component
public class KafkaPublisher implements DisposableBean {

  private final KafkaTemplate<String, String> template;
  private final ThreadPoolExecutor executor;
  private final Scheduler scheduler;

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
    this.scheduler = Schedulers.fromExecutorService(executor, "kafka-publish");
  }

  /** Sends a record; completes when the broker acknowledged it, errors when it could not be sent. */
  public Mono<Void> publish(ProducerRecord<String, String> record) {
    return Mono.defer(() -> Mono.fromFuture(template.send(record), true))
        .subscribeOn(scheduler)
        .then();
  }

  /** Sends waiting for the producer thread. */
  public int queued() {
    return executor.getQueue().size();
  }

  @Override
  public void destroy() {
    scheduler.dispose();
  }
}
