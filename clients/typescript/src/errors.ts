import type { ErrorCode, ErrorPayload, FieldProblem, ServerEnvelope } from './protocol.js';

/** Codes of the errors the client raises itself (never sent by the server). */
export type ClientErrorCode =
  | 'CLIENT_TIMEOUT'
  | 'QUEUE_FULL'
  | 'CONNECTION_CLOSED'
  | 'FRAME_TOO_LARGE'
  | 'NO_WEBSOCKET';

/** Base class of every error this library rejects a promise with. */
export class NeuroGraphError extends Error {
  /** A server error code (see {@link ServerError}) or a client one. */
  readonly code: ErrorCode | ClientErrorCode;

  constructor(code: ErrorCode | ClientErrorCode, message: string) {
    super(message);
    this.name = 'NeuroGraphError';
    this.code = code;
  }
}

/** The server answered a request with `error {code, message, ...}`. */
export class ServerError extends NeuroGraphError {
  declare readonly code: ErrorCode;
  /** Every field problem of a VALIDATION_FAILED, as sent. */
  readonly details: FieldProblem[] | undefined;
  /** With RATE_LIMITED: when to try again. */
  readonly retryAfterMs: number | undefined;
  /** The id of the request the error answers. */
  readonly originalMessageId: string | undefined;
  /** The whole `error` message. */
  readonly reply: ServerEnvelope<'error', ErrorPayload>;

  constructor(reply: ServerEnvelope<'error', ErrorPayload>) {
    super(reply.payload.code, reply.payload.message);
    this.name = 'ServerError';
    this.details = reply.payload.details;
    this.retryAfterMs = reply.payload.retry_after_ms;
    this.originalMessageId = reply.payload.original_message_id;
    this.reply = reply;
  }
}

/** No reply within the request timeout. A command may still take effect (protocol §6). */
export class RequestTimeoutError extends NeuroGraphError {
  readonly requestId: string;
  readonly requestType: string;
  readonly timeoutMs: number;

  constructor(requestId: string, requestType: string, timeoutMs: number) {
    super('CLIENT_TIMEOUT', `No reply to ${requestType} ${requestId} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
    this.requestId = requestId;
    this.requestType = requestType;
    this.timeoutMs = timeoutMs;
  }
}

/** A request could not be queued: the offline queue already holds its maximum. Nothing was sent. */
export class QueueFullError extends NeuroGraphError {
  readonly limit: number;

  constructor(limit: number) {
    super('QUEUE_FULL', `Request queue full (${limit} requests waiting to be sent); request not sent`);
    this.name = 'QueueFullError';
    this.limit = limit;
  }
}

/** The client was disconnected by the application, or gave up reconnecting, before a reply came. */
export class ConnectionClosedError extends NeuroGraphError {
  constructor(message: string) {
    super('CONNECTION_CLOSED', message);
    this.name = 'ConnectionClosedError';
  }
}

/** A request would make a frame larger than the server accepts (it would close the connection, 1009). */
export class FrameTooLargeError extends NeuroGraphError {
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number) {
    super('FRAME_TOO_LARGE', `Frame of ${size} bytes is larger than the limit of ${limit} bytes; not sent`);
    this.name = 'FrameTooLargeError';
    this.size = size;
    this.limit = limit;
  }
}
