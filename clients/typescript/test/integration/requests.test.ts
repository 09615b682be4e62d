import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  QueueFullError,
  RequestTimeoutError,
  ServerError,
  type NeuroGraphWebSocket,
} from '../../src/index.js';
import { gatedWebSocket, testClient, uniqueType, vec } from '../support/platform.js';

describe('token and graph requests against the real gateway', () => {
  let client: NeuroGraphWebSocket;
  const type = uniqueType('req');

  it('every token helper returns its reply, matched by correlation_id', async () => {
    client = testClient();
    await client.connect();

    const created = await client.createToken({
      type,
      coord_x: vec(0, 1.5),
      coord_y: vec(1, 0.5),
      coord_z: vec(7, -2),
      weight: 2.5,
      flags: 3,
      metadata: { test: 'requests', n: 1 },
    });
    expect(created.type).toBe('token.created');
    expect(created.correlation_id).toBeTruthy();
    const token = created.payload;
    expect(token.token_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(token).toMatchObject({ type, weight: 2.5, flags: 3, version: 1, metadata: { test: 'requests', n: 1 } });
    expect(token.coord_x).toEqual(vec(0, 1.5));

    const data = await client.getToken(token.token_id);
    expect(data.type).toBe('token.data');
    if (data.type !== 'token.data') throw new Error('unreachable');
    expect(data.payload.coordinates.y).toEqual(vec(1, 0.5));
    expect(data.payload.version).toBe(1);

    const missingId = randomUUID();
    const missing = await client.getToken(missingId);
    expect(missing.type).toBe('token.not_found');
    expect(missing.payload.token_id).toBe(missingId);

    const second = (await client.createToken({ type, weight: 0.5 })).payload;
    const list = await client.listTokens(10, 0, { type });
    expect(list.type).toBe('token.list');
    expect(list.payload.tokens.map((t) => t.token_id)).toEqual([token.token_id, second.token_id]);
    expect(list.payload.count).toBe(2);
    expect(list.payload.total).toBe(2);
    const page2 = await client.listTokens(1, 1, { type });
    expect(page2.payload.tokens.map((t) => t.token_id)).toEqual([second.token_id]);

    const count = await client.countTokens(type);
    expect(count.payload).toEqual({ count: 2, type });

    const updated = await client.updateToken(token.token_id, { weight: 3, metadata: { changed: true }, expected_version: 1 });
    expect(updated.type).toBe('token.updated');
    expect(updated.payload).toMatchObject({ token_id: token.token_id, weight: 3, version: 2, metadata: { changed: true } });

    const search = await client.searchTokens({ level: 0, min: { x: 1.4, y: -1, z: -1 }, max: { x: 1.6, y: 1, z: 1 }, limit: 100 });
    expect(search.type).toBe('token.search');
    expect(search.payload.tokens.map((t) => t.token_id)).toContain(token.token_id);
    expect(search.payload.tokens.map((t) => t.token_id)).not.toContain(second.token_id);

    const deleted = await client.deleteToken(second.token_id);
    expect(deleted.type).toBe('token.deleted');
    expect(deleted.payload.token_id).toBe(second.token_id);
    expect((await client.countTokens(type)).payload.count).toBe(1);
  });

  it('every graph helper returns its reply', async () => {
    client = testClient();
    await client.connect();
    const gtype = uniqueType('graph');
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => client.createToken({ type: gtype }).then((r) => r.payload.token_id)));

    const ab = await client.connectTokens(a!, b!, { type: 'rel', weight: 0.75, metadata: { k: 'v' } });
    expect(ab.type).toBe('graph.connected');
    expect(ab.payload).toMatchObject({ source_id: a, target_id: b, type: 'rel', weight: 0.75, bidirectional: false, metadata: { k: 'v' } });
    const bc = await client.connectTokens(b!, c!);
    expect(bc.payload.type).toBe('generic');

    const out = await client.getNeighbors(a!, 'outgoing');
    expect(out.type).toBe('graph.neighbors');
    expect(out.payload.neighbors.map((n) => n.target_id)).toEqual([b]);
    const both = await client.getNeighbors(b!);
    expect(both.payload.direction).toBe('both');
    expect(both.payload.count).toBe(2);
    const typed = await client.getNeighbors(b!, 'both', { type: 'rel' });
    expect(typed.payload.neighbors.map((n) => n.connection_id)).toEqual([ab.payload.connection_id]);

    const paths = await client.findPaths(a!, c!, { max_depth: 3 });
    expect(paths.type).toBe('graph.path');
    expect(paths.payload.paths).toEqual([[a, b, c]]);

    const degree = await client.getDegree(b!);
    expect(degree.payload).toEqual({ token_id: b, in_degree: 1, out_degree: 1, total_degree: 2 });

    const stats = await client.getGraphStats();
    expect(stats.type).toBe('graph.stats');
    expect(stats.payload.total_edges).toBeGreaterThanOrEqual(2);
    expect(stats.payload.total_nodes).toBeGreaterThanOrEqual(3);

    const gone = await client.disconnectTokens(ab.payload.connection_id);
    expect(gone.type).toBe('graph.disconnected');
    expect(gone.payload).toEqual({ connection_id: ab.payload.connection_id, source_id: a, target_id: b, reason: 'requested' });
    expect((await client.getDegree(a!)).payload.total_degree).toBe(0);

    // The original client's generic send() also returns the reply.
    const viaSend = await client.send('graph.degree', { token_id: c });
    expect(viaSend.payload).toMatchObject({ token_id: c, in_degree: 1 });
  });

  it('an error reply rejects with a ServerError carrying the server code, message and details', async () => {
    client = testClient();
    await client.connect();
    const invalid = client.createToken({ type: 'x', weight: -1, coord_x: [1, 2] });
    await expect(invalid).rejects.toBeInstanceOf(ServerError);
    const error = (await invalid.catch((e: unknown) => e)) as ServerError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBeTruthy();
    expect(error.details?.map((d) => d.field).sort()).toEqual(['coord_x', 'weight']);
    expect(error.originalMessageId).toBe(error.reply.correlation_id);

    await expect(client.deleteToken(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const t = (await client.createToken({ type: uniqueType('conflict') })).payload;
    await expect(client.updateToken(t.token_id, { weight: 2, expected_version: 7 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(client.send('no.such.type', {})).rejects.toMatchObject({ code: 'UNKNOWN_TYPE' });
    // The connection stays usable after errors.
    expect((await client.ping()).type).toBe('pong');
  });

  it('a request without a reply in time rejects with RequestTimeoutError', async () => {
    const gated = gatedWebSocket();
    client = testClient({ WebSocket: gated.WebSocket, requestTimeout: 30_000, heartbeatInterval: 0 });
    await client.connect();
    // Stop reading the socket: the gateway answers, but the answer never reaches the client in time.
    const socket = gated.state.sockets.at(-1)!;
    socket.pause();
    const started = Date.now();
    const p = client.countTokens(undefined, { timeout: 1500 });
    await expect(p).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(p).rejects.toMatchObject({ code: 'CLIENT_TIMEOUT', requestType: 'token.count', timeoutMs: 1500 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(client.getInFlightCount()).toBe(0);
    socket.resume();
    expect((await client.countTokens()).type).toBe('token.count');
  });

  it('queues requests while disconnected, bounded: overflow rejects, the rest are sent on connect', async () => {
    client = testClient({ offlineQueueSize: 3 });
    const t = uniqueType('queued');
    const queued = [1, 2, 3].map((n) => client.createToken({ type: t, weight: n }));
    expect(client.getQueueSize()).toBe(3);
    const overflow = client.createToken({ type: t, weight: 4 });
    await expect(overflow).rejects.toBeInstanceOf(QueueFullError);
    await expect(overflow).rejects.toMatchObject({ code: 'QUEUE_FULL', limit: 3 });
    await client.connect();
    const replies = await Promise.all(queued);
    expect(replies.map((r) => r.payload.weight)).toEqual([1, 2, 3]);
    expect(client.getQueueSize()).toBe(0);
    expect((await client.countTokens(t)).payload.count).toBe(3);
  });

  it('holds requests beyond maxInFlight in the queue instead of exceeding the gateway limit', async () => {
    client = testClient({ maxInFlight: 2 });
    await client.connect();
    const t = uniqueType('window');
    const all = Array.from({ length: 8 }, (_, i) => client.createToken({ type: t, weight: i }));
    expect(client.getInFlightCount()).toBe(2);
    expect(client.getQueueSize()).toBe(6);
    const replies = await Promise.all(all);
    expect(replies.map((r) => r.payload.weight)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
