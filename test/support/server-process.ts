import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { print } from 'graphql';

/** A port nothing listens on now, as the system hands them out: a port picked at random
 * can be one of the system's own client ports in use (a benchmark holds thousands). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `npm start`'s entry point in a process of its own, as a test's stand-in for a deployed instance. */
export type ServerProcess = {
  child: ChildProcess;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** Ends the process (and its children) with `signal` and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/** Starts the server with `env` over the test's environment and waits until it is ready.
 * It trusts a proxy's X-Forwarded-For, so that `callServer` can give each request an
 * address of its own and per-address limits bite only where a test means them to. */
export async function startServerProcess(env: Record<string, string>, options: { logLevel?: string } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/main.ts'], {
    env: {
      ...process.env,
      SEED_DEMO_DATA: 'false',
      TRUST_PROXY: 'true',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel ?? 'error',
      VITEST: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(-child.pid!, signal);
    });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, url: `${base}/graphql`, stop };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop('SIGKILL');
  throw new Error('server process did not become ready');
}

export const randomAddress = () =>
  `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

/** POSTs an operation to a server process; throws on GraphQL errors. */
export async function callServer<T>(url: string, document: Parameters<typeof print>[0], variables: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': randomAddress(),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
