import { describe, expect, it, vi } from 'vitest';
import type { ConnectionEstablishedPayload, DisconnectInfo } from '../../src/index.js';
import { gatedWebSocket, mintToken, platform, testClient } from '../support/platform.js';

describe('connecting to the real gateway', () => {
  it('resolves connect() on connection.established and exposes connectionId and client_id', async () => {
    const seen: ConnectionEstablishedPayload[] = [];
    const client = testClient({ clientId: 'ts-connect-test' });
    client.onEvent('connected', (p) => seen.push(p));
    expect(client.getConnectionId()).toBeNull();
    await client.connect();
    expect(client.isConnected()).toBe(true);
    expect(client.getConnectionId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.connection_id).toBe(client.getConnectionId());
    expect(seen[0]!.client_id).toBe('ts-connect-test');
    expect(seen[0]!.protocol).toBe('neurograph.v1');
    const pong = await client.ping();
    expect(pong.type).toBe('pong');
    expect(pong.correlation_id).toBe(pong.payload.message_id);
  });

  it('generates one client id per instance and keeps it', async () => {
    const client = testClient();
    const id = client.getClientId();
    expect(id).toMatch(/^[A-Za-z0-9._:@-]{1,128}$/);
    await client.connect();
    expect(client.getConnectionInfo()?.client_id).toBe(id);
  });

  it('sends the token as access_token on the handshake (a wrong one is refused by the gateway)', async () => {
    const gated = gatedWebSocket();
    const token = mintToken({ sub: 'query-user' });
    const client = testClient({ WebSocket: gated.WebSocket, token });
    await client.connect();
    const url = new URL(gated.state.urls[0]!);
    expect(url.searchParams.get('access_token')).toBe(token);
    expect(url.searchParams.get('client_id')).toBe(client.getClientId());
    // The gateway accepted it: a scoped request works.
    const count = await client.countTokens('nothing-of-this-type');
    expect(count.payload.count).toBe(0);

    const bad = testClient({ token: mintToken({ sub: 'x' }, 'another-secret-another-secret-another-secret'), reconnect: false });
    await expect(bad.connect()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('authenticates with an auth frame when tokenTransport is auth, and refreshes in band', async () => {
    const gated = gatedWebSocket();
    const subjects: string[] = [];
    const client = testClient({
      WebSocket: gated.WebSocket,
      token: mintToken({ sub: 'frame-user', expiresInSeconds: 600 }),
      tokenTransport: 'auth',
    });
    client.onEvent('authenticated', (p) => subjects.push(p.subject));
    await client.connect();
    expect(new URL(gated.state.urls[0]!).searchParams.has('access_token')).toBe(false);
    expect(subjects).toEqual(['frame-user']);
    expect((await client.countTokens('none-here')).payload.count).toBe(0);

    const fresh = mintToken({ sub: 'frame-user', expiresInSeconds: 7200 });
    const reply = await client.authenticate(fresh);
    expect(reply?.payload.subject).toBe('frame-user');
    expect(reply!.payload.expires_at).toBeGreaterThan(Date.now() + 3600_000);

    await expect(client.authenticate(mintToken({ sub: 'someone-else' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('without a token the gateway refuses requests (so the tests above prove the token was sent)', async () => {
    const client = testClient({ token: undefined });
    await client.connect();
    await expect(client.countTokens()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('an expiring token: the gateway closes with 4001, the client reconnects with a fresh token from tokenProvider', async () => {
    const gated = gatedWebSocket();
    let calls = 0;
    const client = testClient({
      WebSocket: gated.WebSocket,
      token: undefined,
      // The first token expires in 2 s; later ones last an hour.
      tokenProvider: () => mintToken({ sub: 'expiring-user', expiresInSeconds: ++calls === 1 ? 2 : 3600 }),
    });
    const closes: DisconnectInfo[] = [];
    client.onEvent('disconnected', (d) => closes.push(d));
    await client.connect();
    await client.subscribe('tokens');
    const first = client.getConnectionId();
    await vi.waitFor(() => expect(closes.map((c) => c.code)).toEqual([4001]), { timeout: 30_000, interval: 50 });
    expect(closes[0]!.willReconnect).toBe(true);
    await vi.waitFor(() => expect(client.isConnected()).toBe(true), { timeout: 30_000, interval: 50 });
    expect(client.getConnectionId()).not.toBe(first);
    expect(calls).toBe(2);
    const tokens = gated.state.urls.map((u) => new URL(u).searchParams.get('access_token'));
    expect(tokens[0]).not.toBe(tokens[1]);
    expect((await client.countTokens()).type).toBe('token.count');
    expect(client.getSubscriptions()).toEqual(['tokens']);
  });

  it('platform info is provided', () => {
    expect(platform().wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  });
});
