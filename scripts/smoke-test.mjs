// Starts the server with the given command, waits until /readyz answers, checks that
// GraphQL answers (and, with --demo, that the demo network is there), then sends
// SIGTERM and expects a clean exit. Used by .ci/run for `npm start` and the build.
//   node scripts/smoke-test.mjs [--demo] -- <command> [args...]
// The whole process group gets the signal, as under a process manager; npm re-raises
// it, so behind `npm start` a graceful stop shows up as SIGTERM rather than exit code 0.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const demo = args.includes('--demo');
const command = args.slice(args.indexOf('--') + 1);
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;

const child = spawn(command[0], command.slice(1), {
  env: { ...process.env, PORT: String(port) },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

async function waitUntilReady(deadline) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become ready in time');
}

async function waitUntilGone(deadline) {
  while (Date.now() < deadline) {
    try {
      await fetch(`${base}/healthz`);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server still answers after SIGTERM');
}

try {
  await waitUntilReady(Date.now() + 120_000);
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ network(slug: "riverside-repair") { name members(first: 10) { totalCount } rules { kind } } }' }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  const network = body.data.network;
  if (demo && !(network?.members.totalCount >= 5 && network.rules.length >= 2)) {
    throw new Error(`demo network missing or incomplete: ${JSON.stringify(body)}`);
  }
  // The example portal is served at `/`.
  const portal = await fetch(`${base}/`);
  const html = await portal.text();
  if (!portal.ok || !html.includes('<title>Tiebridge portal</title>')) throw new Error(`the portal is not served at /: ${portal.status}`);
  process.kill(-child.pid, 'SIGTERM');
  const { code, signal } = await exited;
  const viaNpm = command[0] === 'npm';
  if (code !== 0 && !(viaNpm && signal === 'SIGTERM')) throw new Error(`server exited with ${code ?? signal} after SIGTERM`);
  await waitUntilGone(Date.now() + 15_000);
  console.log(`smoke test passed: ${command.join(' ')}`);
} catch (error) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
  console.error(`smoke test failed: ${error.message}`);
  process.exit(1);
}
