import { backoffDelay } from './backoff.js';
import { BoundedSet, eventIdentity } from './bounded.js';
import {
  ConnectionClosedError,
  FrameTooLargeError,
  NeuroGraphError,
  QueueFullError,
  RequestTimeoutError,
  ServerError,
} from './errors.js';
import { CLIENT_ID_PATTERN, generateClientId, uuid } from './ids.js';
import {
  isErrorMessage,
  isServerEnvelope,
  type AuthenticatedPayload,
  type ConnectOptions,
  type ConnectionEstablishedPayload,
  type Direction,
  type ErrorPayload,
  type GraphNeighborsPayload,
  type GraphPathPayload,
  type ReplyMessage,
  type RequestPayload,
  type RequestType,
  type ServerEnvelope,
  type ServerMessage,
  type ServerMessageType,
  type SubscribedPayload,
  type TokenChanges,
  type TokenCreatePayload,
  type TokenSearchPayload,
  type WebSocketMessage,
} from './protocol.js';

// ---------------------------------------------------------------------------------------------
// WebSocket implementation

/**
 * The part of the WHATWG WebSocket API the client uses. Browsers' `WebSocket`, Node 22+'s global one and
 * the npm `ws` package's `WebSocket` all fit.
 */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the TCP connection at once, without a close handshake. */
  terminate?(): void;
}

/** A WebSocket constructor, e.g. `globalThis.WebSocket` or `import WebSocket from 'ws'`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

const OPEN = 1;

// ---------------------------------------------------------------------------------------------
// Options, events, state

/** How the access token reaches the gateway. */
export type TokenTransport = 'query' | 'auth';

export interface ConnectionOptions {
  /** Gateway WebSocket URL, e.g. `ws://localhost:8000/ws`. */
  url: string;
  /**
   * Sent as the `client_id` query parameter. It scopes idempotency keys (protocol §6), so it must stay
   * the same across reconnects: when absent one is generated once per client instance.
   */
  clientId?: string;
  /** Access token (a JWT in gateway auth mode `jwt`); see `tokenTransport`. */
  token?: string;
  /** Called before every connection attempt; its result replaces `token` (to hand over a fresh one). */
  tokenProvider?: () => string | null | undefined | Promise<string | null | undefined>;
  /** `query` (default): `?access_token=` at the handshake; `auth`: an `auth {token}` frame first thing. */
  tokenTransport?: TokenTransport;
  /** Reconnect by itself after the connection drops (default true). */
  reconnect?: boolean;
  /** Delay before the first reconnect attempt, in ms; later ones grow exponentially (default 1000). */
  reconnectInterval?: number;
  /** Upper bound of the reconnect delay, in ms (default 30000). */
  maxReconnectInterval?: number;
  /** Growth factor of the reconnect delay (default 2). */
  reconnectBackoffFactor?: number;
  /** Random share of each reconnect delay, 0..1 (default 0.5). */
  reconnectJitter?: number;
  /** Consecutive failed attempts after which the client gives up (default 20; Infinity for never). */
  maxReconnectAttempts?: number;
  /** Send an application `ping` this often while connected, in ms; 0 disables (default 30000). */
  heartbeatInterval?: number;
  /** No `pong` (and no other frame) this long after a ping → the connection is dropped and re-made (default 10000). */
  heartbeatTimeout?: number;
  /** An attempt that is not connected (and authenticated) within this many ms is abandoned (default 10000). */
  connectTimeout?: number;
  /** Reject a request when no reply came this long after it was sent, in ms (default 15000). */
  requestTimeout?: number;
  /** Requests waiting to be sent (while disconnected, or beyond `maxInFlight`); more are rejected (default 100). */
  offlineQueueSize?: number;
  /** Requests sent and awaiting a reply at once; the gateway allows 100 per connection (default 100). */
  maxInFlight?: number;
  /** Largest frame the client sends, in bytes; the gateway closes the connection on bigger ones (default 1 MiB). */
  maxFrameSize?: number;
  /** Event identities remembered per topic to drop a repeated delivery at a resume seam (default 1000). */
  dedupeWindow?: number;
  /**
   * How often a request answered with one of `retryCodes` is sent again, with the same id, before its
   * promise rejects (default 2; 0 disables). Safe for commands: the id is their idempotency key.
   */
  maxRetries?: number;
  /**
   * Server error codes that are retried (default UNAVAILABLE, TIMEOUT, RATE_LIMITED: the protocol says the
   * request was not processed, or that a repeat with the same id returns the original outcome).
   */
  retryCodes?: string[];
  /** The WebSocket implementation (default `globalThis.WebSocket`; pass `ws` on Node 20). */
  WebSocket?: WebSocketConstructor;
  /** Log what happens (default false). */
  debug?: boolean;
  /** Where debug lines go (default console.debug). */
  logger?: (...args: unknown[]) => void;
}

/**
 * `idle`: not connected and not trying (before connect(), after disconnect()): requests queue up.
 * `closed`: gave up reconnecting (or reconnect is off and the connection dropped): requests are refused.
 */
export type ConnectionState = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'reconnecting' | 'closed';

export interface DisconnectInfo {
  code: number;
  reason: string;
  /** Whether the client will try to reconnect by itself. */
  willReconnect: boolean;
}

export interface ReconnectInfo {
  /** 1 for the first retry after a drop. */
  attempt: number;
  /** ms until the attempt. */
  delay: number;
}

