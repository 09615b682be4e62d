import { describe, expect, it, vi } from 'vitest';
import type { DisconnectInfo, ResyncInfo, SubscribedPayload } from '../../src/index.js';
import { describeTokenEvent, ofTokenType, recordDeliveries, versionsByToken } from '../support/events.js';
import { gatedWebSocket, testClient, uniqueType } from '../support/platform.js';

const WAIT = { timeout: 30_000, interval: 50 };

describe('reconnect, resume and idempotent resend against the real gateway', () => {
  it('reconnects by itself after the server drops the connection (close 1009), with a new connectionId', async () => {
    const gated = gatedWebSocket();
    const client = testClient({ WebSocket: gated.WebSocket });
    const closes: DisconnectInfo[] = [];
    const subscribedEvents: SubscribedPayload[] = [];
    client.onEvent('disconnected', (d) => closes.push(d));
    client.onEvent('subscribed', (s) => subscribedEvents.push(s));
    await client.connect();
    await client.subscribe('tokens');
    const firstId = client.getConnectionId();

    // A frame over the gateway's 1 MiB limit: the server closes the connection with 1009.
    // (The client itself refuses to send such a frame, so write it on the raw socket.)
    gated.state.sockets.at(-1)!.send('x'.repeat(1024 * 1024 + 10));

    await vi.waitFor(() => expect(closes.map((c) => c.code)).toEqual([1009]), WAIT);
    expect(closes[0]!.willReconnect).toBe(true);
    await vi.waitFor(() => expect(client.isConnected()).toBe(true), WAIT);
    expect(client.getConnectionId()).toBeTruthy();
    expect(client.getConnectionId()).not.toBe(firstId);
    expect(gated.state.sockets.length).toBe(2);
    // The subscription came back by itself, resumed from its cursor.
    await vi.waitFor(() => expect(subscribedEvents).toHaveLength(2), WAIT);
    expect(subscribedEvents[1]).toMatchObject({ topic: 'tokens', resumed: true });
    expect((await client.countTokens()).type).toBe('token.count');
  });

  it('resumes from the last cursor: events published while disconnected all arrive, once, in order', async () => {
    const gated = gatedWebSocket();
    const subscriber = testClient({ WebSocket: gated.WebSocket });
    const producer = testClient();
    const type = uniqueType('resume');
    const ids = new Set<string>();
    const events = recordDeliveries(subscriber, (m) => m.topic === 'tokens' && ofTokenType(type, ids)(m));
    const resyncs: ResyncInfo[] = [];
    const resumed: SubscribedPayload[] = [];
    subscriber.onEvent('resync_required', (r) => resyncs.push(r));
    subscriber.onEvent('subscribed', (s) => resumed.push(s));
    await Promise.all([subscriber.connect(), producer.connect()]);
    await subscriber.subscribe('tokens');

    const first = (await producer.createToken({ type })).payload.token_id;
    await vi.waitFor(() => expect(events).toHaveLength(1), WAIT);
    const cursorBefore = subscriber.getCursor('tokens');

    // The network goes away: the client loses its connection and cannot get a new one.
    gated.state.blocked = true;
    gated.state.sockets.at(-1)!.terminate();
    await vi.waitFor(() => expect(subscriber.getState()).toMatch(/reconnecting|connecting/), WAIT);
    expect(subscriber.isConnected()).toBe(false);

    // Meanwhile another client changes things: new tokens, and a run of updates of one token.
    const expected: string[] = [`created:${first}:1`];
    for (let v = 2; v <= 6; v++) {
      await producer.updateToken(first, { weight: v });
      expected.push(`updated:${first}:${v}`);
    }
    const others: string[] = [];
    for (let i = 0; i < 4; i++) {
      const t = (await producer.createToken({ type, weight: i })).payload.token_id;
      others.push(t);
      await producer.updateToken(t, { weight: 10 + i });
      expected.push(`created:${t}:1`, `updated:${t}:2`);
    }
    await producer.deleteToken(others[0]!);
    expected.push(`deleted:${others[0]}`);
    expect(subscriber.isConnected()).toBe(false);
    expect(events).toHaveLength(1);

    // The network comes back: the client reconnects by itself and resumes from its cursor.
    gated.state.blocked = false;
    await vi.waitFor(() => expect(events.map(describeTokenEvent).sort()).toEqual([...expected].sort()), WAIT);
    expect(resumed.at(-1)).toMatchObject({ topic: 'tokens', resumed: true, cursor: cursorBefore });
    expect(resyncs).toEqual([]);
    // Once each ...
    expect(new Set(events.map(describeTokenEvent)).size).toBe(events.length);
    // ... and in order per token.
    for (const [, versions] of versionsByToken(events)) {
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
    expect(versionsByToken(events).get(first)).toEqual([1, 2, 3, 4, 5, 6]);
    const del = events.findIndex((m) => m.type === 'token.deleted');
    expect(events.findIndex((m) => m.payload.token_id === others[0] && m.type === 'token.updated')).toBeLessThan(del);
    // Live delivery goes on after the replay.
    await producer.updateToken(first, { weight: 99 });
    await vi.waitFor(() => expect(versionsByToken(events).get(first)).toEqual([1, 2, 3, 4, 5, 6, 7]), WAIT);
  });

  it('re-sends an in-flight command after a reconnect with the same id: it takes effect once', async () => {
    const gated = gatedWebSocket();
    const client = testClient({ WebSocket: gated.WebSocket, heartbeatInterval: 0 });
    const watcher = testClient();
    const type = uniqueType('idem');
    const seen = recordDeliveries(watcher, (m) => m.type === 'token.created' && m.payload.type === type);
    await Promise.all([client.connect(), watcher.connect()]);
    await watcher.subscribe('tokens');
    const sent: string[] = [];
    const socket = gated.state.sockets.at(-1)!;
    const originalSend = socket.send.bind(socket);
    (socket as { send: (d: string) => void }).send = (d: string) => {
      sent.push(d);
      originalSend(d);
    };

    // The reply will be lost on the way ...
    socket.deaf = true;
    const pending = client.createToken({ type }); // no token_id: the server derives it from the request id
    // ... but the command reached the platform (another client sees its event).
    await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT);
    expect(client.getInFlightCount()).toBe(1);
    const requestId = JSON.parse(sent.at(-1)!).id as string;
    const tokenId = seen[0]!.payload.token_id as string;

    // The connection drops before the reply was read: the client reconnects and re-sends the command.
    socket.terminate();
    const reply = await pending;
    expect(gated.state.sockets.length).toBe(2);
    expect(reply.correlation_id).toBe(requestId);
    expect(reply.payload.token_id).toBe(tokenId);
    expect(gated.state.urls[1]).toBe(gated.state.urls[0]); // same client_id on the new connection
    expect((await client.countTokens(type)).payload.count).toBe(1);
    await client.ping();
    expect(seen).toHaveLength(1);
  });

  it('reconnects when pongs stop coming (heartbeat timeout)', async () => {
    const gated = gatedWebSocket();
    const client = testClient({ WebSocket: gated.WebSocket, heartbeatInterval: 300, heartbeatTimeout: 1000 });
    const closes: DisconnectInfo[] = [];
    client.onEvent('disconnected', (d) => closes.push(d));
    await client.connect();
    const firstId = client.getConnectionId();
    gated.state.sockets.at(-1)!.pause(); // a half-dead connection: nothing comes in any more
    await vi.waitFor(() => expect(closes.map((c) => c.reason)).toContain('heartbeat timeout'), WAIT);
    await vi.waitFor(() => expect(client.isConnected()).toBe(true), WAIT);
    expect(client.getConnectionId()).not.toBe(firstId);
  });

  it('gives up after maxReconnectAttempts: queued requests and connect() reject', async () => {
    const gated = gatedWebSocket();
    const client = testClient({ WebSocket: gated.WebSocket, maxReconnectAttempts: 3, reconnectInterval: 50, maxReconnectInterval: 100 });
    const failed: number[] = [];
    const delays: number[] = [];
    client.onEvent('reconnect_failed', (f) => failed.push(f.attempts));
    client.onEvent('reconnecting', (r) => delays.push(r.delay));
    await client.connect();
    gated.state.blocked = true;
    gated.state.sockets.at(-1)!.terminate();
    const queued = client.countTokens();
    queued.catch(() => undefined);
    await vi.waitFor(() => expect(failed).toEqual([3]), WAIT);
    expect(delays).toHaveLength(3);
    expect(client.getState()).toBe('closed');
    await expect(queued).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(client.countTokens()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    // connect() starts over.
    gated.state.blocked = false;
    await client.connect();
    expect((await client.countTokens()).type).toBe('token.count');
  });
});
