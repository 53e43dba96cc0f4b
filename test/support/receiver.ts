import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: Record<string, string | string[] | undefined>; body: string; json: { id: string; type: string; sequence: number } & Record<string, unknown> };

/** A local webhook receiver: answers with `status` (changeable), records what arrives. */
export async function webhookReceiver(options: { delayMs?: number } = {}) {
  const received: Received[] = [];
  let status = 200;
  let delayMs = options.delayMs ?? 0;
  let arrived = 0;
  const server: Server = createServer((req, res) => {
    arrived += 1;
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (status >= 200 && status < 300) received.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Requests that arrived, answered or not. */
    arrived: () => arrived,
    /** Answer with this status from now on (503: an outage). */
    answer: (code: number) => void (status = code),
    setDelay: (ms: number) => void (delayMs = ms),
    /** Waits until `predicate` holds for what has arrived, or fails after `timeoutMs`. */
    async waitFor(predicate: (received: Received[]) => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in ${timeoutMs} ms (${received.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
