// The platform the client tests run against: an embedded Kafka broker, PostgreSQL and Redis
// (devstack --infra-only) plus token-service, graph-service and the gateway as child JVMs, all on
// free ports. The tests own the gateway process, so they can kill it and start it again.
//
// As a module:   const stack = await startStack(); ... await stack.restartGateway(); await stack.stop();
// As a program:  node clients/testing/stack.mjs
//                prints {"ws_url": ..., "http_url": ...} on stdout when ready; reads commands on stdin
//                (restart-gateway, kill-gateway, start-gateway; each answered with {"ok": true});
//                stops everything on stdin EOF, SIGINT or SIGTERM.
//
// It needs the jars of a build: ./mvnw -B -DskipTests install (or verify) in the checkout.

import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const JAR = {
  devstack: join(ROOT, 'devstack', 'target', 'neurograph-devstack.jar'),
  'token-service': join(ROOT, 'token-service', 'target', 'token-service.jar'),
  'graph-service': join(ROOT, 'graph-service', 'target', 'graph-service.jar'),
  gateway: join(ROOT, 'gateway', 'target', 'gateway.jar'),
};
const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const INFRA_TIMEOUT_MS = 180_000;
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

function log(message) {
  process.stderr.write(`[stack] ${message}\n`);
}

function canListen(port) {
  return new Promise((done) => {
    const server = createServer();
    server.unref();
    server.once('error', () => done(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => done(true)));
  });
}

/**
 * A TCP port nobody listens on right now, below Linux's ephemeral range (32768-60999): a port from
 * that range can be taken by one of the many outgoing connections the platform opens while it starts,
 * before the server meant to listen on it binds.
 */
