// The page's model of the platform: the tokens and edges it knows about, a feed of recent events,
// and how the initial load went. Pure functions only (a reducer), so ordering rules are in one place:
//
// - The page subscribes to `tokens` and `graph` BEFORE it lists, so nothing is missed; list pages and
//   neighbor answers can therefore arrive after newer events about the same token or edge.
// - A deletion seen live leaves a tombstone, so a list page or neighbor answer that was read before the
//   deletion does not bring the token or edge back.
// - A token known from an event (full token with `version`) is not overwritten by the summary that
//   `token.list` returns.

export interface TokenRow {
  id: string;
  type: string;
  weight: number;
  createdAt: string;
  updatedAt?: string;
  version?: number;
  flags?: number;
  metadata?: Record<string, unknown>;
  /** Local time of the last change this page saw (drives the highlight). */
  changedAt: number;
  /** How many changes this page has seen for the token (restarts highlight animations). */
  changes: number;
}

export interface Edge {
  id: string;
  source: string;
  target: string;
  type: string;
  weight: number;
  bidirectional?: boolean;
  /** Local time the page saw it appear live (drives the highlight); 0 when loaded. */
  addedAt: number;
}

export type FeedKind = 'created' | 'updated' | 'deleted' | 'connected' | 'disconnected' | 'system' | 'error';

export interface FeedItem {
  seq: number;
  at: number;
  kind: FeedKind;
  type: string;
  text: string;
  /** Token ids the item is about (clickable). */
  tokens: string[];
}

export type LoadPhase = 'idle' | 'loading' | 'ready' | 'error';

export interface LoadState {
  phase: LoadPhase;
  /** Tokens on the platform according to the last `token.list` page. */
  total: number | null;
  /** Tokens this page listed (at most MAX_LISTED). */
  listed: number;
  /** Listed tokens whose outgoing edges were fetched with `graph.neighbors`. */
  neighborsFetched: number;
  neighborsPlanned: number;
  error?: string;
  /** Incremented by every reload, so late answers of an earlier load can be ignored. */
  generation: number;
}

export interface GraphStats {
  totalNodes: number;
  totalEdges: number;
}

export interface MonitorState {
  tokens: ReadonlyMap<string, TokenRow>;
  edges: ReadonlyMap<string, Edge>;
  deletedTokens: ReadonlySet<string>;
  removedEdges: ReadonlySet<string>;
  feed: readonly FeedItem[];
  feedSeq: number;
  load: LoadState;
  stats: GraphStats | null;
}

export const MAX_FEED = 200;

export function initialState(): MonitorState {
  return {
    tokens: new Map(),
    edges: new Map(),
    deletedTokens: new Set(),
    removedEdges: new Set(),
    feed: [],
    feedSeq: 0,
    load: { phase: 'idle', total: null, listed: 0, neighborsFetched: 0, neighborsPlanned: 0, generation: 0 },
    stats: null,
  };
}

/** A token as events and `token.data`/`token.created` replies carry it (wire names). */
export interface WireToken {
  token_id: string;
  type?: string;
  weight?: number;
  flags?: number;
  metadata?: Record<string, unknown>;
  created_at?: string;
  updated_at?: string;
  version?: number;
}

/** An edge as `graph.connected` and neighbor entries carry it (wire names). */
export interface WireEdge {
  connection_id: string;
  source_id: string;
  target_id: string;
  type?: string;
  weight?: number;
  bidirectional?: boolean;
}

export type Action =
  | { kind: 'reload'; generation: number }
  | { kind: 'listPage'; generation: number; tokens: WireToken[]; total: number | null; now: number }
  | { kind: 'listDone'; generation: number; neighborsPlanned: number }
  | { kind: 'neighbors'; generation: number | null; tokenId: string; edges: WireEdge[]; counts: boolean }
  | { kind: 'loadDone'; generation: number }
  | { kind: 'loadError'; generation: number; message: string }
  | { kind: 'tokenUpserted'; token: WireToken; eventType: string; now: number; live: boolean }
  | { kind: 'tokenFetched'; token: WireToken }
  | { kind: 'tokenDeleted'; tokenId: string; now: number; live: boolean }
  | { kind: 'edgeAdded'; edge: WireEdge; now: number; live: boolean }
  | { kind: 'edgeRemoved'; edgeId: string; sourceId?: string; targetId?: string; reason?: string; now: number; live: boolean }
  | { kind: 'stats'; stats: GraphStats }
  | { kind: 'note'; feedKind: FeedKind; type: string; text: string; tokens?: string[]; now: number };

export function shortId(id: string): string {
  return id.slice(0, 8);
}

