import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { log } from '../log.js';
import { type AppCore, type Context, createContext } from './context.js';
import { maskError } from './errors.js';
import { schema } from './schema.js';

/** What Yoga sees of a request: node's req/res over HTTP, or the graphql-ws connection. */
export type ServerContext = {
  req?: IncomingMessage;
  res?: ServerResponse;
  connectionParams?: Record<string, unknown>;
};

export const GRAPHQL_PATH = '/graphql';

export function createYogaServer(app: AppCore, options: { graphiql: boolean }) {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request, connectionParams }) =>
      createContext(app, connectionParams ? connectionParams.authorization : request?.headers.get('authorization')),
    maskedErrors: { maskError },
    graphiql: options.graphiql && {
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
