import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database on port 4000 with demo data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, databaseUrl: null, redisUrl: null, nodeEnv: 'development', seedDemoData: true });
    expect(config.pgliteDir).toMatch(/\.data\/pglite$/);
  });

  it('takes PostgreSQL and Redis from the environment, without demo data', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/tiebridge',
      REDIS_URL: 'redis://127.0.0.1:6379',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/tiebridge',
      redisUrl: 'redis://127.0.0.1:6379',
      nodeEnv: 'production',
      seedDemoData: false,
    });
  });

  it('prepares PostgreSQL statements unless told not to', () => {
    expect(loadConfig({}).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow('DATABASE_PREPARED_STATEMENTS must be true or false');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: null, port: 4000 });
  });

  it('names every bad variable with what it got', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'localhost:6379', NODE_ENV: 'staging' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'PORT must be a number (got "eighty")',
        'DATABASE_URL must be a URL starting with postgres:// or postgresql:// (e.g. postgresql://postgres@127.0.0.1:5432/tiebridge) (got "mysql://x")',
        'REDIS_URL must be a URL starting with redis:// or rediss:// (e.g. redis://127.0.0.1:6379) (got "localhost:6379")',
        'NODE_ENV must be development, test or production (got "staging")',
      ]);
    }
  });
});
