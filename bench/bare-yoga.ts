/**
 * The overhead benchmark's baseline: a bare Yoga server (no plugins of ours, a one-field
 * schema) on `node:http`, run as a process of its own by bench/overhead.ts.
 *
 *   PORT=4100 tsx bench/bare-yoga.ts
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }), logging: false, graphiql: false, landingPage: false });
const server = createServer(yoga);
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
