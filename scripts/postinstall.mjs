// Runs after `npm install`: generates the Prisma client and Pothos types, builds the
// example portal that `npm start` serves at `/` (typed documents first), and installs
// the offline migration differ used by `npm run db:migration` and the drift test.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (command) => execSync(command, { stdio: 'inherit' });
run('npx prisma generate');
run('npm run codegen --silent');
run('npm run portal:build --silent');
if (existsSync('tools/prisma-differ/package-lock.json')) {
  run('npm ci --prefix tools/prisma-differ --no-audit --no-fund --loglevel=error');
}
