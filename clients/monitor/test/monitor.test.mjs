// End-to-end test of the Token Monitor page: the real platform (clients/testing/stack.mjs: Kafka,
// PostgreSQL, Redis, token-service, graph-service and the gateway jar, which serves the committed page
// from its classpath), Debian's Chromium driven by playwright-core, and a second client speaking the
// protocol with the `ws` package.
//
// The gateway jar must contain the current build of the page:
//   npm run build && (cd ../.. && ./mvnw -B -q -pl gateway -DskipTests install)

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { startStack } from '../../testing/stack.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const STATIC_DIR = join(HERE, '..', '..', '..', 'gateway', 'src', 'main', 'resources', 'static');
const RESULTS = join(HERE, '..', 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT = 30_000;

/** A protocol client for "another client": requests matched to replies by correlation_id. */
class OtherClient {
  static async open(url, clientId) {
    const socket = new WebSocket(`${url}?client_id=${clientId}`);
    const client = new OtherClient(socket);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connection.established within 30 s')), WAIT);
      socket.once('error', reject);
      client.onEstablished = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    return client;
  }

  constructor(socket) {
    this.socket = socket;
    this.pending = new Map();
    this.next = 0;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection.established') this.onEstablished?.();
      const waiter = message.correlation_id && this.pending.get(message.correlation_id);
      if (!waiter) return;
      this.pending.delete(message.correlation_id);
      if (message.type === 'error') waiter.reject(new Error(`${message.payload.code}: ${message.payload.message}`));
      else waiter.resolve(message);
    });
  }

  request(type, payload) {
    const id = `other-${process.pid}-${++this.next}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${type} within 30 s`)), WAIT);
      this.pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.socket.send(JSON.stringify({ id, type, payload }));
    });
  }

  close() {
    this.socket.close();
  }
}

let stack;
let browser;
let page;
let other;
const pageErrors = [];
let navigations = 0;
// Ids shared between the steps (the steps run in order and build on each other).
const ids = { preA: null, preB: null, preEdge: null, created: [], pageEdge: null, otherToken: null };

function row(id) {
  return `[data-testid="token-list"] tr[data-token-id="${id}"]`;
}
function node(id) {
  return `[data-testid="graph"] g[data-node-id="${id}"]`;
}
function edge(id) {
  return `[data-testid="graph"] path[data-edge-id="${id}"]`;
}

before(
  async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    }
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    other = await OtherClient.open(stack.wsUrl, `monitor-test-other-${process.pid}`);
  },
  { timeout: 300_000 },
);

after(async () => {
  other?.close();
  await browser?.close();
  await stack?.stop();
});

test('the gateway serves the built page at /', async () => {
  const response = await fetch(`${stack.httpUrl}/`);
  assert.equal(response.status, 200);
  const served = await response.text();
  const committed = readFileSync(join(STATIC_DIR, 'index.html'), 'utf8');
  assert.equal(served, committed, 'the gateway jar serves another index.html than the one in static/: rebuild it (./mvnw -pl gateway -DskipTests install)');
  for (const asset of ['assets/monitor.js', 'assets/monitor.css']) {
    assert.ok(served.includes(`/${asset}`), `index.html refers to /${asset}`);
    const assetResponse = await fetch(`${stack.httpUrl}/${asset}`);
    assert.equal(assetResponse.status, 200, asset);
    assert.equal(Buffer.from(await assetResponse.arrayBuffer()).length, readFileSync(join(STATIC_DIR, asset)).length, asset);
  }
});

test('on load it shows the tokens and edges that already exist, and connects', { timeout: 120_000 }, async () => {
  // Made before the page opens, so the page can only know them from token.list and graph.neighbors.
  ids.preA = (await other.request('token.create', { type: 'preexisting', weight: 1.5 })).payload.token_id;
  ids.preB = (await other.request('token.create', { type: 'preexisting', weight: 2.5 })).payload.token_id;
  ids.preEdge = (await other.request('graph.connect', { source_id: ids.preA, target_id: ids.preB, type: 'seed' })).payload.connection_id;

  await page.goto(`${stack.httpUrl}/`);
  assert.equal(await page.title(), 'NeuroGraph Token Monitor');
  await page.waitForSelector('[data-testid="connection-status"][data-state="open"]');
  await page.waitForSelector(row(ids.preA));
  await page.waitForSelector(row(ids.preB));
  await page.waitForSelector(node(ids.preA));
  await page.waitForSelector(edge(ids.preEdge));
  await page.waitForFunction(() => /every edge between them/.test(document.querySelector('[data-testid="graph-note"]')?.textContent ?? ''));
  // The page keeps this across the rest of the test: proof that nothing below reloads it.
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
});

