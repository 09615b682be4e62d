import type { NeuroGraphWebSocket, WebSocketMessage } from '../../src/index.js';

/** Records every message delivered on a topic (has topic and cursor) that `filter` accepts. */
export function recordDeliveries(
  client: NeuroGraphWebSocket,
  filter: (message: WebSocketMessage) => boolean = () => true,
): WebSocketMessage[] {
  const seen: WebSocketMessage[] = [];
  client.on('*', (message) => {
    if (typeof message.topic === 'string' && typeof message.cursor === 'string' && filter(message)) seen.push(message);
  });
  return seen;
}

/** Token events of tokens whose `type` is `type` (deleted events carry no type: match by id). */
export function ofTokenType(type: string, ids?: Set<string>) {
  return (m: WebSocketMessage) =>
    (m.type === 'token.created' || m.type === 'token.updated') && m.payload.type === type
      ? (ids?.add(m.payload.token_id), true)
      : m.type === 'token.deleted' && !!ids?.has(m.payload.token_id);
}

/** "created:<id>:1", "updated:<id>:2", ... for comparing event sequences. */
export function describeTokenEvent(m: WebSocketMessage): string {
  const kind = m.type.split('.')[1];
  return m.type === 'token.deleted' ? `${kind}:${m.payload.token_id}` : `${kind}:${m.payload.token_id}:${m.payload.version}`;
}

/** Per token: the versions of its events in arrival order. */
export function versionsByToken(events: WebSocketMessage[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of events) {
    if (m.type !== 'token.created' && m.type !== 'token.updated') continue;
    const list = out.get(m.payload.token_id) ?? [];
    list.push(m.payload.version);
    out.set(m.payload.token_id, list);
  }
  return out;
}
