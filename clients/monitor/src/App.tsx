import { useMemo } from 'react';
import { ConnectForm } from './components/ConnectForm';
import { CreateTokenForm } from './components/CreateTokenForm';
import { EventFeed } from './components/EventFeed';
import { GraphView } from './components/GraphView';
import { TokenDetails } from './components/TokenDetails';
import { TokenTable } from './components/TokenTable';
import { typeColors } from './layout';
import { orderedTokens, shortId, type MonitorState } from './state';
import { MAX_LISTED, useMonitor, type ConnectionView } from './useMonitor';

export function App() {
  const monitor = useMonitor();
  const { state, connection, selected, select, neighbors } = monitor;
  const now = Date.now();

  const tokens = useMemo(() => orderedTokens(state.tokens), [state.tokens]);
  const edges = useMemo(() => [...state.edges.values()], [state.edges]);
  const colors = useMemo(() => typeColors(tokens.map((t) => t.type)), [tokens]);
  const drawnEdges = edges.filter((e) => state.tokens.has(e.source) && state.tokens.has(e.target)).length;
  const neighborIds = useMemo(() => {
    const ids = new Set<string>();
    if (selected === null) return ids;
    if (neighbors && neighbors.tokenId === selected) {
      for (const n of neighbors.items) ids.add(n.sourceId === selected ? n.targetId : n.sourceId);
    }
    for (const e of edges) {
      if (e.source === selected) ids.add(e.target);
      if (e.target === selected) ids.add(e.source);
    }
    return ids;
  }, [selected, neighbors, edges]);

  const connected = connection.state === 'ready';
  const selectedToken = selected !== null ? state.tokens.get(selected) ?? null : null;

  return (
    <div className="app">
      <header className="topbar">
        <h1>
          NeuroGraph <span>Token Monitor</span>
        </h1>
        <ConnectionIndicator connection={connection} loading={state.load.phase === 'loading'} onRetry={monitor.reconnect} />
        <div className="counts" data-testid="counts">
          <span title="tokens shown / tokens on the platform (graph.stats)">
            tokens <b data-testid="count-tokens">{state.tokens.size}</b>
            {state.stats && <span className="of"> of {state.stats.totalNodes}</span>}
          </span>
          <span title="edges drawn / edges on the platform (graph.stats)">
            edges <b data-testid="count-edges">{drawnEdges}</b>
            {state.stats && <span className="of"> of {state.stats.totalEdges}</span>}
          </span>
        </div>
        <nav>
          <a href="/ws/stats">/ws/stats</a>
          <a href="/ws/connections">/ws/connections</a>
          <a href="/actuator/health">health</a>
        </nav>
      </header>

      <main className="main">
        <div className="column">
          <section className="panel">
            <h2>Create token</h2>
            <CreateTokenForm disabled={!connected} onCreate={monitor.createToken} />
          </section>
          <section className="panel">
            <h2>Connect tokens</h2>
            <ConnectForm tokens={tokens} selected={selected} disabled={!connected} onConnect={monitor.connectTokens} />
          </section>
          <section className="panel grow">
            <h2>
              Live events <span className="aside">all clients</span>
            </h2>
            <div className="scroll">
              <EventFeed items={state.feed} onSelect={select} />
            </div>
          </section>
        </div>

        <section className="panel graph-panel">
          <h2>
            Graph
            <span className="aside">{selected ? `selected ${shortId(selected)} — click it again or the background to clear` : 'click a token to see its neighbors'}</span>
          </h2>
          {connection.state !== 'ready' && state.load.phase !== 'idle' && (
            <div className="banner" data-testid="stale-banner">
              Not connected: this is the state last seen. Changes made meanwhile will be shown once the page is back.
            </div>
          )}
          {state.load.phase === 'error' && (
            <div className="banner error">
              Loading failed: {state.load.error}{' '}
              <button type="button" className="link" onClick={() => void monitor.reload()}>
                Try again
              </button>
            </div>
          )}
          <GraphView tokens={tokens} edges={edges} selected={selected} neighborIds={neighborIds} onSelect={select} now={now} colors={colors} />
          <div className="graph-note" data-testid="graph-note">
            {graphNote(state, edges.length - drawnEdges)}
          </div>
        </section>

        <div className="column">
          {selected !== null && (
            <section className="panel">
              <h2>
                Token <span className="aside mono">{shortId(selected)}</span>
                <button type="button" className="link" onClick={() => select(null)} aria-label="close">
                  ✕
                </button>
              </h2>
              <TokenDetails
                token={selectedToken}
                tokenId={selected}
                neighbors={neighbors && neighbors.tokenId === selected ? neighbors : null}
                disabled={!connected}
                onSelect={select}
                onUpdateWeight={monitor.updateWeight}
                onDelete={monitor.deleteToken}
                onDisconnect={monitor.disconnectEdge}
              />
            </section>
          )}
          <section className="panel grow">
            <h2>
              Tokens
              <span className="aside">
                {state.load.total !== null && state.load.total > MAX_LISTED ? `newest ${MAX_LISTED} of ${state.load.total} listed, newest first` : 'newest first'}
              </span>
            </h2>
            <div className="scroll">
              <TokenTable tokens={tokens} selected={selected} onSelect={select} now={now} colors={colors} />
            </div>
          </section>
        </div>
      </main>
    </div>
  );
}

