import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { App } from '../app.js';
import { bearerToken } from '../graphql/context.js';
import { GRAPHQL_PATH } from '../graphql/yoga.js';
import { log } from '../log.js';
import { CRM_PATH, crmExport } from './crm.js';

export type RunningServer = {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes sockets, then the app. */
  close(): Promise<void>;
};

/** How long in-flight requests may take to finish once shutdown starts. */
const DRAIN_TIMEOUT_MS = 10_000;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * One port, one path: queries and mutations over HTTP, subscriptions over SSE (Yoga)
 * and graphql-ws (WebSocket upgrade of the same path), plus /healthz and /readyz.
 */
export async function startServer(app: App, options: { port: number; host: string }): Promise<RunningServer> {
  let draining = false;
  // Server-sent event streams never finish on their own: shutdown ends them.
  const eventStreams = new Set<ServerResponse>();

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      if (draining) return json(res, 503, { status: 'draining' });
      try {
        await app.database.ping();
        return json(res, 200, { status: 'ready', database: app.database.kind });
      } catch (error) {
        log.warn({ err: error }, 'readiness check failed');
        return json(res, 503, { status: 'unavailable', database: app.database.kind });
      }
    }
    const crm = CRM_PATH.exec(path ?? '');
    if (crm && req.method === 'GET') return crmExport(app, req, res, crm[1]!, crm[2] as 'csv' | 'json');
    if (path === '/') {
      res.writeHead(302, { location: GRAPHQL_PATH });
      return res.end();
    }
    if (req.headers.accept?.includes('text/event-stream')) {
      eventStreams.add(res);
      res.once('close', () => eventStreams.delete(res));
    }
    return app.yoga(req, res);
  });

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH });
  type Rooted = ExecutionArgs & { rootValue: { execute: typeof import('graphql').execute; subscribe: typeof import('graphql').subscribe } };
  useServer(
    {
      // Refuse a socket whose token is bad at once (4403) rather than on its first operation.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        if (authorization === undefined || authorization === null) return true;
        const token = bearerToken(authorization);
        return token !== null && (await app.services.accounts.authenticate(token)).viewer !== null;
      },
      // Operations run through Yoga's envelop: same plugins, limits, context and errors as HTTP.
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = app.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
      execute: (args) => (args as Rooted).rootValue.execute(args),
      subscribe: (args) => (args as Rooted).rootValue.subscribe(args),
    },
    wss,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}${GRAPHQL_PATH}`,
    port,
    close: () =>
      (closing ??= (async () => {
        draining = true;
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
        for (const stream of eventStreams) stream.end();
        const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
        await drained;
        clearTimeout(timer);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await app.close();
      })()),
  };
}
