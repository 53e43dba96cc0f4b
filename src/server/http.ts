import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import sirv from 'sirv';
import { type WebSocket, WebSocketServer } from 'ws';
import type { App } from '../app.js';
import { bearerToken } from '../graphql/context.js';
import { LIMITS, rejected, withCode } from '../graphql/limits.js';
import { GRAPHQL_PATH } from '../graphql/yoga.js';
import { log } from '../log.js';
import { CRM_PATH, crmExport } from './crm.js';

export type RunningServer = {
  url: string;
  /** Whether the example portal is served at `/`. */
  portal: boolean;
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes sockets, then the app. */
  close(): Promise<void>;
};

/** The example portal's build (`npm run portal:build`), from the repository root. */
const PORTAL_DIR = fileURLToPath(new URL('../../portal/dist', import.meta.url));

/** Serves the portal at `/` when it has been built; without it `/` leads to GraphiQL. */
function portalFiles() {
  if (!existsSync(`${PORTAL_DIR}/index.html`)) {
    log.info('the portal is not built (npm run portal:build): / leads to GraphiQL');
    return null;
  }
  // Hashed asset names never change content: cache them for good; index.html is revalidated.
  return sirv(PORTAL_DIR, {
    etag: true,
    setHeaders: (res, pathname) =>
      res.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
}

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
  const portal = portalFiles();
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
    if (portal && (path === '/' || path?.startsWith('/assets/'))) return portal(req, res, () => json(res, 404, { error: 'Not found' }));
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

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: LIMITS.maxMessageBytes });
  type Rooted = ExecutionArgs & { rootValue: { execute: typeof import('graphql').execute; subscribe: typeof import('graphql').subscribe } };
  /** Who each open socket authenticated as, to close it when that session or token ends. */
  type Identity = { memberId?: string; sessionId?: string | null; tokenId?: string };
  type SocketState = { identity: Identity; operations: Set<string>; expiry?: NodeJS.Timeout };
  const sockets = new Map<WebSocket, SocketState>();
  const stateOf = (ctx: { extra: { socket: WebSocket } }) => sockets.get(ctx.extra.socket);
  const forget = (socket: WebSocket) => {
    clearTimeout(sockets.get(socket)?.expiry);
    sockets.delete(socket);
  };
  /** Closes the socket (4403) when its session reaches its absolute expiry. Timers run at
   * most ~24.8 days, so a later expiry is reached in steps. */
  const closeAt = (socket: WebSocket, at: Date): NodeJS.Timeout => {
    const step = Math.max(0, Math.min(at.getTime() - Date.now(), 2 ** 31 - 1));
    const timer = setTimeout(() => {
      if (Date.now() < at.getTime()) {
        const state = sockets.get(socket);
        if (state) state.expiry = closeAt(socket, at);
        return;
      }
      socket.close(4403, 'Forbidden: the session expired');
    }, step);
    timer.unref();
    return timer;
  };

  useServer(
    {
      // A socket whose connection_init carries a bad token is closed at once (4403).
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const identity: Identity = {};
        let expiry: NodeJS.Timeout | undefined;
        if (authorization !== undefined && authorization !== null) {
          const token = bearerToken(authorization);
          if (!token) return false;
          if (token.startsWith('tbi_')) {
            const integration = await app.services.integrations.authenticate(token);
            if (!integration) return false;
            identity.tokenId = integration.tokenId;
          } else {
            const { viewer } = await app.services.accounts.authenticate(token);
            if (!viewer) return false;
            identity.memberId = viewer.memberId;
            identity.sessionId = viewer.sessionId;
            if (viewer.expiresAt) expiry = closeAt(ctx.extra.socket, viewer.expiresAt);
          }
        }
        sockets.set(ctx.extra.socket, { identity, operations: new Set(), expiry });
        return true;
      },
      onDisconnect: (ctx) => forget(ctx.extra.socket),
      onClose: (ctx) => forget(ctx.extra.socket),
      // Operations run through Yoga's envelop: same plugins, limits, context and errors as HTTP.
      onSubscribe: async (ctx, id, params) => {
        const state = stateOf(ctx);
        if (params.query.length > LIMITS.maxQueryLength) {
          return [rejected(`The query is ${params.query.length} characters long; the limit is ${LIMITS.maxQueryLength}.`, 'QUERY_TOO_COMPLEX')];
        }
        if (state && state.operations.size >= LIMITS.maxSubscriptionsPerSocket) {
          return [rejected(`A socket holds at most ${LIMITS.maxSubscriptionsPerSocket} subscriptions; close one first.`, 'QUERY_TOO_COMPLEX')];
        }
        // The slot is taken before the first await, so that concurrent subscribes count.
        state?.operations.add(id);
        try {
          const { schema, execute, subscribe, contextFactory, parse, validate } = app.yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params,
          });
          // Limits (graphql-armor's too) reject by throwing from parse or validate.
          const document = parse(params.query);
          const errors = validate(schema, document);
          if (errors.length) {
            state?.operations.delete(id);
            return errors.map(withCode);
          }
          return {
            schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          state?.operations.delete(id);
          if (error instanceof GraphQLError) return [withCode(error)];
          throw error;
        }
      },
      onComplete: (ctx, id) => void stateOf(ctx)?.operations.delete(id),
      execute: (args) => (args as Rooted).rootValue.execute(args),
      subscribe: (args) => (args as Rooted).rootValue.subscribe(args),
    },
    wss,
  );

  // Revoked sessions and tokens (on any instance) close the sockets that use them.
  const revocations = app.events.revocations()[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await revocations.next();
      if (next.done) return;
      const r = next.value;
      for (const [socket, { identity }] of sockets) {
        const ended =
          (identity.sessionId && r.sessionIds?.includes(identity.sessionId)) ||
          (identity.tokenId && r.tokenId === identity.tokenId) ||
          (identity.memberId && r.memberId === identity.memberId && identity.sessionId !== r.exceptSessionId);
        if (ended) socket.close(4403, 'Forbidden: the session or token was revoked');
      }
    }
  })();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}${GRAPHQL_PATH}`,
    portal: portal !== null,
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
        await revocations.return?.();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await app.close();
      })()),
  };
}
