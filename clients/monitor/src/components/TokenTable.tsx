import { formatNumber, shortId, type TokenRow } from '../state';

interface Props {
  tokens: TokenRow[];
  selected: string | null;
  onSelect: (tokenId: string) => void;
  now: number;
  colors: ReadonlyMap<string, string>;
}

const FRESH_MS = 2000;

/** Newest first: a token that appears is at the top, where it is seen. */
export function TokenTable({ tokens, selected, onSelect, now, colors }: Props) {
  if (tokens.length === 0) return <div className="empty">No tokens on the platform (yet).</div>;
  const rows = [...tokens].reverse();
  return (
    <table className="tokens" data-testid="token-list">
      <colgroup>
        <col style={{ width: '84px' }} />
        <col />
        <col style={{ width: '64px' }} />
        <col style={{ width: '78px' }} />
      </colgroup>
      <thead>
        <tr>
          <th>token</th>
          <th>type</th>
          <th className="num">weight</th>
          <th className="num">created</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((token) => {
          const fresh = token.changedAt > 0 && now - token.changedAt < FRESH_MS;
          return (
            <tr
              // A new key per change restarts the highlight animation.
              key={`${token.id}:${token.changes}`}
              data-token-id={token.id}
              data-version={token.version ?? ''}
              className={`row${token.id === selected ? ' selected' : ''}${fresh ? ' fresh' : ''}`}
              onClick={() => onSelect(token.id)}
              title={token.id}
            >
              <td className="mono">{shortId(token.id)}</td>
              <td>
                <span className="swatch" style={{ background: colors.get(token.type) }} />
                {token.type}
              </td>
              <td className="num" data-field="weight">{formatNumber(token.weight)}</td>
              <td className="num">{formatTime(token.createdAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "14:03:07" for today, "Nov 25" before. */
export function formatTime(iso: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date();
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
