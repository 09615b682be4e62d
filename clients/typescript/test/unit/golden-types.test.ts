/**
 * The TypeScript types of the protocol against the golden samples of the contracts module: every sample,
 * written as an object literal of its type, must compile (no unknown field, no missing required one, no
 * wrong type), and the type lists must name exactly the sample types.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isServerEnvelope, REQUEST_TYPES, SERVER_MESSAGE_TYPES } from '../../src/index.js';
import { golden } from '../support/golden.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const client = golden('client');
const server = golden('server');

/** Type-checks `source` as a module next to src/; returns the error messages. */
function typeErrors(source: string): string[] {
  const file = join(ROOT, 'test', '__golden_check__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => (resolve(name) === file ? source : read(name));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === file || exists(name);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    resolve(name) === file ? ts.createSourceFile(name, source, lang) : getSource(name, lang, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file && resolve(d.file.fileName) === file ? `line ${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

function checkSource(samples: { name: string; typeExpr: string; value: unknown }[]): string {
  const lines = [
    "import type { ServerMessage, ClientEnvelope, RequestPayload } from '../src/protocol.js';",
  ];
  samples.forEach((s, i) => lines.push(`// ${s.name}\nexport const s${i}: ${s.typeExpr} = ${JSON.stringify(s.value)};`));
  return lines.join('\n');
}

describe('protocol types match the golden samples', () => {
  it('names exactly the message types of the samples', () => {
    expect([...client.keys()].sort()).toEqual([...REQUEST_TYPES].sort());
    expect([...server.keys()].sort()).toEqual([...SERVER_MESSAGE_TYPES].sort());
    for (const [name, sample] of server) {
      expect(sample.type).toBe(name);
      expect(isServerEnvelope(sample)).toBe(true);
    }
    for (const [name, sample] of client) expect(sample.type).toBe(name);
  });

  it('every sample type-checks as its TypeScript type', () => {
    const samples = [
      ...[...server].map(([name, value]) => ({ name: `server ${name}`, typeExpr: `ServerMessage<'${name}'>`, value })),
      ...[...client].map(([name, value]) => ({
        name: `client ${name}`,
        typeExpr: `ClientEnvelope<'${name}', RequestPayload<'${name}'>>`,
        value,
      })),
    ];
    expect(typeErrors(checkSource(samples))).toEqual([]);
  });

  it('the check catches an unknown field, a missing field and a wrong type (it can fail)', () => {
    const created = structuredClone(server.get('token.created'));
    created.payload.colour = 'red';
    const data = structuredClone(server.get('token.data'));
    delete data.payload.coordinates;
    const create = structuredClone(client.get('token.create'));
    create.payload.weight = 'heavy';
    const errors = typeErrors(
      checkSource([
        { name: 'extra', typeExpr: "ServerMessage<'token.created'>", value: created },
        { name: 'missing', typeExpr: "ServerMessage<'token.data'>", value: data },
        { name: 'wrong', typeExpr: "ClientEnvelope<'token.create', RequestPayload<'token.create'>>", value: create },
      ]),
    );
    expect(errors).toHaveLength(3);
    expect(errors.join('\n')).toMatch(/colour/);
    expect(errors.join('\n')).toMatch(/coordinates/);
    expect(errors.join('\n')).toMatch(/weight|string/);
  });
});
