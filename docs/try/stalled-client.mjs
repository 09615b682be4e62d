// A stalled client is closed with 4008 while a second client keeps receiving everything.
// Needs: a running devstack; npm install; node stalled-client.mjs (GW overrides localhost:8000).
// The stalled client stops reading from its socket; 60 KB operator messages go to topic tokens through
// POST /ws/publish/tokens until the gateway counts a slow-consumer close; then the stalled client reads
// again and sees its close frame, and the other client must have every message.
import WebSocket from 'ws';
const GW = process.env.GW ?? 'localhost:8000';
const http = `http://${GW}`;
function open(clientId) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${GW}/ws?client_id=${clientId}`);
    ws.once('error', reject);
    ws.once('open', () => resolve(ws));
  });
}
async function stats() {
  const r = await fetch(`${http}/ws/stats`);
  return (await r.json());
}
const closesBefore = (await stats()).sessions.slow_consumer_closes;
const reader = await open('reader-' + process.pid);
const staller = await open('staller-' + process.pid);
let readerGot = 0, stallerGot = 0; const latencies = [];
reader.on('message', (data) => { const m = JSON.parse(data); if (m.topic === 'tokens') { readerGot++; if (m.payload?.sent_at) latencies.push(Date.now() - m.payload.sent_at); } });
staller.on('message', (data) => { const m = JSON.parse(data); if (m.topic === 'tokens') stallerGot++; });
let stallerClose = null; staller.on('close', (code, reason) => { stallerClose = { code, reason: reason.toString(), at: Date.now() }; });
let readerClosed = false; reader.on('close', () => { readerClosed = true; });
for (const ws of [reader, staller]) ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { topic: 'tokens' } }));
await new Promise((r) => setTimeout(r, 1000));
staller._socket.pause(); // stops reading from TCP: the gateway's writes back up into its outbound queue
console.log('staller paused; publishing 60 KB operator messages to topic tokens');
const filler = 'x'.repeat(60_000);
let accepted = 0, posted = 0, detectedAt = null;
const start = Date.now();
while (posted < 2000 && !detectedAt) {
  const batch = [];
  for (let i = 0; i < 10; i++) {
    posted++;
    batch.push(fetch(`${http}/ws/publish/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: posted, sent_at: Date.now(), filler }) }).then((r) => { if (r.status === 202) accepted++; }));
  }
  await Promise.all(batch);
  if ((await stats()).sessions.slow_consumer_closes > closesBefore) detectedAt = Date.now();
}
console.log(`posted ${posted}, accepted ${accepted}, gateway counted a slow-consumer close after ${(detectedAt - start) / 1000} s`);
staller._socket.resume();
const deadline = Date.now() + 30_000;
while ((!stallerClose || readerGot < accepted) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
// After the close, the reader keeps receiving: 50 more small messages.
for (let i = 0; i < 50; i++) { accepted++; await fetch(`${http}/ws/publish/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ after: i, sent_at: Date.now() }) }); }
const d2 = Date.now() + 30_000;
while (readerGot < accepted && Date.now() < d2) await new Promise((r) => setTimeout(r, 100));
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
console.log(`staller: closed with ${stallerClose?.code} "${stallerClose?.reason}", had received ${stallerGot} before`);
console.log(`reader: received ${readerGot} of ${accepted} published, still open: ${!readerClosed}, publish-to-delivery p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms`);
reader.close();
process.exit(stallerClose?.code === 4008 && readerGot === accepted && !readerClosed ? 0 : 1);
