/**
 * Types for every message of the NeuroGraph WebSocket protocol v1 (docs/protocol.md), in both
 * directions. Field names are the wire names (snake_case). Fields marked "(ext)" are additions of this
 * platform that the original servers did not send.
 */

/** A JSON object as sent on the wire. */
export type JsonObject = { [key: string]: unknown };

/** Exactly 8 numbers: index i is the axis in semantic space L(i+1). */
export type Vector8 = number[];

/** Every error code the gateway sends (§3). */
export type ErrorCode =
  | 'INVALID_JSON'
  | 'INVALID_ENVELOPE'
  | 'UNKNOWN_TYPE'
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'LIMIT_EXCEEDED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_FRAME'
  | 'UNKNOWN_TOPIC'
  | 'CONFLICT'
  | 'TIMEOUT'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** The client topics (§5). `token:<uuid>` carries one token's events and those of its edges. */
export type Topic = 'tokens' | 'graph' | 'system' | `token:${string}`;

export type Direction = 'incoming' | 'outgoing' | 'both';

// ---------------------------------------------------------------------------------------------
// Envelope (§2)

/** A message as sent by a client. */
export interface ClientEnvelope<T extends string = string, P = JsonObject> {
  /** Request id: the idempotency key of a command within its client_id (§6). At most 128 chars. */
  id?: string;
  type: T;
  payload: P;
  timestamp?: number;
}

/** A message as sent by the server. */
export interface ServerEnvelope<T extends string = string, P = unknown> {
  id: string;
  type: T;
  payload: P;
  timestamp: number;
  sender_id: null;
  /** (ext) On a direct reply: the id of the request it answers. */
  correlation_id?: string;
  /** (ext) On a subscription delivery: the topic it was delivered on. */
  topic?: string;
  /** (ext) On a subscription delivery: opaque position after this message, for `subscribe {since}`. */
  cursor?: string;
  /** (ext) On a delivery of a Kafka event: the event's id, the same on every instance and in every replay. */
  event_id?: string;
}

/** The original client's message type name, kept for source compatibility. */
export type WebSocketMessage = ServerEnvelope<string, any>;

// ---------------------------------------------------------------------------------------------
// System messages

export type PingPayload = Record<string, never>;
export interface PongPayload {
  /** The id of the ping it answers. */
  message_id: string;
}

export interface SubscribePayload {
  topic: string;
  /** Resume after this cursor (the cursor of the last message received on that topic). */
  since?: string;
}
export interface SubscribedPayload {
  topic: string;
  success: true;
  /** Position live delivery starts after (with `since` and `resumed: true`: the cursor sent). */
  cursor?: string;
  /** Present when `since` was sent: false means the events after it could not all be replayed. */
  resumed?: boolean;
}

export interface UnsubscribePayload {
  topic: string;
}
export interface UnsubscribedPayload {
  topic: string;
  success: true;
}

export interface AuthPayload {
  token: string;
}
export interface AuthenticatedPayload {
  /** The token's `sub`, or "anonymous" in auth mode none. */
  subject: string;
  /** The token's `exp` in epoch milliseconds, or null. */
  expires_at: number | null;
}

export interface ConnectionEstablishedPayload {
  connection_id: string;
  client_id: string;
  timestamp: number;
  /** (ext) */
  heartbeat_interval_ms?: number;
  /** (ext) */
  idle_timeout_ms?: number;
  /** (ext) "neurograph.v1" */
  protocol?: string;
}

export interface FieldProblem {
  field: string;
  problem: string;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  original_message_id?: string;
  details?: FieldProblem[];
  retry_after_ms?: number;
}

/** Operator message payloads are whatever JSON object the operator posted. */
export type SystemMessagePayload = JsonObject & { message?: unknown };

// ---------------------------------------------------------------------------------------------
// Tokens

/** The full token, as in `token.created`, `token.updated` and `token.search`. */
export interface Token {
  token_id: string;
  type: string;
  coord_x: Vector8;
  coord_y: Vector8;
  coord_z: Vector8;
  flags: number;
  weight: number;
  metadata: JsonObject;
  /** ISO-8601 UTC with microseconds. */
  created_at: string;
  updated_at: string;
  /** (ext) 1 on creation, +1 per change. */
  version: number;
}

export interface TokenCreatePayload {
  /** (ext) Optional: derived from the request's idempotency key when absent. */
  token_id?: string;
  type?: string;
  coord_x?: Vector8;
  coord_y?: Vector8;
  coord_z?: Vector8;
  flags?: number;
  weight?: number;
  metadata?: JsonObject;
}

