import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga } from 'graphql-yoga';
import { log } from '../log.js';
import { type AppCore, type Context, createContext } from './context.js';
import { maskError } from './errors.js';
import { armorPlugins, errorCodesPlugin, LIMITS, nodeLimitPlugin, queryLengthPlugin } from './limits.js';
import { schema } from './schema.js';

/** What Yoga sees of a request: node's req/res over HTTP, or the graphql-ws connection. */
export type ServerContext = {
  req?: IncomingMessage;
  res?: ServerResponse;
  connectionParams?: Record<string, unknown>;
};

export const GRAPHQL_PATH = '/graphql';

/**
 * The client's address: the socket's peer, or behind a trusted proxy the last
 * X-Forwarded-For entry, the one that proxy appended. Earlier entries come from the
 * client and could be anything, so per-address limits never read them.
 */
export function clientAddress(req: IncomingMessage | undefined, forwardedFor: string | null | undefined, trustProxy: boolean) {
  const forwarded = trustProxy ? forwardedFor?.split(',').at(-1)?.trim() : undefined;
  return forwarded || req?.socket.remoteAddress || 'unknown';
}

export function createYogaServer(app: AppCore, options: { production: boolean; trustProxy: boolean }) {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    batching: LIMITS.batching,
    plugins: [
      queryLengthPlugin(),
      ...armorPlugins(options.production),
      errorCodesPlugin(),
      nodeLimitPlugin(),
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
    ],
    context: ({ request, connectionParams, req }) =>
      createContext(
        app,
        connectionParams ? connectionParams.authorization : request?.headers.get('authorization'),
        clientAddress(req, request?.headers.get('x-forwarded-for'), options.trustProxy),
      ),
    maskedErrors: { maskError },
    graphiql: !options.production && {
      title: 'Tiebridge',
      subscriptionsProtocol: 'WS',
      defaultQuery: '{\n  networks(first: 10) {\n    totalCount\n    edges { node { name slug purpose } }\n  }\n}\n',
    },
    // Bundled GraphiQL: works without reaching a CDN.
    renderGraphiQL,
    landingPage: false,
    logging: {
      debug: (...args) => log.debug(args.join(' ')),
      info: (...args) => log.info(args.join(' ')),
      warn: (...args) => log.warn(args.join(' ')),
      error: (...args) => log.error(args.join(' ')),
    },
  });
}

export type YogaServer = ReturnType<typeof createYogaServer>;