function tokenFromWire(wire: WireToken, previous: TokenRow | undefined, now: number, changed: boolean): TokenRow {
  return {
    id: wire.token_id,
    type: wire.type ?? previous?.type ?? 'default',
    weight: wire.weight ?? previous?.weight ?? 1,
    createdAt: wire.created_at ?? previous?.createdAt ?? '',
    updatedAt: wire.updated_at ?? previous?.updatedAt,
    version: wire.version ?? previous?.version,
    flags: wire.flags ?? previous?.flags,
    metadata: wire.metadata ?? previous?.metadata,
    changedAt: changed ? now : previous?.changedAt ?? 0,
    changes: (previous?.changes ?? 0) + (changed ? 1 : 0),
  };
}

function edgeFromWire(wire: WireEdge, addedAt: number): Edge {
  return {
    addedAt,
    id: wire.connection_id,
    source: wire.source_id,
    target: wire.target_id,
    type: wire.type ?? 'generic',
    weight: wire.weight ?? 1,
    bidirectional: wire.bidirectional,
  };
}

function withFeed(state: MonitorState, now: number, kind: FeedKind, type: string, text: string, tokens: string[]): MonitorState {
  const seq = state.feedSeq + 1;
  const feed = [{ seq, at: now, kind, type, text, tokens }, ...state.feed].slice(0, MAX_FEED);
  return { ...state, feed, feedSeq: seq };
}

/** Keeps the platform totals (graph.stats) current between two reads: +1/-1 per live event. */
function adjustStats(state: MonitorState, nodes: number, edges: number): GraphStats | null {
  if (!state.stats) return null;
  return { totalNodes: Math.max(0, state.stats.totalNodes + nodes), totalEdges: Math.max(0, state.stats.totalEdges + edges) };
}

function setWith<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  next.add(value);
  return next;
}

function setWithout<T>(set: ReadonlySet<T>, value: T): ReadonlySet<T> {
  if (!set.has(value)) return set;
  const next = new Set(set);
  next.delete(value);
  return next;
}

