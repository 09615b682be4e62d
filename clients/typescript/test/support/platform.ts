/** Helpers for the integration tests: the running platform, tokens, clients, gateway control. */
import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, inject } from 'vitest';
import WebSocket from 'ws';
import { createWebSocket, type ConnectionOptions, type NeuroGraphWebSocket, type WebSocketConstructor } from '../../src/index.js';
import type { StackInfo } from './global-setup.js';

export const ALL_SCOPES = ['tokens:read', 'tokens:write', 'graph:read', 'graph:write'];

export function platform(): StackInfo {
  return inject('stack');
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** An HS256 JWT signed with the gateway's secret. */
export function mintToken(
  claims: { sub?: string; scopes?: string[]; expiresInSeconds?: number } = {},
  secret: string = platform().jwtSecret,
): string {
  const now = Math.floor(Date.now() / 1000);
  const body: Record<string, unknown> = {
    sub: claims.sub ?? `ts-test-${randomUUID().slice(0, 8)}`,
    scope: (claims.scopes ?? ALL_SCOPES).join(' '),
    iat: now,
    exp: now + (claims.expiresInSeconds ?? 3600),
  };
  const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(body))}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

const live: NeuroGraphWebSocket[] = [];
afterEach(() => {
  for (const c of live.splice(0)) c.disconnect();
});

/** Fast-reconnecting test defaults; disconnected after each test. */
export function testClient(options: Partial<ConnectionOptions> = {}): NeuroGraphWebSocket {
  const client = createWebSocket({
    url: platform().wsUrl,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    token: mintToken(),
    reconnectInterval: 200,
    maxReconnectInterval: 2000,
    maxReconnectAttempts: 200,
    requestTimeout: 30_000,
    ...options,
  });
  live.push(client);
  return client;
}

/**
 * A WebSocket implementation (the npm `ws` one) that records every socket and URL, and can be "gated":
 * while `blocked`, new connections go to a port nobody listens on, so the client stays disconnected and
 * keeps retrying, as if the network were down. A socket's `deaf` flag loses what the server sends.
 */
export function gatedWebSocket() {
  class Gated extends WebSocket {
    /** While true, messages from the server are lost on the way (the connection itself stays up). */
    deaf = false;

    constructor(url: string, protocols?: string | string[]) {
      state.urls.push(url);
      super(state.blocked ? 'ws://127.0.0.1:1/ws' : url, protocols);
      state.sockets.push(this);
    }

    override emit(event: string | symbol, ...args: any[]): boolean {
      if (event === 'message' && this.deaf) return false;
      return super.emit(event, ...args);
    }
  }
  const state = { blocked: false, urls: [] as string[], sockets: [] as Gated[] };
  return { WebSocket: Gated as unknown as WebSocketConstructor, state };
}

/** POST to the operator API (needs an admin token in auth mode jwt). */
export async function publish(topic: string, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${platform().httpUrl}/ws/publish/${encodeURIComponent(topic)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mintToken({ scopes: ['admin'] })}` },
    body: JSON.stringify(body),
  });
  return response.status;
}

async function controlAction(action: 'restart-gateway' | 'kill-gateway' | 'start-gateway'): Promise<void> {
  const response = await fetch(`${platform().controlUrl}/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`${action} failed: ${response.status} ${await response.text()}`);
}

/** kill -9 the gateway and start it again on the same port; resolves when it is ready. */
export const restartGateway = () => controlAction('restart-gateway');
export const killGateway = () => controlAction('kill-gateway');
export const startGateway = () => controlAction('start-gateway');

/** A token payload with a unique `type`, so a test can pick its own events out of shared topics. */
export function uniqueType(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

export const vec = (i: number, v = 1): number[] => Array.from({ length: 8 }, (_, k) => (k === i ? v : 0));
