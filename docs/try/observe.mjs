// A client's traceparent comes back on its replies, reaches every service's log lines for that request, and
// the Prometheus meters of all three services move while a client works.
// Needs: a running devstack; npm install; node observe.mjs
// GW overrides localhost:8000, TOKENS localhost:8081, GRAPH localhost:8082; LOGS the devstack's log folder
// (.devstack/logs under the directory devstack was started from).
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const GW = process.env.GW ?? 'localhost:8000';
const services = { gateway: GW, 'token-service': process.env.TOKENS ?? 'localhost:8081', 'graph-service': process.env.GRAPH ?? 'localhost:8082' };
const LOGS = process.env.LOGS ?? '.devstack/logs';

// Meters that must move, per service (Prometheus names; summed over their labels).
const watched = {
  gateway: ['neurograph_gateway_connections_opened_total', 'neurograph_gateway_messages_in_total',
    'neurograph_gateway_messages_out_total', 'neurograph_gateway_errors_total',
    'neurograph_gateway_request_duration_seconds_count', 'neurograph_gateway_event_age_seconds_count'],
  'token-service': ['neurograph_requests_handled_total', 'neurograph_requests_duration_seconds_count',
    'neurograph_outbox_published_total', 'neurograph_cache_hits_total', 'neurograph_cache_misses_total'],
  'graph-service': ['neurograph_requests_handled_total', 'neurograph_requests_duration_seconds_count',
    'neurograph_outbox_published_total', 'neurograph_cache_hits_total', 'neurograph_cache_misses_total'],
};
// Meters that must exist (gauges whose value need not change).
const present = {
  gateway: ['neurograph_gateway_connections', 'neurograph_gateway_outbound_fill_max',
    'neurograph_gateway_slow_consumer_closes_total', 'kafka_consumer_fetch_manager_records_lag_max'],
  'token-service': ['neurograph_outbox_backlog', 'neurograph_cache_hit_ratio', 'kafka_consumer_fetch_manager_records_lag_max'],
  'graph-service': ['neurograph_outbox_backlog', 'neurograph_cache_hit_ratio', 'kafka_consumer_fetch_manager_records_lag_max'],
};

async function scrape(host) {
  const text = await (await fetch(`http://${host}/actuator/prometheus`)).text();
  const sums = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const name = line.split(/[{ ]/)[0];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    sums.set(name, (sums.get(name) ?? 0) + (Number.isFinite(value) ? value : 0));
  }
  return sums;
}

const before = {};
for (const [name, host] of Object.entries(services)) before[name] = await scrape(host);

const ws = new WebSocket(`ws://${GW}/ws?client_id=observe-${process.pid}`);
await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
const waiting = new Map();
ws.on('message', (data) => {
  const m = JSON.parse(data);
  if (m.correlation_id && waiting.has(m.correlation_id)) { waiting.get(m.correlation_id)(m); waiting.delete(m.correlation_id); }
});
let n = 0;
function request(type, payload, traceparent) {
  const id = `obs-${process.pid}-${++n}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${type} ${id}: no reply in 15 s`)), 15_000);
    waiting.set(id, (m) => { clearTimeout(timer); resolve(m); });
    ws.send(JSON.stringify({ id, type, payload, ...(traceparent ? { traceparent } : {}) }));
  });
}
const newTrace = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
const traceId = (tp) => tp?.split('-')[1];

await request('subscribe', { topic: 'tokens' });
const checks = [];
const tokens = [];
for (let i = 0; i < 2; i++) {
  const tp = newTrace();
  const reply = await request('token.create', { type: 'observe', weight: 1 }, tp);
  tokens.push(reply.payload.token_id);
  checks.push({ request: 'token.create', sent: traceId(tp), replied: traceId(reply.traceparent), reply: reply.type, services: ['gateway', 'token-service'] });
}
const tp = newTrace();
const edge = await request('graph.connect', { source_id: tokens[0], target_id: tokens[1], type: 'observes' }, tp);
checks.push({ request: 'graph.connect', sent: traceId(tp), replied: traceId(edge.traceparent), reply: edge.type, services: ['gateway', 'graph-service'] });
for (let i = 0; i < 20; i++) await request('token.get', { token_id: tokens[i % 2] });
for (let i = 0; i < 3; i++) await request('graph.neighbors', { token_id: tokens[0], direction: 'outgoing' });
await request('token.create', { weight: -1 }); // an error, counted by code
ws.close();

let ok = true;
// Log lines reach the files a moment after the reply; give them 5 s.
const deadline = Date.now() + 5_000;
let logs;
do {
  await new Promise((r) => setTimeout(r, 250));
  logs = Object.fromEntries(Object.keys(services).map((s) => [s, readFileSync(`${LOGS}/${s}.log`, 'utf8')]));
} while (Date.now() < deadline && !checks.every((c) => c.services.every((s) => logs[s].includes(c.sent))));
for (const c of checks) {
  const inLogs = c.services.map((s) => `${s}: ${logs[s].split('\n').filter((l) => l.includes(c.sent)).length} lines`);
  const good = c.sent === c.replied && c.services.every((s) => logs[s].includes(c.sent));
  ok &&= good;
  console.log(`${good ? 'ok  ' : 'FAIL'} ${c.request}: trace ${c.sent} -> reply ${c.reply} with trace ${c.replied}; ${inLogs.join(', ')}`);
}

for (const [name, host] of Object.entries(services)) {
  const after = await scrape(host);
  for (const meter of watched[name]) {
    const delta = (after.get(meter) ?? NaN) - (before[name].get(meter) ?? 0);
    const good = delta > 0;
    ok &&= good;
    console.log(`${good ? 'ok  ' : 'FAIL'} ${name} ${meter} +${delta}`);
  }
  for (const meter of present[name]) {
    const good = after.has(meter);
    ok &&= good;
    console.log(`${good ? 'ok  ' : 'FAIL'} ${name} ${meter} = ${after.get(meter)}`);
  }
}
process.exit(ok ? 0 : 1);
