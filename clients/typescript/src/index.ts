export {
  NeuroGraphWebSocket,
  createWebSocket,
  canonicalTopic,
  type ConnectionOptions,
  type ConnectionState,
  type ClientEvents,
  type ClientEventName,
  type DisconnectInfo,
  type DuplicateInfo,
  type EventHandler,
  type MessageHandler,
  type ReconnectInfo,
  type RequestOptions,
  type ResyncInfo,
  type SubscribeOptions,
  type TokenTransport,
  type WebSocketConstructor,
  type WebSocketLike,
} from './client.js';
export {
  NeuroGraphError,
  ServerError,
  RequestTimeoutError,
  QueueFullError,
  ConnectionClosedError,
  FrameTooLargeError,
  type ClientErrorCode,
} from './errors.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { BoundedSet, eventIdentity } from './bounded.js';
export { generateClientId, CLIENT_ID_PATTERN } from './ids.js';
export * from './protocol.js';
