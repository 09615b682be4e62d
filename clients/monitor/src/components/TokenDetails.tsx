import { useEffect, useState, type FormEvent } from 'react';
import { formatNumber, shortId, type TokenRow } from '../state';
import { errorText } from './CreateTokenForm';
import { formatTime } from './TokenTable';

export interface NeighborEntry {
  connectionId: string;
  sourceId: string;
  targetId: string;
  type: string;
  weight: number;
}

export interface NeighborsView {
  tokenId: string;
  status: 'loading' | 'ready' | 'error';
  items: NeighborEntry[];
  total: number | null;
  error?: string;
}

interface Props {
  token: TokenRow | null;
  tokenId: string;
  neighbors: NeighborsView | null;
  disabled: boolean;
  onSelect: (tokenId: string | null) => void;
  onUpdateWeight: (tokenId: string, weight: number) => Promise<void>;
  onDelete: (tokenId: string) => Promise<void>;
  onDisconnect: (connectionId: string) => Promise<void>;
}

/** The selected token: its fields, its neighbors (graph.neighbors, refreshed by graph events), actions. */
export function TokenDetails({ token, tokenId, neighbors, disabled, onSelect, onUpdateWeight, onDelete, onDisconnect }: Props) {
  const [weight, setWeight] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setWeight(token ? String(token.weight) : '');
    setResult(null);
    // Only when another token is selected, not on every update of this one.
  }, [tokenId]);

  async function run(action: () => Promise<void>, done: string) {
    setBusy(true);
    setResult(null);
    try {
      await action();
      setResult({ ok: true, text: done });
    } catch (error) {
      setResult({ ok: false, text: errorText(error) });
    } finally {
      setBusy(false);
    }
  }

  const weightValue = Number(weight);
  const weightValid = weight.trim() !== '' && Number.isFinite(weightValue) && weightValue >= 0;

  function submitWeight(event: FormEvent) {
    event.preventDefault();
    if (weightValid) void run(() => onUpdateWeight(tokenId, weightValue), 'Updated');
  }

  return (
    <div className="details" data-testid="details" data-token-id={tokenId}>
      {token ? (
        <dl>
          <dt>token</dt>
          <dd className="mono" title={token.id}>{token.id}</dd>
          <dt>type</dt>
          <dd>{token.type}</dd>
          <dt>weight</dt>
          <dd data-testid="details-weight">{formatNumber(token.weight)}</dd>
          <dt>version</dt>
          <dd>{token.version ?? '—'}</dd>
          <dt>created</dt>
          <dd>{formatTime(token.createdAt)}</dd>
          {token.updatedAt && token.updatedAt !== token.createdAt && (
            <>
              <dt>updated</dt>
              <dd>{formatTime(token.updatedAt)}</dd>
            </>
          )}
          {token.metadata && Object.keys(token.metadata).length > 0 && (
            <>
              <dt>metadata</dt>
              <dd className="mono" title={JSON.stringify(token.metadata, null, 2)}>{JSON.stringify(token.metadata)}</dd>
            </>
          )}
        </dl>
      ) : (
        <div className="empty" style={{ padding: 0 }}>
          Token <span className="mono">{shortId(tokenId)}</span> is not in the list (deleted, or beyond the tokens loaded).
        </div>
      )}
      {token && (
        <div className="actions">
          <form className="inline-form" onSubmit={submitWeight}>
            <input
              type="number"
              name="new-weight"
              aria-label="new weight"
              value={weight}
              min={0}
              step={0.1}
              className={weightValid ? '' : 'invalid'}
              onChange={(e) => setWeight(e.target.value)}
            />
            <button type="submit" className="secondary" disabled={disabled || busy || !weightValid}>
              Set weight
            </button>
          </form>
          <button type="button" className="danger" disabled={disabled || busy} onClick={() => void run(() => onDelete(tokenId), 'Deleted')}>
            Delete
          </button>
        </div>
      )}
      {result && <div className={`form-result ${result.ok ? 'ok' : 'error'}`} title={result.text}>{result.text}</div>}
      <div className="subhead">
        Neighbors
        <span className="aside" data-testid="neighbors-count">
          {neighbors?.status === 'ready'
            ? `${neighbors.items.length}${neighbors.total !== null && neighbors.total > neighbors.items.length ? ` of ${neighbors.total}` : ''}`
            : neighbors?.status === 'loading'
              ? 'loading…'
              : ''}
        </span>
      </div>
      {neighbors?.status === 'error' && <div className="form-result error">{neighbors.error}</div>}
      {neighbors?.status === 'ready' && neighbors.items.length === 0 && <div className="empty" style={{ padding: 0 }}>No edges.</div>}
      {neighbors && neighbors.items.length > 0 && (
        <ul className="neighbors" data-testid="neighbors">
          {neighbors.items.map((n) => {
            const outgoing = n.sourceId === tokenId;
            const other = outgoing ? n.targetId : n.sourceId;
            return (
              <li key={n.connectionId} data-neighbor-id={other} data-connection-id={n.connectionId}>
                <span className="dir" title={outgoing ? 'outgoing' : 'incoming'}>{outgoing ? '→' : '←'}</span>
                <button type="button" className="link mono" onClick={() => onSelect(other)} title={other}>
                  {shortId(other)}
                </button>
                <span className="meta">
                  {n.type} · {formatNumber(n.weight)}
                </span>
                <button
                  type="button"
                  className="link"
                  title="graph.disconnect"
                  disabled={disabled}
                  onClick={() => void run(() => onDisconnect(n.connectionId), 'Disconnected')}
                >
                  ✕
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
