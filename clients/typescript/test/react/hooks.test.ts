// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { NeuroGraphWebSocket, WebSocketConstructor, WebSocketMessage } from '../../src/index.js';
import {
  useNeuroGraphWebSocket,
  useWebSocketMessage,
  useWebSocketSubscription,
  type UseWebSocketReturn,
} from '../../src/react/index.js';
import { gatedWebSocket, mintToken, platform, testClient, uniqueType } from '../support/platform.js';

const WAIT = { timeout: 30_000, interval: 50 };

afterEach(() => cleanup());

function options(extra: Record<string, unknown> = {}) {
  return {
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    token: mintToken(),
    reconnectInterval: 200,
    maxReconnectInterval: 2000,
    ...extra,
  };
}

describe('React hooks against the real gateway', () => {
  it('ws is not null on the first render; isConnected and connectionId follow the connection', async () => {
    const renders: UseWebSocketReturn[] = [];
    const { result, unmount } = renderHook(() => {
      const value = useNeuroGraphWebSocket(platform().wsUrl, options());
      renders.push(value);
      return value;
    });
    expect(renders[0]!.ws).not.toBeNull();
    expect(renders[0]!.ws.getClientId()).toBeTruthy();
    expect(renders[0]!.isConnected).toBe(false);
    expect(renders[0]!.connectionId).toBeNull();

    await waitFor(() => expect(result.current.isConnected).toBe(true), WAIT);
    expect(result.current.connectionId).toBe(result.current.ws.getConnectionId());
    expect(result.current.connectionId).toMatch(/^[0-9a-f-]{36}$/);
    // The same client on every render.
    expect(new Set(renders.map((r) => r.ws)).size).toBe(1);

    // The helpers return the replies.
    const created = await act(() => result.current.createToken({ type: uniqueType('hook') }));
    expect(created.type).toBe('token.created');
    const got = await act(() => result.current.getToken(created.payload.token_id));
    expect(got.type).toBe('token.data');
    const ws = result.current.ws;
    unmount();
    expect(ws.isConnected()).toBe(false);
  });

  it('connectionId updates after a reconnect', async () => {
    const gated = gatedWebSocket();
    const { result } = renderHook(() => useNeuroGraphWebSocket(platform().wsUrl, options({ WebSocket: gated.WebSocket })));
    await waitFor(() => expect(result.current.connectionId).toBeTruthy(), WAIT);
    const first = result.current.connectionId;

    // The server drops the connection (frame over its 1 MiB limit → close 1009).
    act(() => gated.state.sockets.at(-1)!.send('x'.repeat(1024 * 1024 + 1)));
    await waitFor(() => {
      expect(result.current.connectionId).toBeTruthy();
      expect(result.current.connectionId).not.toBe(first);
    }, WAIT);
    expect(result.current.isConnected).toBe(true);
    expect(result.current.connectionId).toBe(result.current.ws.getConnectionId());
  });

  it('useWebSocketSubscription + useWebSocketMessage deliver the topic events; unmount unsubscribes', async () => {
    const type = uniqueType('hooksub');
    const received: WebSocketMessage[] = [];
    const { result, unmount } = renderHook(
      ({ enabled }) => {
        const api = useNeuroGraphWebSocket(platform().wsUrl, options());
        useWebSocketSubscription(api.ws, 'tokens', enabled);
        // An inline handler: re-registered never, always the latest one called.
        useWebSocketMessage(api.ws, 'token.created', (m) => {
          if (m.topic === 'tokens' && m.payload.type === type) received.push(m);
        });
        return api;
      },
      { initialProps: { enabled: true } },
    );
    await waitFor(() => expect(result.current.ws.getSubscriptions()).toEqual(['tokens']), WAIT);
    await waitFor(() => expect(result.current.ws.getCursor('tokens')).toBeTruthy(), WAIT);

    const producer = testClient();
    await producer.connect();
    const t = (await producer.createToken({ type })).payload.token_id;
    await waitFor(() => expect(received.map((m) => m.payload.token_id)).toEqual([t]), WAIT);
    expect(received[0]!.cursor).toBeTruthy();

    const ws: NeuroGraphWebSocket = result.current.ws;
    unmount();
    expect(ws.getSubscriptions()).toEqual([]);
  });

  it('useWebSocketSubscription follows enabled', async () => {
    const { result, rerender } = renderHook(
      ({ enabled }) => {
        const api = useNeuroGraphWebSocket(platform().wsUrl, options());
        useWebSocketSubscription(api.ws, 'graph', enabled);
        return api;
      },
      { initialProps: { enabled: false } },
    );
    await waitFor(() => expect(result.current.isConnected).toBe(true), WAIT);
    expect(result.current.ws.getSubscriptions()).toEqual([]);
    rerender({ enabled: true });
    await waitFor(() => expect(result.current.ws.getCursor('graph')).toBeTruthy(), WAIT);
    rerender({ enabled: false });
    expect(result.current.ws.getSubscriptions()).toEqual([]);
  });
});
