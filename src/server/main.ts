import { type App, createApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { DEMO_NETWORK_SLUG, DEMO_PASSWORD, demoEmail, seedDemoData } from '../db/seed.js';
import { log } from '../log.js';
import { type RunningServer, startServer } from './http.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const app: App = await createApp(config);
  await app.database.migrate();
  const seeded = config.seedDemoData && (await seedDemoData(app.database.prisma, app.services));
  await app.startWorkers();
  const server: RunningServer = await startServer(app, { port: config.port, host: config.host });

  const database = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.pgliteDir}`;
  const events = config.redisUrl ? 'Redis' : 'in memory';
  log.info({ url: server.url, database: app.database.kind, events }, 'Tiebridge is listening');
  if (config.nodeEnv !== 'production' && !process.env.LOG_LEVEL) {
    console.log(`\nTiebridge API on ${database}, events ${events}.`);
    console.log(`GraphiQL: ${server.url}`);
    if (server.portal) console.log(`Portal:   ${server.url.replace(/graphql$/, '')}`);
    if (config.seedDemoData) {
      console.log(
        `Demo network "${DEMO_NETWORK_SLUG}"${seeded ? ' loaded' : ''}; log in as ${demoEmail('ada')} (steward) or ${demoEmail('grace')}, password ${DEMO_PASSWORD}.\n`,
      );
    }
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  log.fatal({ err: error }, 'Tiebridge failed to start');
  console.error(error);
  process.exit(1);
});
