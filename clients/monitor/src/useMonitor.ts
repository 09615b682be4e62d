// The page's connection to the platform, built on the TypeScript client's React hooks:
//
// 1. useNeuroGraphWebSocket opens one client (reconnecting forever, with backoff).
// 2. useWebSocketSubscription keeps `tokens` and `graph` subscribed; the client resumes both from their
//    last cursor after a reconnect, so nothing is missed and nothing needs reloading...
// 3. ...unless the gateway answers `resumed: false` (the client's `resync_required` event): then, and on
//    the first connection, the page reloads its state: every page of `token.list` (up to MAX_LISTED
//    tokens), the outgoing edges of the newest MAX_NEIGHBOR_FETCH of them (`graph.neighbors`; the
//    protocol has no "list all edges"), and `graph.stats` for the platform totals.
// 4. useWebSocketMessage feeds every token and graph event into the reducer (state.ts).

import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ConnectionState, NeuroGraphWebSocket, ServerError, WebSocketMessage } from '@neurograph/client';
import { useNeuroGraphWebSocket, useWebSocketMessage, useWebSocketSubscription } from '@neurograph/client/react';
import { initialState, reducer, type WireEdge, type WireToken } from './state';
import type { NeighborsView } from './components/TokenDetails';

export const MAX_LISTED = 500;
export const MAX_NEIGHBOR_FETCH = 150;
const PAGE = 100;
const NEIGHBOR_CONCURRENCY = 12;
const STATS_DEBOUNCE_MS = 1000;

/** ws:// or wss:// on the page's own host and port, path /ws. */
export function gatewayUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

function randomSuffix(): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Retries a request the gateway refused with RATE_LIMITED, after the delay it asked for. */
async function politely<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const e = error as Partial<ServerError>;
      if (e.code !== 'RATE_LIMITED' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(e.retryAfterMs ?? 1000, 10_000)));
    }
  }
}

export interface ConnectionView {
  state: ConnectionState;
  connectionId: string | null;
  reconnectAttempt: number;
  clientId: string;
  lastError: string | null;
}

