import { useState, type FormEvent } from 'react';
import { shortId } from '../state';

interface Props {
  disabled: boolean;
  onCreate: (fields: { type: string; weight: number }) => Promise<string>;
}

/** token.create: the new token shows up in the list and the graph through its event. */
export function CreateTokenForm({ disabled, onCreate }: Props) {
  const [type, setType] = useState('default');
  const [weight, setWeight] = useState('1.0');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; id?: string } | null>(null);

  const weightValue = Number(weight);
  const typeValid = type.trim().length >= 1 && type.trim().length <= 50;
  const weightValid = weight.trim() !== '' && Number.isFinite(weightValue) && weightValue >= 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!typeValid || !weightValid) return;
    setBusy(true);
    setResult(null);
    try {
      const id = await onCreate({ type: type.trim(), weight: weightValue });
      setResult({ ok: true, text: `Created ${shortId(id)}`, id });
    } catch (error) {
      setResult({ ok: false, text: errorText(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="compact" onSubmit={submit} data-testid="create-form">
      <label>
        type
        <input
          type="text"
          name="type"
          value={type}
          maxLength={50}
          className={typeValid ? '' : 'invalid'}
          onChange={(e) => setType(e.target.value)}
        />
      </label>
      <label>
        weight
        <input
          type="number"
          name="weight"
          value={weight}
          min={0}
          step={0.1}
          className={weightValid ? '' : 'invalid'}
          onChange={(e) => setWeight(e.target.value)}
        />
      </label>
      <div className="actions wide">
        <button type="submit" disabled={disabled || busy || !typeValid || !weightValid}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
        {result && (
          <span className={`form-result ${result.ok ? 'ok' : 'error'}`} data-testid="create-result" data-token-id={result.id} title={result.text}>
            {result.text}
          </span>
        )}
      </div>
    </form>
  );
}

export function errorText(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; details?: unknown };
    const details = Array.isArray(e.details)
      ? e.details.map((d: { field?: string; problem?: string }) => `${d.field}: ${d.problem}`).join('; ')
      : '';
    const code = typeof e.code === 'string' ? `${e.code}: ` : '';
    const message = typeof e.message === 'string' ? e.message : String(error);
    return `${code}${message}${details ? ` (${details})` : ''}`;
  }
  return String(error);
}