async function freePort() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child, timeoutMs) {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

// Children run in their own process group (detached), so a signal reaches the JVM and whatever it
// started, and a Ctrl-C meant for the test runner doesn't reach them before the orderly stop.
function signalGroup(child, signal) {
  if (exited(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function stopChild(child, name) {
  if (!child || exited(child)) return;
  signalGroup(child, 'SIGTERM');
  if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
    log(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
    signalGroup(child, 'SIGKILL');
    await waitForExit(child, STOP_TIMEOUT_MS);
  }
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function ready(port, child, name, logFile) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const url = `http://127.0.0.1:${port}/actuator/health/readiness`;
  while (Date.now() < deadline) {
    if (exited(child)) {
      throw new Error(`${name} exited before it was ready; last lines of ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not ready on port ${port} within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
}

function startInfra(logsDir, kafkaPort, devstackJar) {
  return new Promise((resolveInfra, reject) => {
    const child = spawn(
      JAVA,
      ['-Xmx512m', '-jar', devstackJar, '--infra-only', '--kafka-port', String(kafkaPort), '--logs-dir', logsDir],
      { cwd: logsDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const devstackLog = createWriteStream(join(logsDir, 'devstack.log'));
    child.stderr.pipe(devstackLog);
    const env = {};
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGTERM');
      reject(new Error(`devstack --infra-only not up within ${INFRA_TIMEOUT_MS / 1000} s; see ${logsDir}/devstack.log`));
    }, INFRA_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      devstackLog.write(`${line}\n`);
      const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
      if (match) env[match[1]] = match[2];
      if (line.startsWith('# Ctrl-C')) {
        clearTimeout(timer);
        resolveInfra({ child, env });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`devstack --infra-only exited (${code ?? signal}); see ${logsDir}/devstack.log:\n${tail(join(logsDir, 'devstack.log'))}`));
    });
  });
}

/**
 * Starts the platform. Options: gatewayEnv (extra environment for the gateway, e.g. auth settings),
 * logsDir (default: a new temporary directory).
 */
export async function startStack(options = {}) {
  for (const [name, jar] of Object.entries(JAR)) {
    if (!existsSync(jar)) {
      throw new Error(`${name} jar missing at ${jar}: run ./mvnw -B -DskipTests install in ${ROOT} first`);
    }
  }
  const logsDir = options.logsDir ?? mkdtempSync(join(tmpdir(), 'neurograph-client-tests-'));
  const started = Date.now();
  // Run copies: a build that rewrites a jar in place while a JVM runs from it breaks that JVM
  // (NoClassDefFoundError), and tests may run while someone rebuilds.
  const jarsDir = join(logsDir, 'jars');
  mkdirSync(jarsDir, { recursive: true });
  const jar = {};
  for (const [name, source] of Object.entries(JAR)) {
    jar[name] = join(jarsDir, `${name}.jar`);
    copyFileSync(source, jar[name]);
  }
  let infra;
  try {
    infra = await startInfra(logsDir, await freePort(), jar.devstack);
  } catch (error) {
    rmSync(jarsDir, { recursive: true, force: true });
    throw error;
  }
  const services = new Map();
  const ports = {
    'token-service': await freePort(),
    'graph-service': await freePort(),
    gateway: await freePort(),
  };
  const instanceId = `client-tests-${process.pid}`;

  async function startService(name) {
    const logFile = join(logsDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    const env = { ...process.env, ...infra.env, SERVER_PORT: String(ports[name]) };
    if (name === 'gateway') {
      env.NEUROGRAPH_GATEWAY_INSTANCE_ID = instanceId;
      Object.assign(env, options.gatewayEnv ?? {});
    }
    const child = spawn(JAVA, ['-Xmx384m', '-jar', jar[name]], {
      cwd: logsDir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    services.set(name, child);
    await ready(ports[name], child, name, logFile);
  }

  let stopping = null;
  async function stop() {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      for (const name of ['gateway', 'graph-service', 'token-service']) {
        await stopChild(services.get(name), name);
      }
      await stopChild(infra.child, 'devstack');
      // The logs stay for whoever looks into a failure; the jar copies are only big.
      rmSync(jarsDir, { recursive: true, force: true });
    })();
    return stopping;
  }
  // A test runner that dies without calling stop() must not leave JVMs, PostgreSQL and Redis behind;
  // SIGTERM lets devstack stop the servers it started.
  function killOnExit() {
    for (const child of services.values()) signalGroup(child, 'SIGKILL');
    signalGroup(infra.child, 'SIGTERM');
  }
  process.on('exit', killOnExit);

  try {
    await startService('token-service');
    await startService('graph-service');
    await startService('gateway');
  } catch (error) {
    await stop();
    throw error;
  }
  log(`platform up in ${Math.round((Date.now() - started) / 1000)} s; logs in ${logsDir}`);

  const gatewayPort = ports.gateway;
  return {
    wsUrl: `ws://127.0.0.1:${gatewayPort}/ws`,
    httpUrl: `http://127.0.0.1:${gatewayPort}`,
    gatewayPort,
    logsDir,
    /** kill -9 the gateway: its clients see the connection drop without a close frame. */
    async killGateway() {
      const child = services.get('gateway');
      signalGroup(child, 'SIGKILL');
      await waitForExit(child, STOP_TIMEOUT_MS);
    },
    /** Starts the gateway again on the same port and instance id; resolves when it is ready. */
    async startGateway() {
      await startService('gateway');
    },
    async restartGateway() {
      await this.killGateway();
      await this.startGateway();
    },
    stop,
  };
}

async function main() {
  let stack;
  try {
    stack = await startStack();
  } catch (error) {
    log(error.message);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ ws_url: stack.wsUrl, http_url: stack.httpUrl, logs_dir: stack.logsDir })}\n`);
  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  const commands = { 'restart-gateway': () => stack.restartGateway(), 'kill-gateway': () => stack.killGateway(), 'start-gateway': () => stack.startGateway() };
  const input = createInterface({ input: process.stdin });
  // One command at a time, in order, so a restart never overlaps a kill.
  let queue = Promise.resolve();
  input.on('line', (line) => {
    const command = line.trim();
    if (!command) return;
    queue = queue.then(async () => {
      const run = commands[command];
      if (!run) {
        process.stdout.write(`${JSON.stringify({ ok: false, error: `unknown command: ${command}` })}\n`);
        return;
      }
      try {
        await run();
        process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
      } catch (error) {
        process.stdout.write(`${JSON.stringify({ ok: false, error: error.message })}\n`);
      }
    });
  });
  input.on('close', () => queue.then(shutdown));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