export function useMonitor() {
  const url = useMemo(() => gatewayUrl(window.location), []);
  const clientId = useMemo(() => `token-monitor-${randomSuffix()}`, []);
  const api = useNeuroGraphWebSocket(url, {
    clientId,
    reconnect: true,
    reconnectInterval: 1000,
    maxReconnectInterval: 10_000,
    maxReconnectAttempts: Number.POSITIVE_INFINITY,
    heartbeatInterval: 20_000,
  });
  const ws: NeuroGraphWebSocket = api.ws;

  const [state, dispatch] = useReducer(reducer, undefined, initialState);
  const [connection, setConnection] = useState<ConnectionView>(() => ({
    state: ws.getState(),
    connectionId: ws.getConnectionId(),
    reconnectAttempt: 0,
    clientId,
    lastError: null,
  }));

  // Connection lifecycle for the indicator (and the feed: drops and returns are events too).
  useEffect(() => {
    let everConnected = false;
    let lostAt: number | null = null;
    const offs = [
      ws.onEvent('connected', (info) => {
        if (everConnected) {
          const away = lostAt !== null ? ` after ${Math.max(1, Math.round((Date.now() - lostAt) / 1000))} s` : '';
          dispatch({ kind: 'note', feedKind: 'system', type: 'reconnected', text: `connection ${info.connection_id.slice(0, 8)}${away}; resuming subscriptions`, now: Date.now() });
        }
        everConnected = true;
        lostAt = null;
      }),
      ws.onEvent('disconnected', (info) => {
        if (!info.willReconnect || lostAt !== null) return;
        lostAt = Date.now();
        dispatch({ kind: 'note', feedKind: 'error', type: 'connection lost', text: `${info.code}${info.reason ? ` ${info.reason}` : ''}; reconnecting`, now: lostAt });
      }),
      ws.onEvent('state', (s) =>
        setConnection((c) => ({ ...c, state: s, connectionId: ws.getConnectionId(), reconnectAttempt: s === 'ready' ? 0 : c.reconnectAttempt })),
      ),
      ws.onEvent('connected', (info) => setConnection((c) => ({ ...c, connectionId: info.connection_id, lastError: null }))),
      ws.onEvent('reconnecting', (info) => setConnection((c) => ({ ...c, reconnectAttempt: info.attempt }))),
      ws.onEvent('disconnected', (info) =>
        setConnection((c) => ({ ...c, connectionId: null, lastError: info.code !== 1000 ? `closed ${info.code}${info.reason ? ` ${info.reason}` : ''}` : c.lastError })),
      ),
    ];
    return () => offs.forEach((off) => off());
  }, [ws]);

  useWebSocketSubscription(ws, 'tokens');
  useWebSocketSubscription(ws, 'graph');

  // Loading -------------------------------------------------------------------------------------

  const generation = useRef(0);

  const refreshStats = useCallback(async () => {
    try {
      const reply = await politely(() => ws.getGraphStats());
      dispatch({ kind: 'stats', stats: { totalNodes: reply.payload.total_nodes, totalEdges: reply.payload.total_edges } });
    } catch {
      // The counts are informative only; the next event tries again.
    }
  }, [ws]);

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    dispatch({ kind: 'reload', generation: gen });
    const current = () => gen === generation.current;
    try {
      // Subscribed first: every change after this point arrives as an event, so the lists below cannot
      // miss one (the reducer keeps the newer of a listed and an event-borne state).
      await Promise.all([ws.subscribe('tokens'), ws.subscribe('graph')]);
      if (!current()) return;
      void refreshStats();

      let offset = 0;
      let first = await politely(() => ws.listTokens(PAGE, 0));
      if (!current()) return;
      const total = first.payload.total ?? null;
      if (total !== null && total > MAX_LISTED) {
        // More than the page keeps: show the newest MAX_LISTED (token.list is oldest first).
        offset = total - MAX_LISTED;
        first = await politely(() => ws.listTokens(PAGE, offset));
        if (!current()) return;
      }
      const listedIds: string[] = [];
      let page = first;
      for (;;) {
        const tokens = page.payload.tokens as WireToken[];
        listedIds.push(...tokens.map((t) => t.token_id));
        dispatch({ kind: 'listPage', generation: gen, tokens, total: page.payload.total ?? null, now: Date.now() });
        offset += tokens.length;
        const more = tokens.length === PAGE && listedIds.length < MAX_LISTED && (total === null || offset < total);
        if (!more) break;
        page = await politely(() => ws.listTokens(PAGE, offset));
        if (!current()) return;
      }

      const neighborsOf = listedIds.slice(-MAX_NEIGHBOR_FETCH);
      dispatch({ kind: 'listDone', generation: gen, neighborsPlanned: neighborsOf.length });
      let next = 0;
      const worker = async () => {
        while (current() && next < neighborsOf.length) {
          const tokenId = neighborsOf[next++];
          const reply = await politely(() => ws.getNeighbors(tokenId, 'outgoing', { limit: 1000 }));
          if (!current()) return;
          dispatch({ kind: 'neighbors', generation: gen, tokenId, edges: reply.payload.neighbors as WireEdge[], counts: true });
        }
      };
      await Promise.all(Array.from({ length: NEIGHBOR_CONCURRENCY }, worker));
      if (current()) dispatch({ kind: 'loadDone', generation: gen });
    } catch (error) {
      if (current()) dispatch({ kind: 'loadError', generation: gen, message: describe(error) });
    }
  }, [ws, refreshStats]);

  useEffect(() => {
    void reload();
    // A subscription that came back with a gap (resumed: false) means the page may have missed events.
    // Both topics report it after the same reconnect: reload once for them.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const off = ws.onEvent('resync_required', (info) => {
      dispatch({ kind: 'note', feedKind: 'system', type: 'resync', text: `${info.topic}: events missed while away, reloading`, now: Date.now() });
      if (pending === undefined) {
        pending = setTimeout(() => {
          pending = undefined;
          void reload();
        }, 50);
      }
    });
    return () => {
      off();
      if (pending !== undefined) clearTimeout(pending);
    };
  }, [ws, reload]);

  // Live events -----------------------------------------------------------------------------------

  const statsTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Live events adjust the totals at once; graph.stats is read again once events pause, so the counts
  // settle on the platform's own numbers.
  const scheduleStats = useCallback(() => {
    clearTimeout(statsTimer.current);
    statsTimer.current = setTimeout(() => {
      statsTimer.current = undefined;
      void refreshStats();
    }, STATS_DEBOUNCE_MS);
  }, [refreshStats]);
  useEffect(() => () => clearTimeout(statsTimer.current), []);

  // Bumped when a graph event (or a deletion) touches the selected token: its neighbors are fetched again.
  const [selected, setSelected] = useState<string | null>(null);
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = selected;
  const [selectedTouch, setSelectedTouch] = useState(0);
  const touch = useCallback((...ids: unknown[]) => {
    if (selectedRef.current !== null && ids.includes(selectedRef.current)) setSelectedTouch((n) => n + 1);
  }, []);

  const onMessage = useCallback(
    (message: WebSocketMessage) => {
      // Replies to this page's own requests are dispatched too; the event of the same change follows
      // on the subscription, and that is the one the page shows (once).
      if (typeof message.topic !== 'string') return;
      const now = Date.now();
      const payload = message.payload as Record<string, unknown>;
      switch (message.type) {
        case 'token.created':
        case 'token.updated':
          dispatch({ kind: 'tokenUpserted', token: payload as unknown as WireToken, eventType: message.type, now, live: true });
          break;
        case 'token.deleted':
          dispatch({ kind: 'tokenDeleted', tokenId: String(payload.token_id), now, live: true });
          touch(payload.token_id);
          break;
        case 'graph.connected':
          dispatch({ kind: 'edgeAdded', edge: payload as unknown as WireEdge, now, live: true });
          touch(payload.source_id, payload.target_id);
          break;
        case 'graph.disconnected':
          dispatch({
            kind: 'edgeRemoved',
            edgeId: String(payload.connection_id),
            sourceId: payload.source_id as string | undefined,
            targetId: payload.target_id as string | undefined,
            reason: payload.reason as string | undefined,
            now,
            live: true,
          });
          touch(payload.source_id, payload.target_id);
          break;
        default:
          return;
      }
      if (message.type !== 'token.updated') scheduleStats();
    },
    [scheduleStats, touch],
  );
  useWebSocketMessage(ws, 'token.created', onMessage);
  useWebSocketMessage(ws, 'token.updated', onMessage);
  useWebSocketMessage(ws, 'token.deleted', onMessage);
  useWebSocketMessage(ws, 'graph.connected', onMessage);
  useWebSocketMessage(ws, 'graph.disconnected', onMessage);

  // Selection and its neighbors -----------------------------------------------------------------------

  const [neighbors, setNeighbors] = useState<NeighborsView | null>(null);

  // The full token for the details panel (token.list carries only id, type, weight and created_at).
  useEffect(() => {
    if (selected === null) return;
    let cancelled = false;
    politely(() => ws.getToken(selected))
      .then((reply) => {
        if (!cancelled && reply.type === 'token.data') dispatch({ kind: 'tokenFetched', token: reply.payload as WireToken });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [ws, selected]);

  // Fetch on selection, and again whenever a graph event touches the selected token.
  useEffect(() => {
    if (selected === null) {
      setNeighbors(null);
      return;
    }
    let cancelled = false;
    setNeighbors((n) => (n && n.tokenId === selected ? { ...n, status: n.status === 'error' ? 'loading' : n.status } : { tokenId: selected, status: 'loading', items: [], total: null }));
    politely(() => ws.getNeighbors(selected, 'both', { limit: 1000 }))
      .then((reply) => {
        if (cancelled) return;
        const wire = reply.payload.neighbors as WireEdge[];
        dispatch({ kind: 'neighbors', generation: null, tokenId: selected, edges: wire, counts: false });
        setNeighbors({
          tokenId: selected,
          status: 'ready',
          total: reply.payload.total ?? null,
          items: wire.map((n) => ({ connectionId: n.connection_id, sourceId: n.source_id, targetId: n.target_id, type: n.type ?? 'generic', weight: n.weight ?? 1 })),
        });
      })
      .catch((error) => {
        if (!cancelled) setNeighbors({ tokenId: selected, status: 'error', items: [], total: null, error: describe(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [ws, selected, selectedTouch]);

  // Commands --------------------------------------------------------------------------------------------

  const createToken = useCallback(
    async (fields: { type: string; weight: number }) => {
      const reply = await ws.createToken({ type: fields.type, weight: fields.weight });
      return reply.payload.token_id;
    },
    [ws],
  );
  const connectTokens = useCallback(
    async (fields: { source: string; target: string; type: string; weight: number; bidirectional: boolean }) => {
      const reply = await ws.connectTokens(fields.source, fields.target, { type: fields.type, weight: fields.weight, bidirectional: fields.bidirectional });
      return reply.payload.connection_id;
    },
    [ws],
  );
  const updateWeight = useCallback(async (tokenId: string, weight: number) => {
    await ws.updateToken(tokenId, { weight });
  }, [ws]);
  const deleteToken = useCallback(async (tokenId: string) => {
    await ws.deleteToken(tokenId);
  }, [ws]);
  const disconnectEdge = useCallback(async (connectionId: string) => {
    await ws.disconnectTokens(connectionId);
  }, [ws]);
  const reconnect = useCallback(() => {
    ws.connect().catch(() => undefined);
  }, [ws]);

  return {
    url,
    state,
    connection,
    selected,
    select: setSelected,
    neighbors,
    reload,
    reconnect,
    createToken,
    connectTokens,
    updateWeight,
    deleteToken,
    disconnectEdge,
  };
}

export function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    return `${code}${String((error as { message: unknown }).message)}`;
  }
  return String(error);
}
