import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConnectionClosedError,
  createWebSocket,
  FrameTooLargeError,
  QueueFullError,
  RequestTimeoutError,
  ServerError,
  type ConnectionOptions,
  type ResyncInfo,
  type WebSocketMessage,
} from '../../src/index.js';
import { FakeSocket, FakeWebSocket } from '../support/fake-socket.js';
import { golden } from '../support/golden.js';

const server = golden('server');

function make(options: Partial<ConnectionOptions> = {}) {
  return createWebSocket({
    url: 'ws://gateway.test/ws',
    WebSocket: FakeWebSocket,
    heartbeatInterval: 0,
    reconnectInterval: 100,
    maxReconnectInterval: 1000,
    reconnectJitter: 0,
    ...options,
  });
}

async function connected(options: Partial<ConnectionOptions> = {}) {
  const client = make(options);
  const p = client.connect();
  await vi.advanceTimersByTimeAsync(0);
  FakeSocket.last().accept();
  await p;
  return client;
}

beforeEach(() => {
  FakeSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('client logic (in-memory transport)', () => {
  it('matches replies by correlation_id, out of order', async () => {
    const client = await connected();
    const s = FakeSocket.last();
    const a = client.getToken('a');
    const b = client.countTokens('t');
    const [ra, rb] = [s.of('token.get')[0], s.of('token.count')[0]];
    expect(ra.id).not.toBe(rb.id);
    s.reply(rb, 'token.count', { count: 3, type: 't' });
    s.reply(ra, 'token.not_found', { token_id: 'a' });
    expect((await a).type).toBe('token.not_found');
    expect((await b).payload).toEqual({ count: 3, type: 't' });
  });

  it('rejects with a ServerError from the golden error reply', async () => {
    const client = await connected();
    const s = FakeSocket.last();
    const p = client.createToken({ weight: -1 });
    const sample = structuredClone(server.get('error'));
    s.push({ ...sample, correlation_id: s.of('token.create')[0].id });
    const error = (await p.catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(sample.payload.details);
    expect(error.message).toBe(sample.payload.message);
  });

  it('retries UNAVAILABLE / RATE_LIMITED with the same id, then rejects with the last error', async () => {
    const client = await connected({ maxRetries: 2 });
    const s = FakeSocket.last();
    const p = client.createToken({ type: 'x' });
    const first = s.of('token.create')[0];
    s.reply(first, 'error', { code: 'UNAVAILABLE', message: 'try again', original_message_id: first.id });
    await vi.advanceTimersByTimeAsync(99);
    expect(s.of('token.create')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // reconnectInterval-based backoff: 100 ms
    expect(s.of('token.create')).toHaveLength(2);
    expect(s.of('token.create')[1].id).toBe(first.id);
    s.reply(first, 'error', { code: 'RATE_LIMITED', message: 'slow down', retry_after_ms: 750 });
    await vi.advanceTimersByTimeAsync(749);
    expect(s.of('token.create')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.of('token.create')).toHaveLength(3);
    s.reply(first, 'error', { code: 'UNAVAILABLE', message: 'still down' });
    await expect(p).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'still down' });

    const q = client.createToken({ type: 'y' });
    const req = s.of('token.create')[3];
    s.reply(req, 'error', { code: 'TIMEOUT', message: 'slow service' });
    await vi.advanceTimersByTimeAsync(100);
    s.reply(req, 'token.created', { token_id: 't' });
    await expect(q).resolves.toMatchObject({ type: 'token.created' });

    const r = client.createToken({ type: 'z' });
    s.reply(s.of('token.create').at(-1), 'error', { code: 'CONFLICT', message: 'exists' });
    await expect(r).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(s.of('token.create')).toHaveLength(6);
  });

  it('an error that answers no request is an error event, not a rejection', async () => {
    const client = await connected();
    const errors: unknown[] = [];
    client.onEvent('error', (e) => errors.push(e));
    FakeSocket.last().push({ type: 'error', payload: { code: 'UNAUTHENTICATED', message: 'Token expired' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('times out a request without reply and frees its in-flight slot', async () => {
    const client = await connected({ requestTimeout: 5000, maxInFlight: 1 });
    const s = FakeSocket.last();
    const first = client.ping();
    const second = client.ping();
    expect(s.of('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(client.getInFlightCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(first).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(s.of('ping')).toHaveLength(2); // the queued one went out
    s.reply(s.of('ping')[1], 'pong', { message_id: s.of('ping')[1].id });
    await expect(second).resolves.toMatchObject({ type: 'pong' });
  });

  it('bounds the offline queue and refuses oversized frames', async () => {
    const client = make({ offlineQueueSize: 2 });
    const a = client.ping();
    const b = client.ping();
    await expect(client.ping()).rejects.toBeInstanceOf(QueueFullError);
    await expect(client.createToken({ metadata: { big: 'x'.repeat(2 * 1024 * 1024) } })).rejects.toBeInstanceOf(FrameTooLargeError);
    expect(client.getQueueSize()).toBe(2);
    const p = client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const s = FakeSocket.last();
    s.accept();
    await p;
    expect(s.of('ping')).toHaveLength(2);
    for (const r of s.of('ping')) s.reply(r, 'pong', { message_id: r.id });
    await expect(Promise.all([a, b])).resolves.toHaveLength(2);
  });

  it('re-sends in-flight and queued requests after a reconnect, same ids, in order', async () => {
    const client = await connected();
    const s1 = FakeSocket.last();
    const create = client.createToken({ type: 'x' });
    const update = client.updateToken('t1', { weight: 2 });
    const ids = s1.sent.map((m) => m.id);
    s1.drop(1006);
    const later = client.deleteToken('t2'); // while disconnected
    expect(client.getQueueSize()).toBe(3);
    await vi.advanceTimersByTimeAsync(100);
    const s2 = FakeSocket.last();
    expect(s2).not.toBe(s1);
    expect(new URL(s2.url).searchParams.get('client_id')).toBe(client.getClientId());
    s2.accept('conn-2');
    expect(s2.sent.map((m) => m.type)).toEqual(['token.create', 'token.update', 'token.delete']);
    expect(s2.sent.slice(0, 2).map((m) => m.id)).toEqual(ids);
    expect(s2.sent[0].payload).toEqual(s1.sent[0].payload);
    for (const [m, type] of [[s2.sent[0], 'token.created'], [s2.sent[1], 'token.updated'], [s2.sent[2], 'token.deleted']] as const) {
      s2.reply(m, type, {});
    }
    await expect(Promise.all([create, update, later])).resolves.toHaveLength(3);
  });

  it('resubscribes with since = last cursor, drops a repeated event at the seam, and reports resumed:false', async () => {
    const client = await connected();
    const s1 = FakeSocket.last();
    const delivered: WebSocketMessage[] = [];
    const resyncs: ResyncInfo[] = [];
    const duplicates: string[] = [];
    client.on('token.updated', (m) => delivered.push(m));
    client.onEvent('resync_required', (r) => resyncs.push(r));
    client.onEvent('duplicate', (d) => duplicates.push(d.identity));
    const sub = client.subscribe('tokens');
    const req = s1.of('subscribe')[0];
    expect(req.payload).toEqual({ topic: 'tokens' });
    s1.reply(req, 'subscribed', { topic: 'tokens', success: true, cursor: 'c0' });
    await sub;
    const event = structuredClone(server.get('token.updated'));
    s1.push({ ...event, topic: 'tokens', cursor: 'c1' });
    expect(client.getCursor('tokens')).toBe('c1');

    s1.drop(1001, 'server shutting down');
    await vi.advanceTimersByTimeAsync(100);
    const s2 = FakeSocket.last();
    s2.accept();
    const resub = s2.of('subscribe')[0];
    expect(resub.payload).toEqual({ topic: 'tokens', since: 'c1' });
    s2.reply(resub, 'subscribed', { topic: 'tokens', success: true, cursor: 'c1', resumed: true });
    // The same event again at the seam (same event_id, new envelope id): dropped, cursor still moves.
    s2.push({ ...event, id: 'another-envelope-id', topic: 'tokens', cursor: 'c2' });
    const next = structuredClone(event);
    next.event_id = '0b6f1f9a-2b2c-4f6d-8c1e-3a4b5c6d7e8f';
    next.payload.version = 3;
    next.payload.updated_at = '2026-11-26T10:06:00Z';
    s2.push({ ...next, topic: 'tokens', cursor: 'c3' });
    expect(delivered.map((m) => m.payload.version)).toEqual([2, 3]);
    expect(duplicates).toHaveLength(1);
    expect(client.getCursor('tokens')).toBe('c3');
    expect(resyncs).toEqual([]);

    s2.drop();
    await vi.advanceTimersByTimeAsync(100);
    const s3 = FakeSocket.last();
    s3.accept();
    const resub3 = s3.of('subscribe')[0];
    expect(resub3.payload.since).toBe('c3');
    s3.reply(resub3, 'subscribed', { topic: 'tokens', success: true, cursor: 'fresh', resumed: false });
    expect(resyncs).toEqual([{ topic: 'tokens', since: 'c3', cursor: 'fresh', reason: 'cursor_not_resumable' }]);
    expect(client.getCursor('tokens')).toBe('fresh');
  });

  it('backs off exponentially between attempts and gives up after maxReconnectAttempts', async () => {
    const client = await connected({ maxReconnectAttempts: 3 });
    const delays: number[] = [];
    const failed: number[] = [];
    client.onEvent('reconnecting', (r) => delays.push(r.delay));
    client.onEvent('reconnect_failed', (r) => failed.push(r.attempts));
    const pending = client.ping();
    FakeSocket.last().drop();
    for (let i = 0; i < 3; i++) {
      const before = FakeSocket.instances.length;
      await vi.advanceTimersByTimeAsync(delays.at(-1)! - 1);
      expect(FakeSocket.instances.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(FakeSocket.instances.length).toBe(before + 1);
      FakeSocket.last().fail();
    }
    expect(delays).toEqual([100, 200, 400]);
    expect(failed).toEqual([3]);
    expect(client.getState()).toBe('closed');
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('a successful connection resets the attempt count', async () => {
    const client = await connected({ maxReconnectAttempts: 2 });
    const delays: number[] = [];
    client.onEvent('reconnecting', (r) => delays.push(r.delay));
    for (let round = 0; round < 3; round++) {
      FakeSocket.last().drop();
      await vi.advanceTimersByTimeAsync(100);
      FakeSocket.last().fail();
      await vi.advanceTimersByTimeAsync(200);
      FakeSocket.last().accept();
    }
    expect(delays).toEqual([100, 200, 100, 200, 100, 200]);
    expect(client.isConnected()).toBe(true);
  });

  it('sends a ping every heartbeatInterval and reconnects when no pong comes in time', async () => {
    const client = await connected({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    const s1 = FakeSocket.last();
    await vi.advanceTimersByTimeAsync(1000);
    const ping = s1.of('ping')[0];
    expect(ping).toBeDefined();
    s1.reply(ping, 'pong', { message_id: ping.id });
    await vi.advanceTimersByTimeAsync(1000);
    expect(s1.of('ping')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500); // no pong, nothing else either
    expect(s1.terminated).toBe(true);
    expect(client.isConnected()).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('other traffic during a late pong does not count as dead', async () => {
    await connected({ heartbeatInterval: 1000, heartbeatTimeout: 500 });
    const s1 = FakeSocket.last();
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(200);
    s1.push({ type: 'system.broadcast', payload: { message: 'still here' } });
    await vi.advanceTimersByTimeAsync(300);
    expect(s1.terminated).toBe(false);
  });

  it('sends the token as access_token, or as an auth frame before anything else', async () => {
    make({ token: 'tok-1' }).connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(new URL(FakeSocket.last().url).searchParams.get('access_token')).toBe('tok-1');

    const client = make({ token: 'tok-2', tokenTransport: 'auth' });
    const ready = client.connect();
    const queued = client.ping();
    await vi.advanceTimersByTimeAsync(0);
    const s = FakeSocket.last();
    expect(new URL(s.url).searchParams.has('access_token')).toBe(false);
    s.accept();
    expect(s.sent.map((m) => m.type)).toEqual(['auth']);
    expect(s.sent[0].payload).toEqual({ token: 'tok-2' });
    s.reply(s.sent[0], 'authenticated', { subject: 'me', expires_at: null });
    await ready;
    expect(s.sent.map((m) => m.type)).toEqual(['auth', 'ping']);
    s.reply(s.sent[1], 'pong', { message_id: s.sent[1].id });
    await queued;

    const refreshed = client.authenticate('tok-3');
    expect(s.sent[2]).toMatchObject({ type: 'auth', payload: { token: 'tok-3' } });
    s.reply(s.sent[2], 'authenticated', { subject: 'me', expires_at: 123 });
    await expect(refreshed).resolves.toMatchObject({ payload: { expires_at: 123 } });
  });

  it('a tokenProvider is asked before every attempt', async () => {
    let n = 0;
    const client = make({ tokenProvider: async () => `t${++n}` });
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.last().accept();
    FakeSocket.last().drop(4001, 'unauthenticated');
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.instances.map((s) => new URL(s.url).searchParams.get('access_token'))).toEqual(['t1', 't2']);
  });

  it('close 4001 without a tokenProvider stops reconnecting', async () => {
    const client = await connected({ token: 'expired' });
    const infos: boolean[] = [];
    client.onEvent('disconnected', (d) => infos.push(d.willReconnect));
    FakeSocket.last().drop(4001, 'unauthenticated');
    await vi.advanceTimersByTimeAsync(5000);
    expect(infos).toEqual([false]);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(client.getState()).toBe('closed');
  });

  it('disconnect() rejects what waits, and a later connect() resumes the subscriptions', async () => {
    const client = await connected();
    const s1 = FakeSocket.last();
    const sub = client.subscribe('graph');
    s1.reply(s1.of('subscribe')[0], 'subscribed', { topic: 'graph', success: true, cursor: 'g1' });
    await sub;
    const pending = client.getGraphStats();
    client.disconnect();
    expect(s1.closedByClient).toEqual({ code: 1000, reason: 'client disconnect' });
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(client.getState()).toBe('idle');
    const again = client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const s2 = FakeSocket.last();
    s2.accept();
    await again;
    expect(s2.of('subscribe')[0].payload).toEqual({ topic: 'graph', since: 'g1' });
  });

  it('drops the connection when a resubscribe gets no answer (its server state is unknown)', async () => {
    const client = await connected({ requestTimeout: 1000 });
    client.subscribe('tokens');
    const s1 = FakeSocket.last();
    await vi.advanceTimersByTimeAsync(1000);
    expect(s1.terminated).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    FakeSocket.last().accept();
    expect(FakeSocket.last().of('subscribe')).toHaveLength(1);
  });

  it('keeps clientId stable, validates it, and generates a valid one', () => {
    expect(() => make({ clientId: 'bad id!' })).toThrow(TypeError);
    const c = make();
    expect(c.getClientId()).toMatch(/^[A-Za-z0-9._:@-]{1,128}$/);
    expect(make().getClientId()).not.toBe(c.getClientId());
    expect(make({ clientId: 'mine' }).getClientId()).toBe('mine');
  });

  it('without any WebSocket implementation connect() rejects clearly', async () => {
    const original = (globalThis as { WebSocket?: unknown }).WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = undefined;
    try {
      const client = createWebSocket({ url: 'ws://gateway.test/ws' });
      await expect(client.connect()).rejects.toMatchObject({ code: 'NO_WEBSOCKET' });
    } finally {
      (globalThis as { WebSocket?: unknown }).WebSocket = original;
    }
  });
});
