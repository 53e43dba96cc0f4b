/**
 * The fan-out benchmark's baseline: a bare `ws` server that, when asked over HTTP
 * (POST /broadcast with a graphql-ws `next` message as the body), stamps the moment into
 * the payload and sends it to every connected socket. Run as a process of its own by
 * bench/fanout.ts.
 *
 *   PORT=4100 tsx bench/raw-broadcast.ts
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const message = Buffer.concat(chunks).toString().replace('"__AT__"', JSON.stringify(new Date().toISOString()));
    for (const socket of wss.clients) socket.send(message);
    response.writeHead(204).end();
  });
});
const wss = new WebSocketServer({ server, path: '/graphql' });
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate();
  server.close(() => process.exit(0));
});
