/** A set that remembers at most `capacity` keys, forgetting the oldest first. */
export class BoundedSet<K> {
  private readonly items = new Set<K>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 0)) throw new RangeError('capacity must be >= 0');
  }

  /** Adds `key`; returns false (and changes nothing) when it was already present. */
  add(key: K): boolean {
    if (this.items.has(key)) return false;
    if (this.capacity === 0) return true;
    this.items.add(key);
    while (this.items.size > this.capacity) {
      const oldest = this.items.values().next().value as K;
      this.items.delete(oldest);
    }
    return true;
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  get size(): number {
    return this.items.size;
  }

  clear(): void {
    this.items.clear();
  }
}

/**
 * The identity of an event delivered on a topic, used to drop a repeated delivery at a resume seam.
 * The server promises none (protocol §5), so this is defence in depth, bounded per topic.
 *
 * Deliveries carry a fresh envelope `id` each time, so the identity comes from the event itself: an
 * `event_id` if the server ever sends one; else the entity and its version or timestamps. Returns null
 * for events with no stable identity (operator messages), which are never dropped.
 */
export function eventIdentity(message: { type: string; payload: unknown; event_id?: unknown }): string | null {
  if (typeof message.event_id === 'string' && message.event_id) return `event:${message.event_id}`;
  const p = (message.payload ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  switch (message.type) {
    case 'token.created':
    case 'token.updated':
      if (!p.token_id) return null;
      return `${message.type}|${str(p.token_id)}|${str(p.version)}|${str(p.updated_at)}`;
    case 'token.deleted':
      return p.token_id ? `${message.type}|${str(p.token_id)}` : null;
    case 'graph.connected':
      return p.connection_id ? `${message.type}|${str(p.connection_id)}|${str(p.created_at)}` : null;
    case 'graph.disconnected':
      return p.connection_id ? `${message.type}|${str(p.connection_id)}` : null;
    default:
      return null;
  }
}
