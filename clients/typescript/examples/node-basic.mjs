// A first NeuroGraph program for Node 20+: connect, subscribe, create two tokens, link them, query.
//
//   npm run build            (once, in clients/typescript)
//   node examples/node-basic.mjs
//
// Environment: NEUROGRAPH_URL (default ws://localhost:8000/ws), NEUROGRAPH_TOKEN (only for a gateway
// in auth mode jwt).
import WebSocket from 'ws';
import { createWebSocket, ServerError } from '@neurograph/client';

const ws = createWebSocket({
  url: process.env.NEUROGRAPH_URL ?? 'ws://localhost:8000/ws',
  token: process.env.NEUROGRAPH_TOKEN,
  WebSocket, // Node 20 has no global WebSocket: use the `ws` package
});

ws.onEvent('connected', (info) => console.log(`connected: connection ${info.connection_id}, client ${info.client_id}`));
ws.onEvent('disconnected', (d) => console.log(`disconnected (${d.code}); reconnecting: ${d.willReconnect}`));
ws.onEvent('resync_required', (r) => console.log(`missed events on ${r.topic}: reload its state`));

// Every token event, live (and replayed after a reconnect, from the last cursor).
ws.on('token.created', (msg) => {
  if (msg.topic) console.log(`event on ${msg.topic}: token ${msg.payload.token_id} created (cursor ${msg.cursor})`);
});

await ws.connect();
await ws.subscribe('tokens');

const a = await ws.createToken({ type: 'example', coord_x: [1, 0, 0, 0, 0, 0, 0, 0], metadata: { name: 'a' } });
const b = await ws.createToken({ type: 'example', metadata: { name: 'b' } });
console.log('created', a.payload.token_id, 'and', b.payload.token_id);

const edge = await ws.connectTokens(a.payload.token_id, b.payload.token_id, { type: 'related', weight: 0.8 });
console.log('edge', edge.payload.connection_id);

const neighbors = await ws.getNeighbors(a.payload.token_id, 'outgoing');
console.log('neighbors of a:', neighbors.payload.neighbors.map((n) => n.target_id));

const page = await ws.listTokens(5, 0, { type: 'example' });
console.log(`${page.payload.total} tokens of type "example"; first page:`, page.payload.tokens.map((t) => t.token_id));

try {
  await ws.updateToken(a.payload.token_id, { weight: 2, expected_version: 99 });
} catch (error) {
  if (error instanceof ServerError) console.log(`as expected, the server said ${error.code}: ${error.message}`);
  else throw error;
}

ws.disconnect();
