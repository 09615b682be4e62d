// Subscribe on gateway A, disconnect, let 1,000 events happen, then resume on gateway B with the last
// cursor: all 1,000 must arrive, once each, in order per token. Exits 1 otherwise.
// Needs: devstack --gateways 2 --token-services 2 --graph-services 2; npm install; node resume-across-gateways.mjs
// (GW_A / GW_B override localhost:8000 / localhost:8001).
import WebSocket from 'ws';
const A = process.env.GW_A ?? 'localhost:8000';
const B = process.env.GW_B ?? 'localhost:8001';
const TOKENS = 250, UPDATES = 3; // 250 creates + 750 updates = 1,000 events
function open(gw, clientId) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${gw}/ws?client_id=${clientId}`);
    const inbox = [];
    let waiter = null;
    ws.on('message', (d) => { inbox.push(JSON.parse(d)); if (waiter) { const w = waiter; waiter = null; w(); } });
    ws.next = async (pred, ms = 30_000) => {
      const end = Date.now() + ms;
      for (;;) {
        const i = inbox.findIndex(pred);
        if (i >= 0) return inbox.splice(i, 1)[0];
        if (Date.now() > end) throw new Error('timeout waiting');
        await new Promise((r) => { waiter = r; setTimeout(r, 200); });
      }
    };
    ws.inbox = inbox;
    ws.once('error', reject);
    ws.once('open', () => resolve(ws));
  });
}
const run = process.pid;
// 1. Subscribe on A and take the cursor of one event.
const watcher = await open(A, `watcher-${run}`);
watcher.send(JSON.stringify({ id: 'sub', type: 'subscribe', payload: { topic: 'tokens' } }));
await watcher.next((m) => m.type === 'subscribed');
watcher.send(JSON.stringify({ id: 'seed', type: 'token.create', payload: { type: `seed-${run}` } }));
const seedEvent = await watcher.next((m) => m.topic === 'tokens' && m.payload?.type === `seed-${run}`);
const cursor = seedEvent.cursor;
watcher.close();
console.log(`watcher on ${A} disconnected at cursor ${cursor.slice(0, 24)}…`);
// 2. 1,000 events while nobody watches: every request is answered; TIMEOUT/UNAVAILABLE are re-sent with the same id.
const producer = await open(A, `producer-${run}`);
const ids = [];
let resent = 0;
async function ask(id, type, payload) {
  for (;;) {
    producer.send(JSON.stringify({ id, type, payload }));
    const reply = await producer.next((m) => m.correlation_id === id, 60_000);
    if (reply.type === 'error' && ['TIMEOUT', 'UNAVAILABLE'].includes(reply.payload.code)) { resent++; continue; }
    if (reply.type === 'error') throw new Error(JSON.stringify(reply));
    return reply;
  }
}
const started = Date.now();
// 50 tokens at a time: the gateway allows 100 requests in flight per connection.
for (let first = 0; first < TOKENS; first += 50) {
  await Promise.all(Array.from({ length: Math.min(50, TOKENS - first) }, async (_, k) => {
    const t = first + k;
    const created = await ask(`c-${t}`, 'token.create', { type: `r-${run}`, weight: 1 });
    const id = created.payload.token_id; ids.push(id);
    for (let u = 1; u <= UPDATES; u++) await ask(`u-${t}-${u}`, 'token.update', { token_id: id, weight: u + 1 });
  }));
}
producer.close();
console.log(`${TOKENS * (1 + UPDATES)} commands answered in ${(Date.now() - started) / 1000} s (${resent} re-sent after TIMEOUT/UNAVAILABLE)`);
// 3. Resume on B.
const resumer = await open(B, `watcher-${run}`);
resumer.send(JSON.stringify({ id: 'resume', type: 'subscribe', payload: { topic: 'tokens', since: cursor } }));
const subscribed = await resumer.next((m) => m.type === 'subscribed');
console.log(`resumed on ${B}: ${JSON.stringify({ resumed: subscribed.payload.resumed })}`);
const wanted = new Set(ids);
const seen = new Map(); // token_id -> versions in arrival order
let mine = 0, eventIds = new Set(), duplicates = 0;
const end = Date.now() + 120_000;
while (mine < TOKENS * (1 + UPDATES) && Date.now() < end) {
  const m = await resumer.next((x) => x.topic === 'tokens', Math.max(1, end - Date.now())).catch(() => null);
  if (!m) break;
  if (!wanted.has(m.payload?.token_id)) continue;
  mine++;
  const key = `${m.payload.token_id}:${m.payload.version}`; if (eventIds.has(key)) duplicates++;
  eventIds.add(key);
  const v = seen.get(m.payload.token_id) ?? []; v.push(m.payload.version); seen.set(m.payload.token_id, v);
}
let outOfOrder = 0, incomplete = 0;
for (const id of ids) {
  const v = seen.get(id) ?? [];
  if (v.length !== 1 + UPDATES) incomplete++;
  for (let i = 0; i < v.length; i++) if (v[i] !== i + 1) { outOfOrder++; break; }
}
console.log(`received ${mine} events for the ${TOKENS} tokens: ${seen.size} tokens seen, ${incomplete} with a missing or extra event, ${outOfOrder} out of order, ${duplicates} duplicates (same token and version twice)`);
resumer.close();
process.exit(mine === TOKENS * (1 + UPDATES) && incomplete === 0 && outOfOrder === 0 ? 0 : 1);