function ConnectionIndicator({ connection, loading, onRetry }: { connection: ConnectionView; loading: boolean; onRetry: () => void }) {
  let dataState: 'open' | 'connecting' | 'closed';
  let text: string;
  switch (connection.state) {
    case 'ready':
      dataState = 'open';
      text = loading ? 'Connected · loading' : 'Connected · live';
      break;
    case 'connecting':
    case 'authenticating':
      dataState = 'connecting';
      text = 'Connecting…';
      break;
    case 'reconnecting':
      dataState = 'connecting';
      text = `Reconnecting${connection.reconnectAttempt > 1 ? ` (attempt ${connection.reconnectAttempt})` : ''}…`;
      break;
    default:
      dataState = 'closed';
      text = 'Offline';
  }
  const title = [
    `client_id ${connection.clientId}`,
    connection.connectionId ? `connection ${connection.connectionId}` : null,
    connection.lastError ? `last close: ${connection.lastError}` : null,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div className="status" data-testid="connection-status" data-state={dataState} title={title} role="status">
      <span className="dot" />
      <span>{text}</span>
      {connection.connectionId && dataState === 'open' && <span className="conn-id mono">{connection.connectionId.slice(0, 8)}</span>}
      {connection.state === 'closed' && (
        <button type="button" className="secondary" style={{ height: 22 }} onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Says exactly what the graph shows: the protocol has no "list all edges". */
function graphNote(state: MonitorState, hiddenEdges: number): string {
  const { load } = state;
  if (load.phase === 'idle') return 'Waiting for the connection…';
  if (load.phase === 'loading') {
    if (load.neighborsPlanned > 0) return `Loading edges: outgoing edges of ${load.neighborsFetched} of ${load.neighborsPlanned} tokens read…`;
    return `Loading tokens: ${load.listed}${load.total !== null ? ` of ${Math.min(load.total, MAX_LISTED)}` : ''} listed…`;
  }
  const parts: string[] = [];
  const allTokens = load.total === null || load.total <= MAX_LISTED;
  const tokensPart = allTokens ? `all ${load.listed} token${load.listed === 1 ? '' : 's'}` : `the newest ${load.listed} of ${load.total} tokens`;
  if (load.listed === 0) {
    parts.push('The platform had no tokens when the page loaded');
  } else if (load.neighborsPlanned >= load.listed) {
    parts.push(`Loaded at start: ${tokensPart} and every edge between them`);
  } else {
    const rest = load.listed - load.neighborsPlanned;
    parts.push(
      `Loaded at start: ${tokensPart}, and the edges leaving the newest ${load.neighborsPlanned} (edges leaving the other ${rest} show once a token is clicked)`,
    );
  }
  parts.push('every change since then, by any client, appears live');
  if (hiddenEdges > 0) parts.push(`${hiddenEdges} known edge${hiddenEdges === 1 ? '' : 's'} to tokens not shown ${hiddenEdges === 1 ? 'is' : 'are'} not drawn`);
  return `${parts.join('; ')}.`;
}
