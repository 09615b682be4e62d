package io.neurograph.tokens.kafka;

import io.neurograph.contracts.Json;
import io.neurograph.contracts.kafka.CommandMessage;
import io.neurograph.contracts.kafka.KafkaHeaderNames;
import io.neurograph.contracts.kafka.ReplyMessage;
import io.neurograph.contracts.kafka.Topics;
import io.neurograph.tokens.requests.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Sends replies to the gateway instance that asked (record key = its {@code reply_to}) and waits for the ack. */
final class ReplyPublisher {

  private final KafkaTemplate<String, byte[]> kafka;
  private final Topics topics;
  private final Duration timeout;

  ReplyPublisher(KafkaTemplate<String, byte[]> kafka, Topics topics, Duration timeout) {
    this.kafka = kafka;
    this.topics = topics;
    this.timeout = timeout;
  }

  /** Sends and blocks until Kafka acknowledged the reply; throws when it did not within the timeout. */
  void send(CommandMessage command, Reply reply, String traceparent) {
    try {
      kafka.send(record(topics.gatewayReplies(), command, reply, traceparent))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while sending a reply", e);
    } catch (ExecutionException e) {
      throw new KafkaException("reply not acknowledged", e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("reply not acknowledged within " + timeout, e);
    }
  }

  /**
   * Sends without blocking the caller: completes once Kafka acknowledged the reply, fails with a
   * {@link KafkaException} when it did not within the timeout (as {@link #send} throws).
   */
  Mono<Void> sendAsync(CommandMessage command, Reply reply, String traceparent) {
    ProducerRecord<String, byte[]> record = record(topics.gatewayReplies(), command, reply, traceparent);
    // send() itself blocks while the producer has no metadata or no buffer space (Kafka unreachable or
    // slow): that must never happen on a database or Redis event loop, where this is usually subscribed.
    return Mono.fromCallable(() -> kafka.send(record))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(Mono::fromFuture)
        .timeout(timeout)
        // The ack arrives on the producer's network thread, which every send of this service shares: the
        // next command of the key must not run there.
        .publishOn(Schedulers.parallel())
        .onErrorMap(e -> e instanceof TimeoutException
            ? new KafkaException("reply not acknowledged within " + timeout, e)
            : new KafkaException("reply not acknowledged", e))
        .then();
  }

  static ProducerRecord<String, byte[]> record(String topic, CommandMessage command, Reply reply, String traceparent) {
    ReplyMessage value = new ReplyMessage(
        command.replyKey(), command.requestId(), command.commandId(), reply.type(), reply.payload());
    RecordHeaders headers = new RecordHeaders();
    headers.add(KafkaHeaderNames.MESSAGE_TYPE, utf8(reply.type()));
    headers.add(KafkaHeaderNames.REQUEST_ID, utf8(command.requestId()));
    headers.add(KafkaHeaderNames.CONTENT_TYPE, utf8("application/json"));
    if (traceparent != null) {
      headers.add(KafkaHeaderNames.TRACEPARENT, utf8(traceparent));
    }
    return new ProducerRecord<>(topic, null, command.replyTo(), Json.writeBytes(value), headers);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
