package io.neurograph.contracts.kafka;

/** Kafka record header names. Event headers follow the CloudEvents Kafka binary binding. */
public final class KafkaHeaderNames {

  /** CloudEvents id: the event id. */
  public static final String CE_ID = "ce_id";
  /** CloudEvents type: the logical event type, e.g. {@code token.created}. */
  public static final String CE_TYPE = "ce_type";
  /** CloudEvents source: the emitting service. */
  public static final String CE_SOURCE = "ce_source";
  /** CloudEvents spec version, always {@value #CE_SPEC_VERSION_VALUE}. */
  public static final String CE_SPEC_VERSION = "ce_specversion";
  /** The CloudEvents spec version we follow. */
  public static final String CE_SPEC_VERSION_VALUE = "1.0";
  /** CloudEvents time (RFC 3339). */
  public static final String CE_TIME = "ce_time";
  /** CloudEvents subject: the entity id. */
  public static final String CE_SUBJECT = "ce_subject";
  /** Content type of the value, always {@code application/json}. */
  public static final String CONTENT_TYPE = "content-type";
  /** W3C trace context. */
  public static final String TRACEPARENT = "traceparent";
  /** Logical message type of a command or reply. */
  public static final String MESSAGE_TYPE = "ng_type";
  /** Client request id of a command. */
  public static final String REQUEST_ID = "ng_request_id";
  /** Client id of a command. */
  public static final String CLIENT_ID = "ng_client_id";
  /** Gateway instance a command's reply goes to. */
  public static final String REPLY_TO = "ng_reply_to";

  private KafkaHeaderNames() {}
}
