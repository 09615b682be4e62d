import { describe, expect, it, vi } from 'vitest';
import { ServerError, type WebSocketMessage } from '../../src/index.js';
import { describeTokenEvent, ofTokenType, recordDeliveries } from '../support/events.js';
import { mintToken, publish, testClient, uniqueType } from '../support/platform.js';

const WAIT = { timeout: 30_000, interval: 50 };

describe('subscriptions against the real gateway', () => {
  it('delivers token events on tokens and token:<id> with topic and cursor, and tracks the cursor', async () => {
    const client = testClient();
    const producer = testClient();
    const type = uniqueType('sub');
    const ids = new Set<string>();
    const onTokens = recordDeliveries(client, (m) => m.topic === 'tokens' && ofTokenType(type, ids)(m));
    await client.connect();
    const subscribed = await client.subscribe('tokens');
    expect(subscribed.type).toBe('subscribed');
    expect(subscribed.payload).toMatchObject({ topic: 'tokens', success: true });
    expect(subscribed.payload.cursor).toBeTruthy();
    expect(client.getCursor('tokens')).toBe(subscribed.payload.cursor);

    await producer.connect();
    const token = (await producer.createToken({ type })).payload;
    // Topic ids are matched case-insensitively and echoed in lower case.
    const perToken = await client.subscribe(`token:${token.token_id.toUpperCase()}`);
    expect(perToken.payload.topic).toBe(`token:${token.token_id}`);
    const onToken = recordDeliveries(client, (m) => m.topic === `token:${token.token_id}`);
    await producer.updateToken(token.token_id, { weight: 5 });
    await producer.deleteToken(token.token_id);

    await vi.waitFor(() => expect(onTokens.map(describeTokenEvent)).toEqual([
      `created:${token.token_id}:1`,
      `updated:${token.token_id}:2`,
      `deleted:${token.token_id}`,
    ]), WAIT);
    await vi.waitFor(() => expect(onToken.map(describeTokenEvent)).toEqual([
      `updated:${token.token_id}:2`,
      `deleted:${token.token_id}`,
    ]), WAIT);
    for (const m of [...onTokens, ...onToken]) {
      expect(m.cursor).toMatch(/\S+/);
      expect(m.correlation_id).toBeUndefined();
    }
    expect(client.getCursor('tokens')).toBe(onTokens.at(-1)!.cursor);
    expect(client.getCursor(`token:${token.token_id}`)).toBe(onToken.at(-1)!.cursor);
    expect(client.getSubscriptions().sort()).toEqual(['tokens', `token:${token.token_id}`].sort());
  });

  it('delivers graph events on graph and on the token topics of both ends', async () => {
    const client = testClient();
    await client.connect();
    const type = uniqueType('gsub');
    const a = (await client.createToken({ type })).payload.token_id;
    const b = (await client.createToken({ type })).payload.token_id;
    await client.subscribe('graph');
    await client.subscribe(`token:${b}`);
    const graphEvents = recordDeliveries(client, (m) => m.type.startsWith('graph.') && (m.payload.source_id === a));
    const edge = (await client.connectTokens(a, b, { type: 'sub-test' })).payload;
    await client.disconnectTokens(edge.connection_id);
    await vi.waitFor(() => {
      const seen = graphEvents.map((m) => `${m.topic}|${m.type}`).sort();
      expect(seen).toEqual([
        'graph|graph.connected',
        'graph|graph.disconnected',
        `token:${b}|graph.connected`,
        `token:${b}|graph.disconnected`,
      ]);
    }, WAIT);
  });

  it('delivers operator messages on system', async () => {
    const client = testClient();
    await client.connect();
    await client.subscribe('system');
    const marker = uniqueType('sys');
    const got: WebSocketMessage[] = [];
    client.on('system.message', (m) => {
      if (m.payload.marker === marker) got.push(m);
    });
    expect(await publish('system', { message: 'hello', marker })).toBe(202);
    await vi.waitFor(() => expect(got).toHaveLength(1), WAIT);
    expect(got[0]).toMatchObject({ topic: 'system', payload: { message: 'hello', marker } });
    expect(client.getCursor('system')).toBe(got[0]!.cursor);
  });

  it('rejects a subscription the server refuses, with its code, and forgets it', async () => {
    const client = testClient({ token: mintToken({ scopes: ['tokens:read'] }) });
    await client.connect();
    await expect(client.subscribe('no-such-topic')).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
    const forbidden = client.subscribe('graph');
    await expect(forbidden).rejects.toBeInstanceOf(ServerError);
    await expect(forbidden).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(client.getSubscriptions()).toEqual([]);
    await expect(client.subscribe('tokens')).resolves.toMatchObject({ payload: { topic: 'tokens' } });
  });

  it('unsubscribe stops deliveries of that topic', async () => {
    const client = testClient();
    await client.connect();
    const type = uniqueType('unsub');
    const t = (await client.createToken({ type })).payload.token_id;
    await client.subscribe('tokens');
    await client.subscribe(`token:${t}`);
    const perToken = recordDeliveries(client, (m) => m.topic === `token:${t}`);
    const onTokens = recordDeliveries(client, (m) => m.topic === 'tokens' && m.payload.token_id === t);
    await client.updateToken(t, { weight: 2 });
    await vi.waitFor(() => expect(perToken).toHaveLength(1), WAIT);
    const reply = await client.unsubscribe(`token:${t}`);
    expect(reply?.payload).toEqual({ topic: `token:${t}`, success: true });
    expect(client.getSubscriptions()).toEqual(['tokens']);
    await client.updateToken(t, { weight: 3 });
    await vi.waitFor(() => expect(onTokens.map((m) => m.payload.version)).toEqual([2, 3]), WAIT);
    await client.ping();
    expect(perToken).toHaveLength(1);
  });
});
