// Applies pending migrations and exits: the one-shot step before instances start
// (docker-compose's `migrate` service, `npm run db:migrate`). Instances also migrate at
// start; Prisma's advisory lock keeps concurrent runs apart.
import { openDatabase } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { log } from '../log.js';

try {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await database.migrate();
    log.info({ database: database.kind }, 'migrations applied');
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else log.fatal({ err: error }, 'migration failed');
  process.exit(1);
}
