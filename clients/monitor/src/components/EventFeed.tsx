import type { FeedItem } from '../state';

interface Props {
  items: readonly FeedItem[];
  onSelect: (tokenId: string) => void;
}

export function EventFeed({ items, onSelect }: Props) {
  if (items.length === 0) {
    return <div className="empty">Events from every client appear here as they happen.</div>;
  }
  return (
    <ul className="feed" data-testid="event-feed">
      {items.map((item) => (
        <li
          key={item.seq}
          data-kind={item.kind}
          data-type={item.type}
          data-tokens={item.tokens.join(' ')}
          onClick={() => item.tokens[0] && onSelect(item.tokens[0])}
          style={{ cursor: item.tokens.length ? 'pointer' : 'default' }}
        >
          <span className="time mono">
            {new Date(item.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })}
          </span>
          <span className="type">{item.type}</span>
          <span className="text mono" title={item.text}>{item.text}</span>
        </li>
      ))}
    </ul>
  );
}
