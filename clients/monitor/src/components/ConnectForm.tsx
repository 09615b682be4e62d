import { useEffect, useState, type FormEvent } from 'react';
import { shortId, type TokenRow } from '../state';
import { errorText } from './CreateTokenForm';

export interface ConnectFields {
  source: string;
  target: string;
  type: string;
  weight: number;
  bidirectional: boolean;
}

interface Props {
  tokens: TokenRow[];
  selected: string | null;
  disabled: boolean;
  onConnect: (fields: ConnectFields) => Promise<string>;
}

/** graph.connect between two known tokens; the source follows the selected node. */
export function ConnectForm({ tokens, selected, disabled, onConnect }: Props) {
  const [source, setSource] = useState('');
  const [target, setTarget] = useState('');
  const [type, setType] = useState('generic');
  const [weight, setWeight] = useState('1.0');
  const [bidirectional, setBidirectional] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; id?: string } | null>(null);

  useEffect(() => {
    if (selected) setSource(selected);
  }, [selected]);

  const known = new Set(tokens.map((t) => t.id));
  const sourceValue = known.has(source) ? source : '';
  const targetValue = known.has(target) ? target : '';
  const weightValue = Number(weight);
  const weightValid = weight.trim() !== '' && Number.isFinite(weightValue) && weightValue >= 0 && weightValue <= 1;
  const typeValid = type.trim().length >= 1 && type.trim().length <= 50;
  const valid = sourceValue !== '' && targetValue !== '' && sourceValue !== targetValue && weightValid && typeValid;
  const options = [...tokens].reverse();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setResult(null);
    try {
      const id = await onConnect({ source: sourceValue, target: targetValue, type: type.trim(), weight: weightValue, bidirectional });
      setResult({ ok: true, text: `Connected (${shortId(id)})`, id });
    } catch (error) {
      setResult({ ok: false, text: errorText(error) });
    } finally {
      setBusy(false);
    }
  }

  const option = (t: TokenRow) => (
    <option key={t.id} value={t.id}>
      {shortId(t.id)} · {t.type}
    </option>
  );

  return (
    <form className="compact" onSubmit={submit} data-testid="connect-form">
      <label>
        source
        <select name="source" value={sourceValue} onChange={(e) => setSource(e.target.value)}>
          <option value="">choose…</option>
          {options.map(option)}
        </select>
      </label>
      <label>
        target
        <select name="target" value={targetValue} onChange={(e) => setTarget(e.target.value)}>
          <option value="">choose…</option>
          {options.map(option)}
        </select>
      </label>
      <label>
        edge type
        <input type="text" name="edge-type" value={type} maxLength={50} className={typeValid ? '' : 'invalid'} onChange={(e) => setType(e.target.value)} />
      </label>
      <label>
        weight (0–1)
        <input
          type="number"
          name="edge-weight"
          value={weight}
          min={0}
          max={1}
          step={0.1}
          className={weightValid ? '' : 'invalid'}
          onChange={(e) => setWeight(e.target.value)}
        />
      </label>
      <label className="check wide">
        <input type="checkbox" name="bidirectional" checked={bidirectional} onChange={(e) => setBidirectional(e.target.checked)} />
        bidirectional
      </label>
      <div className="actions wide">
        <button type="submit" disabled={disabled || busy || !valid}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
        {result && (
          <span className={`form-result ${result.ok ? 'ok' : 'error'}`} data-testid="connect-result" data-connection-id={result.id} title={result.text}>
            {result.text}
          </span>
        )}
      </div>
    </form>
  );
}
