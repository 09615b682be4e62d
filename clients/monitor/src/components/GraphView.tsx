import { useEffect, useMemo, useRef, useState } from 'react';
import { edgePath, ringLayout } from '../layout';
import { shortId, type Edge, type TokenRow } from '../state';

interface Props {
  tokens: TokenRow[];
  edges: Edge[];
  selected: string | null;
  neighborIds: ReadonlySet<string>;
  onSelect: (tokenId: string | null) => void;
  now: number;
  colors: ReadonlyMap<string, string>;
}

const FRESH_MS = 2000;

/** Tokens as circles on rings, edges as lines (arrow = direction, none when bidirectional). */
export function GraphView({ tokens, edges, selected, neighborIds, onSelect, now, colors }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 640, height: 480 });

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      if (width > 0 && height > 0) setSize({ width: Math.round(width), height: Math.round(height) });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const ids = useMemo(() => tokens.map((t) => t.id), [tokens]);
  const layout = useMemo(() => ringLayout(ids, size.width, size.height), [ids, size.width, size.height]);
  const types = useMemo(() => [...new Set(tokens.map((t) => t.type))].sort(), [tokens]);

  const r = layout.nodeRadius;
  const drawn = edges.filter((e) => layout.positions.has(e.source) && layout.positions.has(e.target));
  // Edges with the same direction between the same two tokens get separate lanes.
  const lanes = new Map<string, number>();
  const perPair = new Map<string, number>();
  for (const e of drawn) {
    const pair = `${e.source}>${e.target}`;
    const lane = perPair.get(pair) ?? 0;
    perPair.set(pair, lane + 1);
    lanes.set(e.id, lane);
  }

  return (
    <div className="graph-box" ref={box}>
      <svg
        viewBox={`0 0 ${size.width} ${size.height}`}
        data-testid="graph"
        role="img"
        aria-label={`Graph of ${tokens.length} tokens and ${drawn.length} edges`}
        onClick={(event) => {
          if (event.target === event.currentTarget) onSelect(null);
        }}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="#9aa5b8" />
          </marker>
          <marker id="arrow-hot" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="#2f6fdf" />
          </marker>
        </defs>
        <g>
          {drawn.map((edge) => {
            const a = layout.positions.get(edge.source)!;
            const b = layout.positions.get(edge.target)!;
            const geometry = edgePath(a, b, r, lanes.get(edge.id) ?? 0);
            const hot = selected !== null && (edge.source === selected || edge.target === selected);
            const dim = selected !== null && !hot;
            const marker = hot ? 'url(#arrow-hot)' : 'url(#arrow)';
            return (
              <path
                key={edge.id}
                data-edge-id={edge.id}
                className={`edge${hot ? ' hot' : ''}${dim ? ' dim' : ''}${edge.addedAt > 0 && now - edge.addedAt < FRESH_MS ? ' fresh' : ''}`}
                d={geometry.d}
                markerEnd={marker}
                markerStart={edge.bidirectional ? marker : undefined}
              >
                <title>{`${edge.type}: ${shortId(edge.source)} ${edge.bidirectional ? '↔' : '→'} ${shortId(edge.target)}, weight ${edge.weight}`}</title>
              </path>
            );
          })}
        </g>
        <g>
          {tokens.map((token) => {
            const p = layout.positions.get(token.id);
            if (!p) return null;
            const isSelected = token.id === selected;
            const isNeighbor = neighborIds.has(token.id);
            const dim = selected !== null && !isSelected && !isNeighbor;
            const fresh = token.changedAt > 0 && now - token.changedAt < FRESH_MS;
            const color = colors.get(token.type) ?? '#888';
            const showLabel = layout.labels || isSelected || isNeighbor;
            return (
              <g
                key={token.id}
                data-node-id={token.id}
                className={`node${isSelected ? ' selected' : ''}${isNeighbor ? ' neighbor' : ''}${dim ? ' dim' : ''}`}
                transform={`translate(${p.x} ${p.y})`}
                onClick={(event) => {
                  event.stopPropagation();
                  onSelect(isSelected ? null : token.id);
                }}
              >
                <title>{`${token.id}\ntype ${token.type}, weight ${token.weight}${token.version ? `, v${token.version}` : ''}`}</title>
                {fresh && <circle key={`pulse-${token.changes}`} className="pulse" r={r} stroke={color} />}
                <circle r={isSelected ? r + 2 : r} fill={color} />
                {showLabel && <text y={r + 12}>{shortId(token.id)}</text>}
              </g>
            );
          })}
        </g>
      </svg>
      {tokens.length === 0 && <div className="graph-empty">No tokens yet — create one on the left.</div>}
      {types.length > 0 && (
        <div className="legend" aria-hidden="true">
          {types.map((type) => (
            <span key={type}>
              <i style={{ background: colors.get(type) }} />
              {type}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