/** Emitted when a subscription could not be resumed without a gap: reload that topic's state. */
export interface ResyncInfo {
  topic: string;
  /** The cursor the client resumed from (null when it had none). */
  since: string | null;
  /** The fresh cursor live delivery starts after. */
  cursor: string | undefined;
  /** `cursor_not_resumable`: the server answered `resumed: false`; `no_cursor`: nothing to resume from. */
  reason: 'cursor_not_resumable' | 'no_cursor';
}

export interface DuplicateInfo {
  topic: string;
  identity: string;
  message: WebSocketMessage;
}

/** Lifecycle events, for `onEvent`. */
export interface ClientEvents {
  /** `connection.established` was received (and, with `tokenTransport: 'auth'`, the token was answered). */
  connected: ConnectionEstablishedPayload;
  disconnected: DisconnectInfo;
  reconnecting: ReconnectInfo;
  /** The client stopped trying to reconnect. */
  reconnect_failed: { attempts: number };
  /** A transport error, an undecodable frame, or an `error` not answering a request of this client. */
  error: unknown;
  authenticated: AuthenticatedPayload;
  /** Every `subscribed` reply, including automatic resubscribes after a reconnect. */
  subscribed: SubscribedPayload;
  /** A subscription came back without a gap-free resume: reload the state of `topic`. */
  resync_required: ResyncInfo;
  /** A repeated event was dropped. */
  duplicate: DuplicateInfo;
  state: ConnectionState;
}
export type ClientEventName = keyof ClientEvents;

export type MessageHandler = (message: WebSocketMessage) => void;
/** Handlers of the original client took no argument; those still fit. */
export type EventHandler<E extends ClientEventName = ClientEventName> = (data: ClientEvents[E]) => void;

export interface RequestOptions {
  /**
   * Request id, the idempotency key of a command within this client_id (default: a fresh UUID). Give your
   * own to make a command safe to repeat across client instances, e.g. after an application restart.
   */
  id?: string;
  /** Overrides `requestTimeout` for this request. */
  timeout?: number;
}

export interface SubscribeOptions {
  /** Resume after this cursor instead of starting live (e.g. one persisted by the application). */
  since?: string;
}

// ---------------------------------------------------------------------------------------------
// Internals

interface Deferred<T> {
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

interface PendingRequest {
  seq: number;
  id: string;
  type: string;
  frame: string;
  timeoutMs: number;
  deferred: Deferred<WebSocketMessage>;
  timer: ReturnType<typeof setTimeout> | undefined;
  retries: number;
}

interface InternalRequest {
  type: string;
  timer: ReturnType<typeof setTimeout> | undefined;
  onReply: (message: ServerEnvelope) => void;
  onTimeout: () => void;
}

interface Subscription {
  topic: string;
  cursor: string | null;
  status: 'pending' | 'active';
  /** The id of the `subscribe` request awaiting its reply on the current connection. */
  requestId: string | undefined;
  /** The cursor sent with that request. */
  sentSince: string | null;
  waiters: Deferred<ServerMessage<'subscribed'>>[];
  lastReply: ServerMessage<'subscribed'> | undefined;
  seen: BoundedSet<string>;
  everActive: boolean;
  retries: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
}

type Resolved = Required<
  Omit<ConnectionOptions, 'token' | 'tokenProvider' | 'WebSocket' | 'logger' | 'clientId' | 'retryCodes'>
> & { clientId: string; retryCodes: ReadonlySet<string> };

/** Returns a promise whose rejection never counts as unhandled (callers may fire and forget). */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function deferred<T>(): { promise: Promise<T>; deferred: Deferred<T> } {
  let d!: Deferred<T>;
  const promise = new Promise<T>((resolve, reject) => {
    d = { resolve, reject };
  });
  return { promise: handled(promise), deferred: d };
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The server's spelling of a topic: `token:<id>` is matched case-insensitively and echoed in lower case. */
export function canonicalTopic(topic: string): string {
  return topic.toLowerCase().startsWith('token:') ? topic.toLowerCase() : topic;
}

const RETRYABLE_SUBSCRIBE_ERRORS = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'TIMEOUT', 'INTERNAL']);
const MAX_SUBSCRIBE_RETRIES = 10;

// ---------------------------------------------------------------------------------------------

/**
 * A NeuroGraph WebSocket client: one logical connection that survives drops. Requests return promises
 * matched by `correlation_id`; subscriptions are resumed from their last cursor after every reconnect.
 */
export class NeuroGraphWebSocket {
  private readonly options: Resolved;
  private readonly WebSocketImpl: WebSocketConstructor | undefined;
  private readonly logger: (...args: unknown[]) => void;
  private token: string | undefined;
  private readonly tokenProvider: ConnectionOptions['tokenProvider'];

  private socket: WebSocketLike | null = null;
  private state: ConnectionState = 'idle';
  /** The application wants to be connected (connect() called, disconnect() not since). */
  private active = false;
  private attempts = 0;
  private generation = 0;
  private connectionId: string | null = null;
  private established: ConnectionEstablishedPayload | null = null;
  private connectWaiters: Deferred<void>[] = [];

  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private pingOutstanding = false;
  private lastInboundAt = 0;

  private seq = 0;
  private readonly queue: PendingRequest[] = [];
  private readonly inflight = new Map<string, PendingRequest>();
  /** Requests waiting for the delay before a retry. */
  private readonly retrying = new Map<PendingRequest, ReturnType<typeof setTimeout>>();
  private readonly internal = new Map<string, InternalRequest>();
  private readonly subscriptions = new Map<string, Subscription>();

  private readonly messageHandlers = new Map<string, Set<MessageHandler>>();
  private readonly eventHandlers = new Map<string, Set<(data: any) => void>>();

