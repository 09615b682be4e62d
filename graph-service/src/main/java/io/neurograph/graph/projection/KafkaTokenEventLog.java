package io.neurograph.graph.projection;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The token event topic's partition count and end offsets, from Kafka's asynchronous admin client. The
 * end offset is the high watermark: every record whose produce was acknowledged ({@code acks=all}) is
 * below it. Results are handed over to a Reactor thread, off the admin client's network thread.
 */
final class KafkaTokenEventLog implements ProjectionBarrier.TokenEventLog {

  private final Admin admin;

  KafkaTokenEventLog(Admin admin) {
    this.admin = admin;
  }

  @Override
  public Mono<Integer> partitionCount(String topic) {
    return Mono.fromCompletionStage(
            () -> admin.describeTopics(List.of(topic)).topicNameValues().get(topic).toCompletionStage())
        .map((TopicDescription description) -> description.partitions().size())
        .onErrorResume(KafkaTokenEventLog::unknownTopic, e -> Mono.empty())
        .publishOn(Schedulers.parallel());
  }

  @Override
  public Mono<Long> endOffset(String topic, int partition) {
    TopicPartition tp = new TopicPartition(topic, partition);
    return Mono.fromCompletionStage(
            () -> admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).toCompletionStage())
        .map(ListOffsetsResult.ListOffsetsResultInfo::offset)
        .publishOn(Schedulers.parallel());
  }

  private static boolean unknownTopic(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownTopicOrPartitionException) {
        return true;
      }
    }
    return false;
  }
}
