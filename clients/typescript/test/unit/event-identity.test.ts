import { describe, expect, it } from 'vitest';
import { eventIdentity } from '../../src/bounded.js';

describe('eventIdentity', () => {
  const update = { type: 'token.updated', payload: { token_id: 't1', version: 2, updated_at: '2026-11-26T10:00:00Z' } };

  it('is the event_id when the gateway sends one, whatever the envelope id', () => {
    expect(eventIdentity({ ...update, event_id: 'e-1' })).toBe('event:e-1');
    expect(eventIdentity({ ...update, event_id: 'e-2' })).not.toBe(eventIdentity({ ...update, event_id: 'e-1' }));
  });

  it('falls back to what identifies the change when there is no event_id', () => {
    expect(eventIdentity(update)).toBe(eventIdentity({ ...update }));
    expect(eventIdentity(update)).not.toBe(eventIdentity({ ...update, payload: { ...update.payload, version: 3 } }));
    expect(eventIdentity({ type: 'system.message', payload: { message: 'hi' } })).toBeNull();
  });
});