  constructor(options: ConnectionOptions) {
    if (!options || typeof options.url !== 'string' || !options.url) {
      throw new TypeError('NeuroGraphWebSocket: options.url is required');
    }
    const clientId = options.clientId || generateClientId();
    if (!CLIENT_ID_PATTERN.test(clientId)) {
      throw new TypeError('NeuroGraphWebSocket: clientId must be 1..128 characters of A-Z a-z 0-9 . _ : @ -');
    }
    const num = (v: number | undefined, d: number) => (typeof v === 'number' && !Number.isNaN(v) ? v : d);
    this.options = {
      url: options.url,
      clientId,
      tokenTransport: options.tokenTransport ?? 'query',
      reconnect: options.reconnect !== false,
      reconnectInterval: num(options.reconnectInterval, 1000),
      maxReconnectInterval: num(options.maxReconnectInterval, 30000),
      reconnectBackoffFactor: num(options.reconnectBackoffFactor, 2),
      reconnectJitter: num(options.reconnectJitter, 0.5),
      maxReconnectAttempts: num(options.maxReconnectAttempts, 20),
      heartbeatInterval: num(options.heartbeatInterval, 30000),
      heartbeatTimeout: num(options.heartbeatTimeout, 10000),
      connectTimeout: num(options.connectTimeout, 10000),
      requestTimeout: num(options.requestTimeout, 15000),
      offlineQueueSize: num(options.offlineQueueSize, 100),
      maxInFlight: Math.max(1, num(options.maxInFlight, 100)),
      maxFrameSize: num(options.maxFrameSize, 1024 * 1024),
      dedupeWindow: num(options.dedupeWindow, 1000),
      maxRetries: Math.max(0, num(options.maxRetries, 2)),
      retryCodes: new Set(options.retryCodes ?? ['UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED']),
      debug: options.debug ?? false,
    };
    this.token = options.token || undefined;
    this.tokenProvider = options.tokenProvider;
    this.WebSocketImpl = options.WebSocket;
    this.logger = options.logger ?? ((...args: unknown[]) => console.debug(...args));
  }

  // -------------------------------------------------------------------------------------------
  // Connection

  /**
   * Connects (if not already) and resolves once `connection.established` is in (and the token answered,
   * with `tokenTransport: 'auth'`). With `reconnect` on, failed attempts are retried with backoff and the
   * promise settles when one succeeds or the client gives up.
   */
  connect(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    const { promise, deferred: d } = deferred<void>();
    this.connectWaiters.push(d);
    if (this.state === 'connecting' || this.state === 'authenticating') return promise;
    if (this.state === 'reconnecting') {
      // Asked explicitly (say, the browser is back online): try now instead of waiting out the backoff.
      this.clearTimer('reconnectTimer');
      void this.openSocket();
      return promise;
    }
    this.active = true;
    this.attempts = 0;
    void this.openSocket();
    return promise;
  }

  /**
   * Closes the connection and stops reconnecting. Requests waiting for a reply or to be sent are rejected
   * with {@link ConnectionClosedError}. Subscriptions stay registered: a later `connect()` resumes them.
   * The client is `idle` again: requests made from now on wait in the queue for the next `connect()`.
   */
  disconnect(): void {
    this.active = false;
    this.clearTimer('reconnectTimer');
    const wasConnected = this.socket !== null;
    this.dropSocket(1000, 'client disconnect');
    if (wasConnected) {
      this.emit('disconnected', { code: 1000, reason: 'client disconnect', willReconnect: false });
    }
    this.setState('idle');
    this.failEverything(new ConnectionClosedError('Disconnected by the application'));
  }

  /** Whether the client is connected and ready to send. */
  isConnected(): boolean {
    return this.state === 'ready' && this.socket !== null && this.socket.readyState === OPEN;
  }

  /** The server's id of the current connection (null while disconnected); changes on every reconnect. */
  getConnectionId(): string | null {
    return this.connectionId;
  }

  /** This client's `client_id`, the same for every connection it makes. */
  getClientId(): string {
    return this.options.clientId;
  }

  getState(): ConnectionState {
    return this.state;
  }

  /** The `connection.established` payload of the current connection. */
  getConnectionInfo(): ConnectionEstablishedPayload | null {
    return this.established;
  }

  /** The topics this client is subscribed to (or subscribing to). */
  getSubscriptions(): string[] {
    return [...this.subscriptions.keys()];
  }

  /** The cursor of the last message received on `topic` (what a resume would start after). */
  getCursor(topic: string): string | null {
    return this.subscriptions.get(canonicalTopic(topic))?.cursor ?? null;
  }

  /** Requests waiting to be sent (offline queue). */
  getQueueSize(): number {
    return this.queue.length;
  }

  /** Requests sent and awaiting a reply. */
  getInFlightCount(): number {
    return this.inflight.size;
  }

  // -------------------------------------------------------------------------------------------
  // Handlers

  /** Calls `handler` for every server message of `type` (`'*'` for all). Returns a function that removes it. */
  on<T extends ServerMessageType>(type: T, handler: (message: ServerMessage<T>) => void): () => void;
  on(type: string, handler: MessageHandler): () => void;
  on(type: string, handler: (message: any) => void): () => void {
    let set = this.messageHandlers.get(type);
    if (!set) this.messageHandlers.set(type, (set = new Set()));
    set.add(handler);
    return () => this.off(type, handler);
  }

  off(type: string, handler: (message: any) => void): void {
    this.messageHandlers.get(type)?.delete(handler);
  }