export interface TokenGetPayload {
  token_id: string;
}

/** `token.data`: the seed shape of one token. */
export interface TokenData {
  token_id: string;
  type: string;
  weight: number;
  flags: number;
  coordinates: { x: Vector8; y: Vector8; z: Vector8 };
  metadata: JsonObject;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TokenNotFoundPayload {
  token_id: string;
}

export interface TokenListPayload {
  /** 1..100, default 10 */
  limit?: number;
  /** >= 0, default 0 */
  offset?: number;
  type?: string;
}
export interface TokenSummary {
  token_id: string;
  type: string;
  weight: number;
  created_at: string;
}
export interface TokenListResult {
  tokens: TokenSummary[];
  count: number;
  offset: number;
  /** (ext) */
  total?: number;
}

export interface TokenUpdatePayload {
  token_id: string;
  type?: string;
  weight?: number;
  flags?: number;
  metadata?: JsonObject;
  coord_x?: Vector8;
  coord_y?: Vector8;
  coord_z?: Vector8;
  /** Refuse with CONFLICT unless the token is at this version. */
  expected_version?: number;
}
/** The changes of a `token.update`, everything but the id. */
export type TokenChanges = Omit<TokenUpdatePayload, 'token_id'>;

export interface TokenDeletePayload {
  token_id: string;
}
export interface TokenDeletedPayload {
  token_id: string;
}

export interface TokenCountPayload {
  type?: string;
}
export interface TokenCountResult {
  count: number;
  type: string | null;
}

export interface Point3 {
  x: number;
  y: number;
  z: number;
}
export interface TokenSearchPayload {
  /** 0..7: the semantic space L(level+1). */
  level: number;
  min: Point3;
  max: Point3;
  /** 1..100, default 10 */
  limit?: number;
}
export interface TokenSearchResult {
  tokens: Token[];
  count: number;
}

// ---------------------------------------------------------------------------------------------
// Graph

/** An edge ("connection") between two tokens. */
export interface Edge {
  connection_id: string;
  source_id: string;
  target_id: string;
  type: string;
  weight: number;
  bidirectional: boolean;
  decay_rate: number;
  metadata: JsonObject;
  created_at: string;
}

export interface GraphConnectPayload {
  source_id: string;
  target_id: string;
  /** 1..50 chars, default "generic" */
  type?: string;
  /** 0..1, default 1.0 */
  weight?: number;
  bidirectional?: boolean;
  decay_rate?: number;
  metadata?: JsonObject;
}
/** Options of `connectTokens`: the edge fields besides its two ends. */
export type ConnectOptions = Omit<GraphConnectPayload, 'source_id' | 'target_id'>;

export interface GraphNeighborsPayload {
  token_id: string;
  direction?: Direction;
  type?: string;
  /** (ext) 1..1000, default 100 */
  limit?: number;
}
export interface Neighbor {
  connection_id: string;
  source_id: string;
  target_id: string;
  type: string;
  weight: number;
}
export interface GraphNeighborsResult {
  token_id: string;
  direction: Direction;
  neighbors: Neighbor[];
  count: number;
  /** (ext) */
  total?: number;
}

export interface GraphDisconnectPayload {
  connection_id: string;
}
export interface GraphDisconnectedPayload {
  connection_id: string;
  source_id: string;
  target_id: string;
  reason: 'requested' | 'token_deleted' | string;
}

export interface GraphPathPayload {
  source_id: string;
  target_id: string;
  /** 1..10, default 5 */
  max_depth?: number;
  /** 1..100, default 10 */
  limit?: number;
}
export interface GraphPathResult {
  source_id: string;
  target_id: string;
  paths: string[][];
  count: number;
  /** (ext) */
  truncated?: boolean;
}

export interface GraphDegreePayload {
  token_id: string;
}
export interface GraphDegreeResult {
  token_id: string;
  in_degree: number;
  out_degree: number;
  total_degree: number;
}

export type GraphStatsPayload = Record<string, never>;
export interface GraphStatsResult {
  total_nodes: number;
  total_edges: number;
  avg_degree: number;
  density: number;
}

// ---------------------------------------------------------------------------------------------
// Type maps

/** Every message the server sends, by type. */
export interface ServerPayloads {
  'connection.established': ConnectionEstablishedPayload;
  pong: PongPayload;
  subscribed: SubscribedPayload;
  unsubscribed: UnsubscribedPayload;
  authenticated: AuthenticatedPayload;
  error: ErrorPayload;
  'system.broadcast': SystemMessagePayload;
  'system.message': SystemMessagePayload;
  'token.created': Token;
  'token.data': TokenData;
  'token.not_found': TokenNotFoundPayload;
  'token.list': TokenListResult;
  'token.updated': Token;
  'token.deleted': TokenDeletedPayload;
  'token.count': TokenCountResult;
  'token.search': TokenSearchResult;
  'graph.connected': Edge;
  'graph.neighbors': GraphNeighborsResult;
  'graph.disconnected': GraphDisconnectedPayload;
  'graph.path': GraphPathResult;
  'graph.degree': GraphDegreeResult;
  'graph.stats': GraphStatsResult;
}
export type ServerMessageType = keyof ServerPayloads;

/** A server message of a known type, discriminated by `type`. */
export type ServerMessage<T extends ServerMessageType = ServerMessageType> = {
  [K in T]: ServerEnvelope<K, ServerPayloads[K]>;
}[T];

/** The server message types delivered on topics (carry `topic` and `cursor`). */
export type EventType =
  | 'token.created'
  | 'token.updated'
  | 'token.deleted'
  | 'graph.connected'
  | 'graph.disconnected'
  | 'system.message';
export type EventMessage<T extends EventType = EventType> = ServerMessage<T> & { topic: string; cursor: string };

/** Every request a client may send, with its payload and the types of its successful reply. */
export interface Requests {
  ping: { payload: PingPayload; reply: 'pong' };
  subscribe: { payload: SubscribePayload; reply: 'subscribed' };
  unsubscribe: { payload: UnsubscribePayload; reply: 'unsubscribed' };
  auth: { payload: AuthPayload; reply: 'authenticated' };
  'token.create': { payload: TokenCreatePayload; reply: 'token.created' };
  'token.get': { payload: TokenGetPayload; reply: 'token.data' | 'token.not_found' };
  'token.list': { payload: TokenListPayload; reply: 'token.list' };
  'token.update': { payload: TokenUpdatePayload; reply: 'token.updated' };
  'token.delete': { payload: TokenDeletePayload; reply: 'token.deleted' };
  'token.count': { payload: TokenCountPayload; reply: 'token.count' };
  'token.search': { payload: TokenSearchPayload; reply: 'token.search' };
  'graph.connect': { payload: GraphConnectPayload; reply: 'graph.connected' };
  'graph.neighbors': { payload: GraphNeighborsPayload; reply: 'graph.neighbors' };
  'graph.disconnect': { payload: GraphDisconnectPayload; reply: 'graph.disconnected' };
  'graph.path': { payload: GraphPathPayload; reply: 'graph.path' };
  'graph.degree': { payload: GraphDegreePayload; reply: 'graph.degree' };
  'graph.stats': { payload: GraphStatsPayload; reply: 'graph.stats' };
}
export type RequestType = keyof Requests;
export type RequestPayload<T extends RequestType> = Requests[T]['payload'];
export type ReplyMessage<T extends RequestType> = ServerMessage<Requests[T]['reply']>;

/** Requests that change state (commands): their id is an idempotency key (§6). */
export const COMMAND_TYPES: ReadonlySet<string> = new Set([
  'token.create',
  'token.update',
  'token.delete',
  'graph.connect',
  'graph.disconnect',
]);

/** All request types a client may send. */
export const REQUEST_TYPES: readonly RequestType[] = [
  'ping',
  'subscribe',
  'unsubscribe',
  'auth',
  'token.create',
  'token.get',
  'token.list',
  'token.update',
  'token.delete',
  'token.count',
  'token.search',
  'graph.connect',
  'graph.neighbors',
  'graph.disconnect',
  'graph.path',
  'graph.degree',
  'graph.stats',
];

/** All server message types. */
export const SERVER_MESSAGE_TYPES: readonly ServerMessageType[] = [
  'connection.established',
  'pong',
  'subscribed',
  'unsubscribed',
  'authenticated',
  'error',
  'system.broadcast',
  'system.message',
  'token.created',
  'token.data',
  'token.not_found',
  'token.list',
  'token.updated',
  'token.deleted',
  'token.count',
  'token.search',
  'graph.connected',
  'graph.neighbors',
  'graph.disconnected',
  'graph.path',
  'graph.degree',
  'graph.stats',
];

/** Whether a parsed frame looks like a server envelope (an object with a string type and an object payload). */
export function isServerEnvelope(value: unknown): value is ServerEnvelope {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && v.type.length > 0 && typeof v.payload === 'object' && v.payload !== null;
}

/** Whether a server message is an `error`. */
export function isErrorMessage(message: ServerEnvelope): message is ServerEnvelope<'error', ErrorPayload> {
  return message.type === 'error';
}