test('tokens created from the form appear in the list and the graph', { timeout: 120_000 }, async () => {
  for (const [type, weight] of [['alpha', '1.5'], ['beta', '2'], ['alpha', '0.5']]) {
    const previous = await page.evaluate(() => document.querySelector('[data-testid="create-result"]')?.getAttribute('data-token-id') ?? null);
    await page.fill('[data-testid="create-form"] input[name="type"]', type);
    await page.fill('[data-testid="create-form"] input[name="weight"]', weight);
    await page.click('[data-testid="create-form"] button[type="submit"]');
    const handle = await page.waitForFunction(
      (before) => {
        const id = document.querySelector('[data-testid="create-result"]')?.getAttribute('data-token-id');
        return id && id !== before ? id : null;
      },
      previous,
    );
    const id = await handle.jsonValue();
    ids.created.push(id);
    await page.waitForSelector(row(id));
    await page.waitForSelector(node(id));
    assert.equal((await page.textContent(`${row(id)} td:nth-child(2)`)).trim(), type);
    assert.equal(await page.textContent(`${row(id)} [data-field="weight"]`), Number(weight).toFixed(1));
    await page.waitForSelector(`[data-testid="event-feed"] li[data-type="token.created"][data-tokens="${id}"]`);
  }
  assert.equal(new Set(ids.created).size, 3);
});

test('two tokens are connected from the form and the edge is drawn', { timeout: 60_000 }, async () => {
  const [a, b] = ids.created;
  await page.selectOption('[data-testid="connect-form"] select[name="source"]', a);
  await page.selectOption('[data-testid="connect-form"] select[name="target"]', b);
  await page.fill('[data-testid="connect-form"] input[name="edge-type"]', 'link');
  await page.click('[data-testid="connect-form"] button[type="submit"]');
  const handle = await page.waitForFunction(() => document.querySelector('[data-testid="connect-result"]')?.getAttribute('data-connection-id'));
  ids.pageEdge = await handle.jsonValue();
  await page.waitForSelector(edge(ids.pageEdge));
  await page.waitForSelector(`[data-testid="event-feed"] li[data-type="graph.connected"][data-tokens="${a} ${b}"]`);
});

test("another client's creates, updates, connects and deletes appear without a reload", { timeout: 120_000 }, async () => {
  const created = await other.request('token.create', { type: 'other-client', weight: 3 });
  ids.otherToken = created.payload.token_id;
  await page.waitForSelector(row(ids.otherToken));
  await page.waitForSelector(node(ids.otherToken));
  await page.waitForSelector(`[data-testid="event-feed"] li[data-type="token.created"][data-tokens="${ids.otherToken}"]`);

  await other.request('token.update', { token_id: ids.otherToken, weight: 7.25 });
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '7.25', `${row(ids.otherToken)} [data-field="weight"]`);
  await page.waitForSelector(`[data-testid="event-feed"] li[data-type="token.updated"][data-tokens="${ids.otherToken}"]`);

  const connected = await other.request('graph.connect', { source_id: ids.otherToken, target_id: ids.created[0], type: 'remote' });
  await page.waitForSelector(edge(connected.payload.connection_id));

  // Deleting a token removes it and (graph-service's events) its edges.
  await other.request('token.delete', { token_id: ids.preB });
  await page.waitForSelector(row(ids.preB), { state: 'detached' });
  await page.waitForSelector(node(ids.preB), { state: 'detached' });
  await page.waitForSelector(edge(ids.preEdge), { state: 'detached' });
  await page.waitForSelector(`[data-testid="event-feed"] li[data-type="token.deleted"][data-tokens="${ids.preB}"]`);

  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
  assert.equal(navigations, 1, 'the page navigated again');
});