  /** Calls `handler` on a lifecycle event (see {@link ClientEvents}). Returns a function that removes it. */
  onEvent<E extends ClientEventName>(event: E, handler: EventHandler<E>): () => void;
  onEvent(event: string, handler: (data?: any) => void): () => void;
  onEvent(event: string, handler: (data: any) => void): () => void {
    let set = this.eventHandlers.get(event);
    if (!set) this.eventHandlers.set(event, (set = new Set()));
    set.add(handler);
    return () => this.offEvent(event, handler);
  }

  offEvent(event: string, handler: (data: any) => void): void {
    this.eventHandlers.get(event)?.delete(handler);
  }

  // -------------------------------------------------------------------------------------------
  // Requests

  /**
   * Sends a request and resolves with its reply (matched by `correlation_id`). Rejects with
   * {@link ServerError} when the reply is an `error` (after `maxRetries` same-id retries for `retryCodes`),
   * {@link RequestTimeoutError} when none comes in time,
   * {@link QueueFullError} when it cannot even be queued. While disconnected the request waits in the
   * offline queue and is sent after the reconnect; one that was in flight when the connection dropped is
   * sent again with the same id, so a command takes effect once (protocol §6).
   */
  request<T extends RequestType>(type: T, payload: RequestPayload<T>, options?: RequestOptions): Promise<ReplyMessage<T>>;
  request(type: string, payload?: object, options?: RequestOptions): Promise<WebSocketMessage>;
  request(type: string, payload: object = {}, options: RequestOptions = {}): Promise<WebSocketMessage> {
    if (type === 'subscribe') {
      const p = payload as { topic: string; since?: string };
      return this.subscribe(p.topic, p.since ? { since: p.since } : {});
    }
    if (type === 'unsubscribe') {
      return this.unsubscribe((payload as { topic: string }).topic) as Promise<WebSocketMessage>;
    }
    if (type === 'auth') {
      return this.authenticate((payload as { token: string }).token) as Promise<WebSocketMessage>;
    }
    const { promise, deferred: d } = deferred<WebSocketMessage>();
    const id = options.id ?? uuid();
    if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
      d.reject(new TypeError('request id must be a string of 1..128 characters'));
      return promise;
    }
    if (this.inflight.has(id) || this.queue.some((r) => r.id === id) || [...this.retrying.keys()].some((r) => r.id === id)) {
      d.reject(new TypeError(`request id ${id} is already waiting for a reply`));
      return promise;
    }
    const frame = JSON.stringify({ id, type, payload, timestamp: Date.now() });
    const size = byteLength(frame);
    if (size > this.options.maxFrameSize) {
      d.reject(new FrameTooLargeError(size, this.options.maxFrameSize));
      return promise;
    }
    if (this.state === 'closed') {
      d.reject(new ConnectionClosedError('The client gave up reconnecting; call connect() first'));
      return promise;
    }
    const req: PendingRequest = {
      seq: ++this.seq,
      id,
      type,
      frame,
      timeoutMs: options.timeout ?? this.options.requestTimeout,
      deferred: d,
      timer: undefined,
      retries: 0,
    };
    if (this.canTransmit() && this.queue.length === 0) {
      this.transmit(req);
    } else if (this.queue.length >= this.options.offlineQueueSize) {
      this.log('queue full, refusing', type, id);
      d.reject(new QueueFullError(this.options.offlineQueueSize));
    } else {
      this.log('queueing', type, id);
      this.queue.push(req);
    }
    return promise;
  }

  /** The original client's fire-and-forget send; here it also returns the reply. */
  send(type: string, payload: Record<string, any> = {}, options?: RequestOptions): Promise<WebSocketMessage> {
    return this.request(type, payload, options);
  }

  /** An application-level `ping`; resolves with the `pong`. */
  ping(options?: RequestOptions): Promise<ServerMessage<'pong'>> {
    return this.request('ping', {}, options);
  }

  /**
   * Subscribes to `topic` (`tokens`, `graph`, `system`, `token:<id>`) and resolves with `subscribed`. The
   * subscription is kept across reconnects and resumed from the cursor of the last message received on it.
   */
  subscribe(topic: string, options: SubscribeOptions = {}): Promise<ServerMessage<'subscribed'>> {
    const key = canonicalTopic(topic);
    const { promise, deferred: d } = deferred<ServerMessage<'subscribed'>>();
    const existing = this.subscriptions.get(key);
    if (existing) {
      if (existing.status === 'active' && existing.lastReply) d.resolve(existing.lastReply);
      else existing.waiters.push(d);
      return promise;
    }
    const sub: Subscription = {
      topic: key,
      cursor: options.since ?? null,
      status: 'pending',
      requestId: undefined,
      sentSince: null,
      waiters: [d],
      lastReply: undefined,
      seen: new BoundedSet<string>(this.options.dedupeWindow),
      everActive: false,
      retries: 0,
      retryTimer: undefined,
    };
    this.subscriptions.set(key, sub);
    if (this.state === 'ready') this.sendSubscribe(sub);
    return promise;
  }

  /** Unsubscribes; resolves with `unsubscribed`, or null when not connected (nothing to tell the server). */
  unsubscribe(topic: string): Promise<ServerMessage<'unsubscribed'> | null> {
    const key = canonicalTopic(topic);
    const sub = this.subscriptions.get(key);
    if (sub) {
      this.subscriptions.delete(key);
      if (sub.retryTimer) clearTimeout(sub.retryTimer);
      if (sub.requestId) this.internal.delete(sub.requestId);
      for (const w of sub.waiters) w.reject(new ConnectionClosedError(`Unsubscribed from ${key} before it was confirmed`));
      sub.waiters = [];
    }
    if (this.state !== 'ready') return Promise.resolve(null);
    const { promise, deferred: d } = deferred<ServerMessage<'unsubscribed'> | null>();
    this.sendInternal('unsubscribe', { topic: key }, this.options.requestTimeout, {
      onReply: (m) => (isErrorMessage(m) ? d.reject(new ServerError(m)) : d.resolve(m as ServerMessage<'unsubscribed'>)),
      onTimeout: () => d.reject(new RequestTimeoutError('-', 'unsubscribe', this.options.requestTimeout)),
    });
    return promise;
  }

  /**
   * Sends `auth {token}` (to authenticate a connection opened without a token, or to refresh an expiring
   * one) and keeps the token for later reconnects. Resolves with `authenticated`. While disconnected the
   * token is only stored, and the promise resolves with null.
   */
  authenticate(token: string): Promise<ServerMessage<'authenticated'> | null> {
    this.token = token;
    if (this.state !== 'ready' && this.state !== 'authenticating') return Promise.resolve(null);
    const { promise, deferred: d } = deferred<ServerMessage<'authenticated'> | null>();
    this.sendInternal('auth', { token }, this.options.requestTimeout, {
      onReply: (m) => {
        if (isErrorMessage(m)) return d.reject(new ServerError(m));
        this.emit('authenticated', (m as ServerMessage<'authenticated'>).payload);
        d.resolve(m as ServerMessage<'authenticated'>);
      },
      onTimeout: () => d.reject(new RequestTimeoutError('-', 'auth', this.options.requestTimeout)),
    });
    return promise;
  }

  /** Alias of {@link authenticate}. */
  setToken(token: string): Promise<ServerMessage<'authenticated'> | null> {
    return this.authenticate(token);
  }

  // Token API ---------------------------------------------------------------------------------

  createToken(data: TokenCreatePayload = {}, options?: RequestOptions): Promise<ServerMessage<'token.created'>> {
    return this.request('token.create', data, options);
  }

  /** Resolves with `token.data`, or `token.not_found` when there is no such token. */
  getToken(tokenId: string, options?: RequestOptions): Promise<ServerMessage<'token.data' | 'token.not_found'>> {
    return this.request('token.get', { token_id: tokenId }, options);
  }

  listTokens(
    limit = 10,
    offset = 0,
    filter: { type?: string } = {},
    options?: RequestOptions,
  ): Promise<ServerMessage<'token.list'>> {
    return this.request('token.list', { limit, offset, ...(filter.type !== undefined ? { type: filter.type } : {}) }, options);
  }

  updateToken(tokenId: string, changes: TokenChanges, options?: RequestOptions): Promise<ServerMessage<'token.updated'>> {
    return this.request('token.update', { ...changes, token_id: tokenId }, options);
  }

  deleteToken(tokenId: string, options?: RequestOptions): Promise<ServerMessage<'token.deleted'>> {
    return this.request('token.delete', { token_id: tokenId }, options);
  }

  countTokens(type?: string, options?: RequestOptions): Promise<ServerMessage<'token.count'>> {
    return this.request('token.count', type !== undefined ? { type } : {}, options);
  }

  searchTokens(query: TokenSearchPayload, options?: RequestOptions): Promise<ServerMessage<'token.search'>> {
    return this.request('token.search', query, options);
  }

  // Graph API ---------------------------------------------------------------------------------

  connectTokens(
    sourceId: string,
    targetId: string,
    edge: ConnectOptions = {},
    options?: RequestOptions,
  ): Promise<ServerMessage<'graph.connected'>> {
    return this.request('graph.connect', { ...edge, source_id: sourceId, target_id: targetId }, options);
  }

  getNeighbors(
    tokenId: string,
    direction: Direction = 'both',
    filter: Omit<GraphNeighborsPayload, 'token_id' | 'direction'> = {},
    options?: RequestOptions,
  ): Promise<ServerMessage<'graph.neighbors'>> {
    return this.request('graph.neighbors', { ...filter, token_id: tokenId, direction }, options);
  }

  /** Removes an edge by its `connection_id` (`graph.disconnect`). */
  disconnectTokens(connectionId: string, options?: RequestOptions): Promise<ServerMessage<'graph.disconnected'>> {
    return this.request('graph.disconnect', { connection_id: connectionId }, options);
  }

  findPaths(
    sourceId: string,
    targetId: string,
    bounds: Omit<GraphPathPayload, 'source_id' | 'target_id'> = {},
    options?: RequestOptions,
  ): Promise<ServerMessage<'graph.path'>> {
    return this.request('graph.path', { ...bounds, source_id: sourceId, target_id: targetId }, options);
  }

  getDegree(tokenId: string, options?: RequestOptions): Promise<ServerMessage<'graph.degree'>> {
    return this.request('graph.degree', { token_id: tokenId }, options);
  }

  getGraphStats(options?: RequestOptions): Promise<ServerMessage<'graph.stats'>> {
    return this.request('graph.stats', {}, options);
  }

  // -------------------------------------------------------------------------------------------
  // Socket lifecycle

  private async openSocket(): Promise<void> {
    this.setState('connecting');
    const gen = ++this.generation;
    let token = this.token;
    if (this.tokenProvider) {
      try {
        const fresh = await this.tokenProvider();
        if (fresh) token = this.token = fresh;
      } catch (error) {
        if (gen !== this.generation || !this.active) return;
        this.emit('error', error);
        this.onSocketClosed(gen, 1006, 'token provider failed');
        return;
      }
      if (gen !== this.generation || !this.active) return;
    }
    const Impl = this.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Impl) {
      this.active = false;
      this.setState('closed');
      this.failEverything(
        new NeuroGraphError(
          'NO_WEBSOCKET',
          'No WebSocket implementation: pass one as options.WebSocket (e.g. the `ws` package on Node 20)',
        ),
      );
      return;
    }
    let url: string;
    try {
      const u = new URL(this.options.url);
      u.searchParams.set('client_id', this.options.clientId);
      if (token && this.options.tokenTransport === 'query') u.searchParams.set('access_token', token);
      url = u.toString();
    } catch (error) {
      this.active = false;
      this.setState('closed');
      this.failEverything(error);
      return;
    }
    this.log('connecting to', this.options.url, 'as', this.options.clientId);
    let socket: WebSocketLike;
    try {
      socket = new Impl(url);
    } catch (error) {
      this.emit('error', error);
      this.onSocketClosed(gen, 1006, 'connect failed');
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (gen === this.generation) this.log('socket open');
    };
    socket.onmessage = (event: { data: unknown }) => {
      if (gen === this.generation) this.handleFrame(event.data);
    };
    socket.onerror = (event: unknown) => {
      if (gen === this.generation) this.emit('error', event);
    };
    socket.onclose = (event: { code?: number; reason?: string }) => {
      if (gen === this.generation) this.onSocketClosed(gen, event?.code ?? 1006, event?.reason ?? '');
    };
    this.connectTimer = setTimeout(() => {
      if (gen === this.generation) this.abandon('connect timeout');
    }, this.options.connectTimeout);
  }

  /** Detaches the current socket and closes it; its events are ignored from then on. */
  private dropSocket(code: number, reason: string, hard = false): void {
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    this.stopHeartbeat();
    this.clearTimer('connectTimer');
    this.connectionId = null;
    this.established = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.onerror = () => undefined; // a late error must not become an unhandled 'error' event in ws
    try {
      if (hard && typeof socket.terminate === 'function') socket.terminate();
      else socket.close(code, reason);
    } catch {
      // closing a socket that never opened may throw; it is gone either way
    }
  }

  /** Gives up on the current socket (dead or stuck) and goes through the reconnect path at once. */
  private abandon(reason: string): void {
    this.log('abandoning connection:', reason);
    this.dropSocket(4000, reason, true);
    this.onSocketClosed(this.generation, 1006, reason);
  }

  private onSocketClosed(gen: number, code: number, reason: string): void {
    if (gen !== this.generation) return;
    this.log('closed', code, reason);
    if (this.socket) this.dropSocket(code, reason);
    // Replies of the old connection will never come: internal requests end, user requests go back to the
    // queue (in their original order) and are sent again, with the same id, after the reconnect.
    for (const [, req] of this.internal) if (req.timer) clearTimeout(req.timer);
    this.internal.clear();
    this.pingOutstanding = false;
    for (const sub of this.subscriptions.values()) {
      sub.status = 'pending';
      sub.requestId = undefined;
      if (sub.retryTimer) clearTimeout(sub.retryTimer);
      sub.retryTimer = undefined;
    }
    if (this.inflight.size > 0) {
      const back = [...this.inflight.values()];
      this.inflight.clear();
      for (const r of back) {
        if (r.timer) clearTimeout(r.timer);
        r.timer = undefined;
      }
      this.queue.unshift(...back);
      this.queue.sort((a, b) => a.seq - b.seq);
    }
    const unauthenticated = code === 4001 && !this.tokenProvider;
    const willReconnect =
      this.active && this.options.reconnect && !unauthenticated && this.attempts < this.options.maxReconnectAttempts;
    this.emit('disconnected', { code, reason, willReconnect });
    if (!this.active) {
      this.setState('idle');
      return;
    }
    if (willReconnect) {
      this.scheduleReconnect();
      return;
    }
    this.active = false;
    this.setState('closed');
    if (this.options.reconnect) this.emit('reconnect_failed', { attempts: this.attempts });
    this.failEverything(
      new ConnectionClosedError(
        unauthenticated
          ? 'The server closed the connection as unauthenticated (4001); set a valid token and connect again'
          : this.options.reconnect
            ? `Gave up reconnecting after ${this.attempts} attempts`
            : `Connection closed (${code}${reason ? ' ' + reason : ''}) and reconnect is off`,
      ),
    );
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempts, {
      initialDelay: this.options.reconnectInterval,
      maxDelay: this.options.maxReconnectInterval,
      factor: this.options.reconnectBackoffFactor,
      jitter: this.options.reconnectJitter,
    });
    this.attempts++;
    this.setState('reconnecting');
    this.log(`reconnecting in ${delay} ms (attempt ${this.attempts}/${this.options.maxReconnectAttempts})`);
    this.emit('reconnecting', { attempt: this.attempts, delay });
    this.clearTimer('reconnectTimer');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.active) void this.openSocket();
    }, delay);
  }

  private handleFrame(data: unknown): void {
    this.lastInboundAt = Date.now();
    if (typeof data !== 'string') {
      this.log('ignoring a binary frame');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch (error) {
      this.emit('error', error);
      return;
    }
    if (!isServerEnvelope(message)) {
      this.log('ignoring a frame that is not an envelope', data.slice(0, 200));
      return;
    }
    const msg = message as WebSocketMessage;
    if (this.options.debug) this.log('received', msg.type, msg.correlation_id ?? msg.topic ?? '');

    if (msg.type === 'connection.established') {
      this.onEstablished(msg.payload as ConnectionEstablishedPayload);
    } else if (msg.correlation_id !== undefined && msg.correlation_id !== null) {
      const internal = this.internal.get(msg.correlation_id);
      if (internal) {
        this.internal.delete(msg.correlation_id);
        if (internal.timer) clearTimeout(internal.timer);
        internal.onReply(msg);
      } else {
        const req = this.inflight.get(msg.correlation_id);
        if (req) {
          this.inflight.delete(req.id);
          if (req.timer) clearTimeout(req.timer);
          if (!isErrorMessage(msg)) req.deferred.resolve(msg);
          else this.onRequestError(req, new ServerError(msg as ServerEnvelope<'error', ErrorPayload>));
          this.pump();
        } else if (isErrorMessage(msg)) {
          this.emit('error', new ServerError(msg as ServerEnvelope<'error', ErrorPayload>));
        }
      }
    } else if (isErrorMessage(msg)) {
      this.emit('error', new ServerError(msg as ServerEnvelope<'error', ErrorPayload>));
    } else if (typeof msg.topic === 'string' && typeof msg.cursor === 'string') {
      if (!this.onDelivery(msg)) return;
    }
    this.dispatch(msg);
  }

  /** Tracks the cursor of a delivery; returns false when it repeats one already delivered. */
  private onDelivery(msg: WebSocketMessage): boolean {
    const sub = this.subscriptions.get(canonicalTopic(msg.topic!));
    if (!sub) return true;
    sub.cursor = msg.cursor!;
    const identity = eventIdentity(msg as { type: string; payload: unknown; event_id?: unknown });
    if (identity !== null && !sub.seen.add(identity)) {
      this.log('dropping a repeated event', identity, 'on', sub.topic);
      this.emit('duplicate', { topic: sub.topic, identity, message: msg });
      return false;
    }
    return true;
  }

  private onEstablished(payload: ConnectionEstablishedPayload): void {
    this.connectionId = payload.connection_id;
    this.established = payload;
    this.log('connection established', payload.connection_id);
    if (this.token && this.options.tokenTransport === 'auth') {
      this.setState('authenticating');
      const gen = this.generation;
      this.sendInternal('auth', { token: this.token }, this.options.connectTimeout, {
        onReply: (m) => {
          if (gen !== this.generation) return;
          if (isErrorMessage(m)) this.emit('error', new ServerError(m));
          else this.emit('authenticated', (m as ServerMessage<'authenticated'>).payload);
          this.becomeReady();
        },
        onTimeout: () => {
          if (gen === this.generation) this.abandon('no answer to auth');
        },
      });
    } else {
      this.becomeReady();
    }
  }

  private becomeReady(): void {
    this.clearTimer('connectTimer');
    this.attempts = 0;
    this.setState('ready');
    this.startHeartbeat();
    for (const sub of this.subscriptions.values()) this.sendSubscribe(sub);
    this.pump();
    if (this.established) this.emit('connected', this.established);
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private sendSubscribe(sub: Subscription): void {
    if (this.state !== 'ready' || sub.requestId) return;
    const since = sub.cursor;
    const payload = since ? { topic: sub.topic, since } : { topic: sub.topic };
    sub.sentSince = since;
    const gen = this.generation;
    sub.requestId = this.sendInternal('subscribe', payload, this.options.requestTimeout, {
      onReply: (m) => this.onSubscribeReply(sub, m),
      // An unanswered subscribe leaves its state on the server unknown: start over on a new connection.
      onTimeout: () => {
        if (gen === this.generation) this.abandon('no answer to subscribe');
      },
    });
  }

  private onSubscribeReply(sub: Subscription, m: WebSocketMessage): void {
    if (this.subscriptions.get(sub.topic) !== sub || sub.requestId !== m.correlation_id) return;
    sub.requestId = undefined;
    if (isErrorMessage(m)) {
      const error = new ServerError(m as ServerEnvelope<'error', ErrorPayload>);
      if (RETRYABLE_SUBSCRIBE_ERRORS.has(error.code) && sub.retries < MAX_SUBSCRIBE_RETRIES) {
        const delay =
          error.retryAfterMs ??
          backoffDelay(sub.retries, {
            initialDelay: this.options.reconnectInterval,
            maxDelay: this.options.maxReconnectInterval,
            factor: this.options.reconnectBackoffFactor,
            jitter: this.options.reconnectJitter,
          });
        sub.retries++;
        this.log(`subscribe ${sub.topic} failed (${error.code}), retrying in ${delay} ms`);
        sub.retryTimer = setTimeout(() => {
          sub.retryTimer = undefined;
          if (this.subscriptions.get(sub.topic) === sub) this.sendSubscribe(sub);
        }, delay);
        return;
      }
      this.subscriptions.delete(sub.topic);
      const waiters = sub.waiters;
      sub.waiters = [];
      for (const w of waiters) w.reject(error);
      if (waiters.length === 0) this.emit('error', error);
      return;
    }
    const reply = m as ServerMessage<'subscribed'>;
    sub.retries = 0;
    sub.status = 'active';
    sub.lastReply = reply;
    const resumedFrom = sub.sentSince;
    if (reply.payload.cursor) sub.cursor = reply.payload.cursor;
    let resync: ResyncInfo | undefined;
    if (resumedFrom !== null && reply.payload.resumed === false) {
      resync = { topic: sub.topic, since: resumedFrom, cursor: reply.payload.cursor, reason: 'cursor_not_resumable' };
    } else if (resumedFrom === null && sub.everActive) {
      resync = { topic: sub.topic, since: null, cursor: reply.payload.cursor, reason: 'no_cursor' };
    }
    sub.everActive = true;
    const waiters = sub.waiters;
    sub.waiters = [];
    for (const w of waiters) w.resolve(reply);
    this.emit('subscribed', reply.payload);
    if (resync) {
      this.log('resume not possible for', sub.topic, resync.reason);
      sub.seen.clear();
      this.emit('resync_required', resync);
    }
  }

  /** Sends a system request outside the queue: never queued, never re-sent after a reconnect. */
  private sendInternal(
    type: string,
    payload: object,
    timeoutMs: number,
    handlers: { onReply: (m: WebSocketMessage) => void; onTimeout: () => void },
  ): string {
    const id = uuid();
    const entry: InternalRequest = { type, timer: undefined, ...handlers };
    this.internal.set(id, entry);
    entry.timer = setTimeout(() => {
      if (this.internal.get(id) !== entry) return;
      this.internal.delete(id);
      handlers.onTimeout();
    }, timeoutMs);
    this.write(JSON.stringify({ id, type, payload, timestamp: Date.now() }));
    return id;
  }

  /** Retries a request the server could not handle now (same id), or rejects it. */
  private onRequestError(req: PendingRequest, error: ServerError): void {
    if (!this.options.retryCodes.has(error.code) || req.retries >= this.options.maxRetries) {
      req.deferred.reject(error);
      return;
    }
    const delay =
      error.retryAfterMs ??
      backoffDelay(req.retries, {
        initialDelay: this.options.reconnectInterval,
        maxDelay: this.options.maxReconnectInterval,
        factor: this.options.reconnectBackoffFactor,
        jitter: this.options.reconnectJitter,
      });
    req.retries++;
    this.log(`${req.type} ${req.id} answered ${error.code}; retry ${req.retries} in ${delay} ms`);
    this.retrying.set(
      req,
      setTimeout(() => {
        this.retrying.delete(req);
        const at = this.queue.findIndex((q) => q.seq > req.seq);
        if (at < 0) this.queue.push(req);
        else this.queue.splice(at, 0, req);
        this.pump();
      }, Math.max(0, delay)),
    );
  }

  private canTransmit(): boolean {
    return this.state === 'ready' && this.socket !== null && this.inflight.size < this.options.maxInFlight;
  }

  private transmit(req: PendingRequest): void {
    this.inflight.set(req.id, req);
    req.timer = setTimeout(() => {
      if (this.inflight.get(req.id) !== req) return;
      this.inflight.delete(req.id);
      req.deferred.reject(new RequestTimeoutError(req.id, req.type, req.timeoutMs));
      this.pump();
    }, req.timeoutMs);
    this.log('sending', req.type, req.id);
    this.write(req.frame);
  }

  /** Sends queued requests while the connection is ready and the in-flight window has room. */
  private pump(): void {
    while (this.queue.length > 0 && this.canTransmit()) {
      this.transmit(this.queue.shift()!);
    }
  }

  private write(frame: string): void {
    try {
      this.socket?.send(frame);
    } catch (error) {
      // The socket is closing; its close event brings the request back to the queue.
      this.log('send failed', error);
    }
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const interval = this.options.heartbeatInterval;
    if (!(interval > 0)) return;
    this.heartbeatTimer = setInterval(() => this.beat(), interval);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.pingOutstanding = false;
  }

  private beat(): void {
    if (this.state !== 'ready' || this.pingOutstanding) return;
    this.pingOutstanding = true;
    const sentAt = Date.now();
    const gen = this.generation;
    this.sendInternal('ping', {}, this.options.heartbeatTimeout, {
      onReply: () => {
        this.pingOutstanding = false;
      },
      onTimeout: () => {
        if (gen !== this.generation) return;
        this.pingOutstanding = false;
        // Frames still arriving (say, a long replay ahead of the pong) mean the connection is alive.
        if (this.lastInboundAt > sentAt) return;
        this.abandon('heartbeat timeout');
      },
    });
  }

  private failEverything(error: unknown): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.reject(error);
    for (const [, req] of this.internal) if (req.timer) clearTimeout(req.timer);
    this.internal.clear();
    const requests = [...this.inflight.values(), ...this.queue, ...this.retrying.keys()];
    for (const t of this.retrying.values()) clearTimeout(t);
    this.retrying.clear();
    this.inflight.clear();
    this.queue.length = 0;
    for (const r of requests) {
      if (r.timer) clearTimeout(r.timer);
      r.deferred.reject(error);
    }
    for (const sub of this.subscriptions.values()) {
      if (sub.retryTimer) clearTimeout(sub.retryTimer);
      sub.retryTimer = undefined;
      sub.status = 'pending';
      sub.requestId = undefined;
      const subWaiters = sub.waiters;
      sub.waiters = [];
      for (const w of subWaiters) w.reject(error);
    }
  }

  private clearTimer(name: 'reconnectTimer' | 'connectTimer'): void {
    const t = this[name];
    if (t !== undefined) clearTimeout(t);
    this[name] = undefined;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private dispatch(message: WebSocketMessage): void {
    for (const key of [message.type, '*']) {
      const handlers = this.messageHandlers.get(key);
      if (!handlers) continue;
      for (const handler of [...handlers]) {
        try {
          handler(message);
        } catch (error) {
          this.log('message handler threw', error);
        }
      }
    }
  }

  private emit<E extends ClientEventName>(event: E, data: ClientEvents[E]): void {
    const handlers = this.eventHandlers.get(event);
    if (!handlers) return;
    for (const handler of [...handlers]) {
      try {
        handler(data);
      } catch (error) {
        this.log('event handler threw', error);
      }
    }
  }

  private log(...args: unknown[]): void {
    if (this.options.debug) this.logger('[NeuroGraphWS]', ...args);
  }
}

/** Creates a client (not yet connected: call `connect()`). */
export function createWebSocket(options: ConnectionOptions): NeuroGraphWebSocket {
  return new NeuroGraphWebSocket(options);
}
