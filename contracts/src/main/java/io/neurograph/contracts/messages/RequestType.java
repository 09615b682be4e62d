package io.neurograph.contracts.messages;

import io.neurograph.contracts.validation.PayloadSpec;
import java.util.List;

/**
 * A message type clients may send.
 *
 * @param name logical type name on the wire
 * @param payloadType record the validated payload binds to
 * @param spec validation rules, applied before anything leaves the gateway
 * @param route who answers
 * @param changesState whether it is a command (deduplicated by request id, produces events) or a query
 * @param replyTypes server message types a successful request answers with
 * @param description one line for documentation
 */
public record RequestType<P>(
    String name,
    Class<P> payloadType,
    PayloadSpec spec,
    Route route,
    boolean changesState,
    List<String> replyTypes,
    String description) {}
