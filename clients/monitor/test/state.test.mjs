// Unit tests of the page's ordering rules (src/state.ts) and layout (src/layout.ts), without a browser:
// the TypeScript sources are transpiled with the project's own `typescript` package and imported.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const OUT = mkdtempSync(join(tmpdir(), 'monitor-unit-'));
after(() => rmSync(OUT, { recursive: true, force: true }));

async function load(name) {
  const source = readFileSync(join(SRC, `${name}.ts`), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(OUT, `${name}.mjs`);
  writeFileSync(file, outputText);
  return import(pathToFileURL(file).href);
}

const { initialState, reducer, orderedTokens } = await load('state');
const { ringLayout, typeColors, edgePath } = await load('layout');

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

function token(id, extra = {}) {
  return { token_id: id, type: 'default', weight: 1, created_at: `2026-01-01T00:00:0${id.at(-1) === 'a' ? 1 : id.at(-1) === 'b' ? 2 : 3}.000000Z`, ...extra };
}
function edge(id, source, target) {
  return { connection_id: id, source_id: source, target_id: target, type: 'generic', weight: 1 };
}
function run(...actions) {
  return actions.reduce(reducer, initialState());
}
const reload = { kind: 'reload', generation: 1 };

test('a list page read before a deletion does not bring the token back', () => {
  const state = run(
    reload,
    { kind: 'tokenDeleted', tokenId: A, now: 1, live: true },
    { kind: 'listPage', generation: 1, tokens: [token(A), token(B)], total: 2, now: 2 },
  );
  assert.deepEqual([...state.tokens.keys()], [B]);
  assert.equal(state.feed[0].type, 'token.deleted');
});

test('a list page does not overwrite a newer token from an event', () => {
  const state = run(
    reload,
    { kind: 'tokenUpserted', token: token(A, { weight: 9, version: 3 }), eventType: 'token.updated', now: 1, live: true },
    { kind: 'listPage', generation: 1, tokens: [token(A, { weight: 1 })], total: 1, now: 2 },
  );
  assert.equal(state.tokens.get(A).weight, 9);
  assert.equal(state.tokens.get(A).version, 3);
});

test('an older or repeated version of a token is ignored, and counted once in the feed', () => {
  const state = run(
    { kind: 'tokenUpserted', token: token(A, { weight: 2, version: 2 }), eventType: 'token.updated', now: 1, live: true },
    { kind: 'tokenUpserted', token: token(A, { weight: 2, version: 2 }), eventType: 'token.updated', now: 2, live: true },
    { kind: 'tokenUpserted', token: token(A, { weight: 1, version: 1 }), eventType: 'token.created', now: 3, live: true },
  );
  assert.equal(state.tokens.get(A).weight, 2);
  assert.equal(state.feed.length, 1);
});

test('answers of an earlier load are ignored after a reload', () => {
  const state = run(
    reload,
    { kind: 'reload', generation: 2 },
    { kind: 'listPage', generation: 1, tokens: [token(A)], total: 1, now: 1 },
    { kind: 'neighbors', generation: 1, tokenId: A, edges: [edge('e1', A, B)], counts: true },
  );
  assert.equal(state.tokens.size, 0);
  assert.equal(state.edges.size, 0);
  assert.equal(state.load.generation, 2);
});

test('a removed edge stays removed when a stale neighbors answer lists it', () => {
  const state = run(
    reload,
    { kind: 'listPage', generation: 1, tokens: [token(A), token(B)], total: 2, now: 1 },
    { kind: 'edgeRemoved', edgeId: 'e1', sourceId: A, targetId: B, reason: 'requested', now: 2, live: true },
    { kind: 'neighbors', generation: 1, tokenId: A, edges: [edge('e1', A, B), edge('e2', A, B)], counts: true },
  );
  assert.deepEqual([...state.edges.keys()], ['e2']);
  assert.equal(state.load.neighborsFetched, 1);
});

test("deleting a token removes its edges and neighbors answers can't restore them", () => {
  const state = run(
    reload,
    { kind: 'listPage', generation: 1, tokens: [token(A), token(B), token(C)], total: 3, now: 1 },
    { kind: 'edgeAdded', edge: edge('e1', A, B), now: 2, live: true },
    { kind: 'edgeAdded', edge: edge('e2', B, C), now: 2, live: true },
    { kind: 'tokenDeleted', tokenId: A, now: 3, live: true },
    { kind: 'neighbors', generation: null, tokenId: B, edges: [edge('e1', A, B), edge('e2', B, C)], counts: false },
  );
  assert.deepEqual([...state.edges.keys()], ['e2']);
  assert.deepEqual([...state.tokens.keys()].sort(), [B, C]);
});

test('live events keep the platform totals current between graph.stats reads', () => {
  const state = run(
    { kind: 'stats', stats: { totalNodes: 5, totalEdges: 2 } },
    { kind: 'tokenUpserted', token: token(A, { version: 1 }), eventType: 'token.created', now: 1, live: true },
    { kind: 'edgeAdded', edge: edge('e1', A, B), now: 1, live: true },
    { kind: 'edgeAdded', edge: edge('e1', A, B), now: 1, live: true },
    { kind: 'tokenDeleted', tokenId: C, now: 2, live: true },
    { kind: 'tokenDeleted', tokenId: C, now: 2, live: true },
  );
  assert.deepEqual(state.stats, { totalNodes: 5, totalEdges: 3 });
});

test('tokens are ordered oldest first, as token.list orders them', () => {
  const state = run({ kind: 'listPage', generation: 0, tokens: [token(C), token(A), token(B)], total: 3, now: 1 });
  assert.deepEqual(orderedTokens(state.tokens).map((t) => t.id), [A, B, C]);
});

test('the ring layout is deterministic, inside the box, and keeps nodes apart', () => {
  for (const n of [1, 2, 7, 40, 150, 500]) {
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    const first = ringLayout(ids, 700, 600);
    assert.deepEqual(ringLayout(ids, 700, 600), first);
    assert.equal(first.positions.size, n);
    const points = [...first.positions.values()];
    for (const p of points) {
      assert.ok(p.x >= 0 && p.x <= 700 && p.y >= 0 && p.y <= 600, `n=${n}: ${p.x},${p.y} outside`);
    }
    let closest = Infinity;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        closest = Math.min(closest, Math.hypot(points[i].x - points[j].x, points[i].y - points[j].y));
      }
    }
    if (n > 1) assert.ok(closest >= first.nodeRadius * 1.5, `n=${n}: nodes ${closest} apart, radius ${first.nodeRadius}`);
  }
});

test('up to twelve token types get twelve different colours', () => {
  const types = Array.from({ length: 12 }, (_, i) => `type-${i}`);
  const colors = typeColors(types);
  assert.equal(new Set(colors.values()).size, 12);
  assert.deepEqual(typeColors([...types].reverse()), colors);
});

test('edges in opposite directions between two tokens do not overlap', () => {
  const a = { x: 0, y: 0 };
  const b = { x: 200, y: 0 };
  const ab = edgePath(a, b, 10, 0);
  const ba = edgePath(b, a, 10, 0);
  assert.ok(ab.mid.y * ba.mid.y < 0, `midpoints ${ab.mid.y} and ${ba.mid.y} on the same side`);
});