export function reducer(state: MonitorState, action: Action): MonitorState {
  switch (action.kind) {
    case 'reload': {
      // Everything known so far may be stale (a reconnect without resume): start over, keep the feed.
      return {
        ...state,
        tokens: new Map(),
        edges: new Map(),
        deletedTokens: new Set(),
        removedEdges: new Set(),
        load: {
          phase: 'loading',
          total: null,
          listed: 0,
          neighborsFetched: 0,
          neighborsPlanned: 0,
          generation: action.generation,
        },
      };
    }
    case 'listPage': {
      if (action.generation !== state.load.generation) return state;
      const tokens = new Map(state.tokens);
      let listed = state.load.listed;
      for (const wire of action.tokens) {
        listed += 1;
        if (state.deletedTokens.has(wire.token_id)) continue;
        const previous = tokens.get(wire.token_id);
        // An event (with a version) is newer than any list page read after subscribing.
        if (previous && previous.version !== undefined) continue;
        tokens.set(wire.token_id, tokenFromWire(wire, previous, action.now, false));
      }
      return { ...state, tokens, load: { ...state.load, listed, total: action.total ?? state.load.total } };
    }
    case 'listDone': {
      if (action.generation !== state.load.generation) return state;
      return { ...state, load: { ...state.load, neighborsPlanned: action.neighborsPlanned } };
    }
    case 'neighbors': {
      if (action.generation !== null && action.generation !== state.load.generation) return state;
      let edges: Map<string, Edge> | null = null;
      for (const wire of action.edges) {
        if (state.removedEdges.has(wire.connection_id)) continue;
        if (state.deletedTokens.has(wire.source_id) || state.deletedTokens.has(wire.target_id)) continue;
        if (state.edges.has(wire.connection_id)) continue;
        edges ??= new Map(state.edges);
        edges.set(wire.connection_id, edgeFromWire(wire, 0));
      }
      const load = action.counts ? { ...state.load, neighborsFetched: state.load.neighborsFetched + 1 } : state.load;
      if (!edges && load === state.load) return state;
      return { ...state, edges: edges ?? state.edges, load };
    }
    case 'loadDone': {
      if (action.generation !== state.load.generation) return state;
      return { ...state, load: { ...state.load, phase: 'ready' } };
    }
    case 'loadError': {
      if (action.generation !== state.load.generation) return state;
      return { ...state, load: { ...state.load, phase: 'error', error: action.message } };
    }
    case 'tokenUpserted': {
      const wire = action.token;
      const previous = state.tokens.get(wire.token_id);
      // The reply and the event of one change both arrive; count it once.
      if (previous && previous.version !== undefined && wire.version !== undefined && wire.version <= previous.version) {
        return state;
      }
      const tokens = new Map(state.tokens);
      tokens.set(wire.token_id, tokenFromWire(wire, previous, action.now, true));
      let next: MonitorState = { ...state, tokens, deletedTokens: setWithout(state.deletedTokens, wire.token_id) };
      if (action.live && action.eventType === 'token.created' && !previous) next.stats = adjustStats(state, 1, 0);
      if (action.live) {
        const created = action.eventType === 'token.created';
        const detail = created ? `${wire.type ?? 'default'} · w=${formatNumber(wire.weight ?? 1)}` : describeVersion(wire);
        next = withFeed(next, action.now, created ? 'created' : 'updated', action.eventType, `${shortId(wire.token_id)} · ${detail}`, [wire.token_id]);
      }
      return next;
    }
    case 'tokenFetched': {
      // token.get for the details panel: fills in what token.list does not carry (version, flags,
      // metadata, updated_at), unless an event already brought the same or a newer version.
      const wire = action.token;
      const previous = state.tokens.get(wire.token_id);
      if (!previous || state.deletedTokens.has(wire.token_id)) return state;
      if (previous.version !== undefined && (wire.version === undefined || wire.version <= previous.version)) return state;
      const tokens = new Map(state.tokens);
      tokens.set(wire.token_id, tokenFromWire(wire, previous, 0, false));
      return { ...state, tokens };
    }
    case 'tokenDeleted': {
      const known = state.tokens.has(action.tokenId);
      if (!known && state.deletedTokens.has(action.tokenId)) return state;
      const tokens = new Map(state.tokens);
      tokens.delete(action.tokenId);
      // Edges of a deleted token go too (graph-service sends their removals as events as well).
      let edges: ReadonlyMap<string, Edge> = state.edges;
      for (const edge of state.edges.values()) {
        if (edge.source === action.tokenId || edge.target === action.tokenId) {
          if (edges === state.edges) edges = new Map(state.edges);
          (edges as Map<string, Edge>).delete(edge.id);
        }
      }
      let next: MonitorState = { ...state, tokens, edges, deletedTokens: setWith(state.deletedTokens, action.tokenId) };
      if (action.live) next.stats = adjustStats(state, -1, 0);
      if (action.live) {
        next = withFeed(next, action.now, 'deleted', 'token.deleted', shortId(action.tokenId), [action.tokenId]);
      }
      return next;
    }
    case 'edgeAdded': {
      const wire = action.edge;
      if (state.edges.has(wire.connection_id) || state.removedEdges.has(wire.connection_id)) return state;
      const edges = new Map(state.edges);
      edges.set(wire.connection_id, edgeFromWire(wire, action.live ? action.now : 0));
      let next: MonitorState = { ...state, edges };
      if (action.live) next.stats = adjustStats(state, 0, 1);
      if (action.live) {
        const arrow = wire.bidirectional ? '↔' : '→';
        next = withFeed(
          next,
          action.now,
          'connected',
          'graph.connected',
          `${shortId(wire.source_id)} ${arrow} ${shortId(wire.target_id)} (${wire.type ?? 'generic'})`,
          [wire.source_id, wire.target_id],
        );
      }
      return next;
    }
    case 'edgeRemoved': {
      if (state.removedEdges.has(action.edgeId)) return state;
      const existing = state.edges.get(action.edgeId);
      const edges = new Map(state.edges);
      edges.delete(action.edgeId);
      let next: MonitorState = { ...state, edges, removedEdges: setWith(state.removedEdges, action.edgeId) };
      if (action.live) next.stats = adjustStats(state, 0, -1);
      if (action.live) {
        const source = action.sourceId ?? existing?.source;
        const target = action.targetId ?? existing?.target;
        const ends = source && target ? `${shortId(source)} ⇸ ${shortId(target)}` : shortId(action.edgeId);
        const reason = action.reason ? ` (${action.reason.replace('_', ' ')})` : '';
        next = withFeed(next, action.now, 'disconnected', 'graph.disconnected', ends + reason, [source, target].filter((id): id is string => !!id));
      }
      return next;
    }
    case 'stats':
      return { ...state, stats: action.stats };
    case 'note':
      return withFeed(state, action.now, action.feedKind, action.type, action.text, action.tokens ?? []);
  }
}

function describeVersion(wire: WireToken): string {
  const parts: string[] = [];
  if (wire.version !== undefined) parts.push(`v${wire.version}`);
  if (wire.weight !== undefined) parts.push(`w=${formatNumber(wire.weight)}`);
  return parts.join(' · ');
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? value.toFixed(1) : String(Math.round(value * 1000) / 1000);
}

/** Tokens in a stable order: oldest first (as `token.list` orders them), then by id. */
export function orderedTokens(tokens: ReadonlyMap<string, TokenRow>): TokenRow[] {
  return [...tokens.values()].sort((a, b) => {
    if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
