import { describe, expect, it } from 'vitest';
import { backoffDelay, BoundedSet } from '../../src/index.js';

const opts = { initialDelay: 100, maxDelay: 5000, factor: 2, jitter: 0.5 };

describe('backoffDelay', () => {
  it('grows exponentially without jitter and stops at maxDelay', () => {
    const noJitter = { ...opts, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, noJitter, 0.9))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('draws the delay from [base * (1 - jitter), base]', () => {
    expect(backoffDelay(3, opts, 0)).toBe(800);
    expect(backoffDelay(3, opts, 0.999999)).toBe(400);
    expect(backoffDelay(3, opts, 0.5)).toBe(600);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(i % 10, opts);
      const base = Math.min(5000, 100 * 2 ** (i % 10));
      expect(d).toBeGreaterThanOrEqual(base / 2);
      expect(d).toBeLessThanOrEqual(base);
    }
  });

  it('is finite for huge attempt numbers and sane for odd options', () => {
    expect(backoffDelay(10_000, opts, 0)).toBe(5000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, opts, 0)).toBe(5000);
    expect(backoffDelay(-3, opts, 0)).toBe(100);
    expect(backoffDelay(2, { initialDelay: 100, maxDelay: 50, factor: 0.5, jitter: 7 }, 0)).toBe(100);
    expect(backoffDelay(2, { ...opts, jitter: 1 }, 1)).toBe(0);
  });
});

describe('BoundedSet', () => {
  it('remembers at most capacity keys, forgetting the oldest', () => {
    const set = new BoundedSet<string>(3);
    expect(['a', 'b', 'c'].map((k) => set.add(k))).toEqual([true, true, true]);
    expect(set.add('b')).toBe(false);
    expect(set.add('d')).toBe(true);
    expect(set.size).toBe(3);
    expect(set.has('a')).toBe(false);
    expect(set.add('a')).toBe(true);
    expect(set.has('b')).toBe(false);
    expect(set.has('c') && set.has('d') && set.has('a')).toBe(true);
  });

  it('capacity 0 remembers nothing', () => {
    const set = new BoundedSet<string>(0);
    expect(set.add('a')).toBe(true);
    expect(set.add('a')).toBe(true);
    expect(set.size).toBe(0);
  });
});
