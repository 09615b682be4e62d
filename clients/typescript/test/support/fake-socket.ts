/**
 * An in-memory WebSocket for unit tests of the client's own logic (queue, correlation, resume bookkeeping,
 * timers). The integration tests use the real gateway; this only stands in for the transport.
 */
import type { WebSocketConstructor } from '../../src/index.js';

export class FakeSocket {
  static instances: FakeSocket[] = [];
  static reset() {
    FakeSocket.instances = [];
  }
  static last(): FakeSocket {
    const s = FakeSocket.instances.at(-1);
    if (!s) throw new Error('no socket created');
    return s;
  }

  readyState = 0;
  readonly sent: any[] = [];
  onopen: ((e: any) => void) | null = null;
  onmessage: ((e: any) => void) | null = null;
  onclose: ((e: any) => void) | null = null;
  onerror: ((e: any) => void) | null = null;
  closedByClient: { code?: number; reason?: string } | null = null;
  terminated = false;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string) {
    this.closedByClient = { code, reason };
    this.readyState = 3;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
  }

  // --- the "server" side ---
  /** Opens and sends connection.established. */
  accept(connectionId = `conn-${FakeSocket.instances.length}`, clientId = new URL(this.url).searchParams.get('client_id')) {
    this.readyState = 1;
    this.onopen?.({});
    this.push({ type: 'connection.established', payload: { connection_id: connectionId, client_id: clientId, timestamp: Date.now() } });
  }
  push(message: Record<string, unknown>) {
    this.onmessage?.({ data: JSON.stringify({ id: 'srv', timestamp: Date.now(), sender_id: null, ...message }) });
  }
  reply(request: { id: string }, type: string, payload: unknown) {
    this.push({ type, payload, correlation_id: request.id });
  }
  drop(code = 1006, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  fail() {
    this.readyState = 3;
    this.onerror?.({ type: 'error' });
    this.onclose?.({ code: 1006, reason: '' });
  }
  /** Requests sent of `type`. */
  of(type: string): any[] {
    return this.sent.filter((m) => m.type === type);
  }
}

export const FakeWebSocket = FakeSocket as unknown as WebSocketConstructor;
