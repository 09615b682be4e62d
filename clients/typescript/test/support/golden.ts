import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GOLDEN_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../contracts/src/main/resources/io/neurograph/contracts/golden',
);

/** Every golden sample of one direction: file name without .json → parsed JSON. */
export function golden(direction: 'client' | 'server'): Map<string, any> {
  const dir = join(GOLDEN_DIR, direction);
  const out = new Map<string, any>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    out.set(file.slice(0, -'.json'.length), JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  return out;
}