test('clicking a node shows its neighbors, and they follow graph events', { timeout: 120_000 }, async () => {
  const [a, b, c] = ids.created;
  await page.click(node(a));
  await page.waitForSelector(`[data-testid="details"][data-token-id="${a}"]`);
  // a → b (from the page's form) and otherToken → a (from the other client).
  await page.waitForSelector(`[data-testid="neighbors"] li[data-neighbor-id="${b}"]`);
  await page.waitForSelector(`[data-testid="neighbors"] li[data-neighbor-id="${ids.otherToken}"]`);
  assert.equal(await page.locator('[data-testid="neighbors"] li').count(), 2);
  assert.equal((await page.textContent(`[data-testid="neighbors"] li[data-neighbor-id="${b}"] .dir`)).trim(), '→');
  assert.equal((await page.textContent(`[data-testid="neighbors"] li[data-neighbor-id="${ids.otherToken}"] .dir`)).trim(), '←');
  assert.ok((await page.getAttribute(node(b), 'class')).includes('neighbor'));
  assert.ok((await page.getAttribute(node(c), 'class')).includes('dim'));

  // A new edge of the selected token, made elsewhere, shows up in the open panel.
  await other.request('graph.connect', { source_id: c, target_id: a, type: 'late' });
  await page.waitForSelector(`[data-testid="neighbors"] li[data-neighbor-id="${c}"]`);

  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'monitor-1366x768.png') });
  // Nothing spills out of the window at laptop size.
  const overflow = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth - window.innerWidth,
    y: document.documentElement.scrollHeight - window.innerHeight,
  }));
  assert.deepEqual(overflow, { x: 0, y: 0 });
});

test("the token panel sets a weight, removes an edge and deletes a token", { timeout: 120_000 }, async () => {
  const [a, , c] = ids.created;
  await page.waitForSelector(`[data-testid="details"][data-token-id="${a}"]`);
  await page.fill('[data-testid="details"] input[name="new-weight"]', '4.5');
  await page.click('[data-testid="details"] button:has-text("Set weight")');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '4.5', `${row(a)} [data-field="weight"]`);
  await page.waitForFunction(() => document.querySelector('[data-testid="details-weight"]')?.textContent === '4.5');

  // Remove the edge c → a from the neighbors list.
  const connectionId = await page.getAttribute(`[data-testid="neighbors"] li[data-neighbor-id="${c}"]`, 'data-connection-id');
  await page.click(`[data-testid="neighbors"] li[data-neighbor-id="${c}"] button[title="graph.disconnect"]`);
  await page.waitForSelector(edge(connectionId), { state: 'detached' });
  await page.waitForSelector(`[data-testid="neighbors"] li[data-neighbor-id="${c}"]`, { state: 'detached' });

  // Delete c itself.
  await page.click(node(c));
  await page.waitForSelector(`[data-testid="details"][data-token-id="${c}"]`);
  await page.click('[data-testid="details"] button:has-text("Delete")');
  await page.waitForSelector(row(c), { state: 'detached' });
  await page.waitForSelector(node(c), { state: 'detached' });
  ids.created = ids.created.filter((id) => id !== c);
});

test('after the gateway restarts the page reconnects and stays live', { timeout: 240_000 }, async () => {
  const down = page.waitForSelector('[data-testid="connection-status"]:not([data-state="open"])', { timeout: 60_000 });
  await stack.restartGateway();
  await down;
  await page.waitForSelector('[data-testid="connection-status"][data-state="open"]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="stale-banner"]', { state: 'detached' });
  await page.waitForSelector('[data-testid="event-feed"] li[data-type="connection lost"]');
  await page.waitForSelector('[data-testid="event-feed"] li[data-type="reconnected"]');
  // The other client's socket died with the gateway: it opens a new one.
  other.close();
  other = await OtherClient.open(stack.wsUrl, `monitor-test-other-${process.pid}`);
  const created = await other.request('token.create', { type: 'after-restart' });
  await page.waitForSelector(row(created.payload.token_id), { timeout: 60_000 });
  // Everything from before the restart is still shown (resumed, or reloaded after resumed:false).
  for (const id of ids.created) await page.waitForSelector(row(id));
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
  assert.deepEqual(pageErrors, []);
});
