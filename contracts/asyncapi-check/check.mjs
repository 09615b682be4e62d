// Parses an AsyncAPI document (file path or http(s) URL) with the official parser and exits non-zero on
// any error-level diagnostic. Usage: node check.mjs <file-or-url>
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const source = process.argv[2];
if (!source) {
  console.error('usage: node check.mjs <file-or-url>');
  process.exit(2);
}

async function load(location) {
  if (/^https?:\/\//.test(location)) {
    const response = await fetch(location);
    if (!response.ok) {
      throw new Error(`GET ${location}: HTTP ${response.status}`);
    }
    return response.text();
  }
  return readFile(location, 'utf8');
}

const text = await load(source);
const { document, diagnostics } = await new Parser().parse(text, { source });
const names = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info', [DiagnosticSeverity.Hint]: 'hint' };
for (const d of diagnostics) {
  console.log(`${names[d.severity] ?? d.severity} ${d.code} at ${d.path.join('.')}: ${d.message}`);
}
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
if (errors.length > 0 || !document) {
  console.error(`${source}: INVALID (${errors.length} errors)`);
  process.exit(1);
}
console.log(`${source}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, `
  + `${document.operations().length} operations, ${document.messages().length} messages `
  + `(${diagnostics.length - errors.length} non-error diagnostics)`);
