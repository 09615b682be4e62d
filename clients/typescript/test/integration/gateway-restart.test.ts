import { describe, expect, it, vi } from 'vitest';
import type { NeuroGraphWebSocket, ResyncInfo, WebSocketMessage } from '../../src/index.js';
import { describeTokenEvent, ofTokenType, recordDeliveries, versionsByToken } from '../support/events.js';
import { restartGateway, testClient, uniqueType } from '../support/platform.js';

describe('the gateway is killed and restarted while clients are subscribed', () => {
  it('each client reconnects by itself and misses no event', async () => {
    const type = uniqueType('restart');
    const producer = testClient({ requestTimeout: 60_000 });
    await producer.connect();
    const anchor = (await producer.createToken({ type })).payload.token_id;

    const subscribers: { client: NeuroGraphWebSocket; events: WebSocketMessage[]; topic: string; resyncs: ResyncInfo[]; connectionIds: Set<string> }[] = [];
    for (const topic of ['tokens', 'tokens', `token:${anchor}`]) {
      const client = testClient();
      const ids = new Set<string>();
      const events = recordDeliveries(client, (m) =>
        m.topic === topic && (topic === 'tokens' ? ofTokenType(type, ids)(m) : true));
      const resyncs: ResyncInfo[] = [];
      const connectionIds = new Set<string>();
      client.onEvent('resync_required', (r) => resyncs.push(r));
      client.onEvent('connected', (c) => connectionIds.add(c.connection_id));
      await client.connect();
      await client.subscribe(topic);
      subscribers.push({ client, events, topic, resyncs, connectionIds });
    }

    // Everything from here on must reach every subscriber (the anchor's creation came before they subscribed).
    const expected = new Set<string>();
    await producer.updateToken(anchor, { weight: 2 });
    expected.add(`updated:${anchor}:2`);
    for (const s of subscribers.filter((s) => s.topic !== 'tokens')) {
      await vi.waitFor(() => expect(s.events).toHaveLength(1), { timeout: 30_000, interval: 50 });
    }

    // A burst of commands in flight while the gateway dies: each is applied exactly once (re-sent with
    // its id after the reconnect), and every event reaches every subscriber.
    const burst = Array.from({ length: 10 }, (_, i) => producer.createToken({ type, weight: i }));
    const updates = [3, 4, 5].map((v) => producer.updateToken(anchor, { weight: v }));
    const restarted = restartGateway();

    const created = await Promise.all(burst);
    await Promise.all(updates);
    await restarted;
    for (const r of created) expected.add(`created:${r.payload.token_id}:1`);
    for (const v of [3, 4, 5]) expected.add(`updated:${anchor}:${v}`);
    // And after the restart, live events keep coming.
    await producer.updateToken(anchor, { weight: 6 });
    expected.add(`updated:${anchor}:6`);

    expect((await producer.countTokens(type)).payload.count).toBe(11);
    const anchorOnly = [...expected].filter((e) => e.includes(anchor)).sort();
    for (const s of subscribers) {
      const want = s.topic === 'tokens' ? [...expected].sort() : anchorOnly;
      await vi.waitFor(() => expect(s.events.map(describeTokenEvent).sort()).toEqual(want), { timeout: 60_000, interval: 100 });
      expect(s.events).toHaveLength(want.length); // nothing twice
      for (const [, versions] of versionsByToken(s.events)) {
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
      }
      expect(s.resyncs).toEqual([]);
      expect(s.connectionIds.size).toBeGreaterThanOrEqual(2); // it did reconnect, by itself
      expect(s.client.isConnected()).toBe(true);
    }
  }, 240_000);
});
