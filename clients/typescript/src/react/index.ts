/**
 * React hooks for the NeuroGraph client: `@neurograph/client/react`. React is a peer dependency of this
 * entry point only; the core client (`@neurograph/client`) does not need it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  createWebSocket,
  type ConnectionOptions,
  type MessageHandler,
  type NeuroGraphWebSocket,
  type RequestOptions,
} from '../client.js';
import type {
  ConnectOptions,
  Direction,
  ServerMessage,
  TokenCreatePayload,
  WebSocketMessage,
} from '../protocol.js';

export interface UseWebSocketOptions extends Omit<ConnectionOptions, 'url'> {
  /** Connect when the component mounts (default true). */
  autoConnect?: boolean;
}

export interface UseWebSocketReturn {
  /** The client; the same object for the lifetime of the component (per `url`), never null. */
  ws: NeuroGraphWebSocket;
  isConnected: boolean;
  /** The server's id of the current connection; updates on every reconnect, null while disconnected. */
  connectionId: string | null;
  send: (type: string, payload?: Record<string, any>) => Promise<WebSocketMessage>;
  subscribe: (topic: string) => Promise<ServerMessage<'subscribed'>>;
  unsubscribe: (topic: string) => Promise<ServerMessage<'unsubscribed'> | null>;
  connect: () => Promise<void>;
  disconnect: () => void;

  // Token API
  createToken: (data?: TokenCreatePayload, options?: RequestOptions) => Promise<ServerMessage<'token.created'>>;
  getToken: (tokenId: string) => Promise<ServerMessage<'token.data' | 'token.not_found'>>;
  listTokens: (limit?: number, offset?: number) => Promise<ServerMessage<'token.list'>>;

  // Graph API
  connectTokens: (
    sourceId: string,
    targetId: string,
    options?: ConnectOptions,
  ) => Promise<ServerMessage<'graph.connected'>>;
  getNeighbors: (tokenId: string, direction?: Direction) => Promise<ServerMessage<'graph.neighbors'>>;
}

/**
 * Owns one client per `url` for the component's lifetime: created during the first render (so `ws` is
 * never null), connected on mount when `autoConnect` (default), disconnected on unmount. `isConnected` and
 * `connectionId` follow the connection, including reconnects. Options other than `url` are read when the
 * client is created; a changed `token` is sent as an `auth` refresh.
 */
export function useNeuroGraphWebSocket(url: string, options: UseWebSocketOptions = {}): UseWebSocketReturn {
  const { autoConnect = true, ...clientOptions } = options;
  const optionsRef = useRef(clientOptions);
  optionsRef.current = clientOptions;

  // Created during render, without side effects (the constructor opens nothing).
  const ws = useMemo(() => createWebSocket({ ...optionsRef.current, url }), [url]);

  const [isConnected, setIsConnected] = useState<boolean>(() => ws.isConnected());
  const [connectionId, setConnectionId] = useState<string | null>(() => ws.getConnectionId());

  useEffect(() => {
    const sync = () => {
      setIsConnected(ws.isConnected());
      setConnectionId(ws.getConnectionId());
    };
    const offConnected = ws.onEvent('connected', sync);
    const offDisconnected = ws.onEvent('disconnected', sync);
    sync();
    if (autoConnect) ws.connect().catch(() => undefined);
    return () => {
      offConnected();
      offDisconnected();
      ws.disconnect();
    };
  }, [ws, autoConnect]);

  // A new token on a live client: refresh it in band (and use it for later reconnects).
  const token = clientOptions.token;
  const firstToken = useRef(token);
  useEffect(() => {
    if (token === undefined || token === firstToken.current) return;
    firstToken.current = token;
    ws.authenticate(token).catch(() => undefined);
  }, [ws, token]);

  const send = useCallback((type: string, payload: Record<string, any> = {}) => ws.send(type, payload), [ws]);
  const subscribe = useCallback((topic: string) => ws.subscribe(topic), [ws]);
  const unsubscribe = useCallback((topic: string) => ws.unsubscribe(topic), [ws]);
  const connect = useCallback(() => ws.connect(), [ws]);
  const disconnect = useCallback(() => ws.disconnect(), [ws]);
  const createToken = useCallback(
    (data: TokenCreatePayload = {}, requestOptions?: RequestOptions) => ws.createToken(data, requestOptions),
    [ws],
  );
  const getToken = useCallback((tokenId: string) => ws.getToken(tokenId), [ws]);
  const listTokens = useCallback((limit?: number, offset?: number) => ws.listTokens(limit, offset), [ws]);
  const connectTokens = useCallback(
    (sourceId: string, targetId: string, edge?: ConnectOptions) => ws.connectTokens(sourceId, targetId, edge),
    [ws],
  );
  const getNeighbors = useCallback(
    (tokenId: string, direction?: Direction) => ws.getNeighbors(tokenId, direction),
    [ws],
  );

  return {
    ws,
    isConnected,
    connectionId,
    send,
    subscribe,
    unsubscribe,
    connect,
    disconnect,
    createToken,
    getToken,
    listTokens,
    connectTokens,
    getNeighbors,
  };
}

/**
 * Calls `handler` for every message of `messageType` (`'*'` for all) while mounted. The latest `handler`
 * is always the one called, so an inline function does not re-register on every render.
 */
export function useWebSocketMessage(
  ws: NeuroGraphWebSocket | null | undefined,
  messageType: string,
  handler: MessageHandler,
): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => {
    if (!ws) return;
    return ws.on(messageType, (message) => handlerRef.current(message));
  }, [ws, messageType]);
}

/**
 * Subscribes to `topic` while mounted and `enabled` (default true); unsubscribes on unmount, when the
 * topic changes or when disabled. The client resumes the subscription by itself after reconnects.
 */
export function useWebSocketSubscription(
  ws: NeuroGraphWebSocket | null | undefined,
  topic: string,
  enabled: boolean = true,
): void {
  useEffect(() => {
    if (!ws || !enabled) return;
    ws.subscribe(topic).catch(() => undefined);
    return () => {
      ws.unsubscribe(topic).catch(() => undefined);
    };
  }, [ws, topic, enabled]);
}

export type { NeuroGraphWebSocket } from '../client.js';
