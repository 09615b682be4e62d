/**
 * Starts ONE real platform (embedded Kafka, PostgreSQL, Redis + token-service, graph-service, gateway)
 * for the whole integration run through the shared harness, and a tiny HTTP control endpoint on
 * 127.0.0.1 so tests (which run in worker processes) can kill and restart the gateway.
 *
 * The gateway runs in auth mode `jwt` with a fresh HS256 secret, so the tests also prove that the
 * client really sends its token (a client without one is refused).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
// @ts-expect-error -- plain JavaScript module without type declarations
import { startStack } from '../../../testing/stack.mjs';

export interface StackInfo {
  wsUrl: string;
  httpUrl: string;
  controlUrl: string;
  jwtSecret: string;
  logsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

interface Stack {
  wsUrl: string;
  httpUrl: string;
  logsDir: string;
  killGateway(): Promise<void>;
  startGateway(): Promise<void>;
  restartGateway(): Promise<void>;
  stop(): Promise<void>;
}

let stack: Stack | undefined;
let control: Server | undefined;

export default async function setup(project: TestProject) {
  const jwtSecret = randomBytes(36).toString('base64url');
  const started = Date.now();
  stack = (await startStack({
    gatewayEnv: {
      NEUROGRAPH_AUTH_MODE: 'jwt',
      NEUROGRAPH_AUTH_JWT_SECRET: jwtSecret,
    },
  })) as Stack;
  process.stderr.write(`[global-setup] stack up in ${Math.round((Date.now() - started) / 1000)} s: ${stack.wsUrl}\n`);

  // One command at a time so a restart never overlaps a kill.
  let chain: Promise<unknown> = Promise.resolve();
  control = createServer((req, res) => {
    const s = stack!;
    const actions: Record<string, () => Promise<void>> = {
      '/restart-gateway': () => s.restartGateway(),
      '/kill-gateway': () => s.killGateway(),
      '/start-gateway': () => s.startGateway(),
    };
    const action = req.method === 'POST' ? actions[req.url ?? ''] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    chain = chain.then(action).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      (error: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: error.message })),
    );
  });
  await new Promise<void>((resolve) => control!.listen(0, '127.0.0.1', resolve));
  const port = (control.address() as AddressInfo).port;

  project.provide('stack', {
    wsUrl: stack.wsUrl,
    httpUrl: stack.httpUrl,
    controlUrl: `http://127.0.0.1:${port}`,
    jwtSecret,
    logsDir: stack.logsDir,
  });

  return async () => {
    await new Promise<void>((resolve) => (control ? control.close(() => resolve()) : resolve()));
    await stack?.stop();
  };
}
