import { describe, expect, it } from 'vitest';
import { MAX_PREPARED_STATEMENTS, openPostgres, preparedStatements } from '../../src/db/database.js';
import { freshDatabase, postgresUrl } from '../support/databases.js';

describe('statement names', () => {
  it('names a statement after its text, the same text always alike', () => {
    const { names } = preparedStatements('postgresql://postgres@127.0.0.1:5432/x');
    const first = names({ sql: 'SELECT 1' });
    expect(first).toMatch(/^tb_[\w-]{27}$/);
    expect(names({ sql: 'SELECT 1' })).toBe(first);
    expect(names({ sql: 'SELECT 2' })).not.toBe(first);
  });

  it(`prepares at most ${MAX_PREPARED_STATEMENTS} texts by name; later new ones run unnamed`, () => {
    const { names } = preparedStatements('postgresql://postgres@127.0.0.1:5432/x');
    for (let i = 0; i < MAX_PREPARED_STATEMENTS; i++) expect(names({ sql: `SELECT ${i}` })).toMatch(/^tb_/);
    expect(names({ sql: 'SELECT -1' })).toBeUndefined();
    expect(names({ sql: 'SELECT 0' })).toMatch(/^tb_/);
  });

  it('keeps the options the connection string already has', () => {
    const { url } = preparedStatements('postgresql://postgres@127.0.0.1:5432/x?options=-c%20statement_timeout%3D5000&sslmode=disable');
    const parsed = new URL(url);
    expect(parsed.searchParams.get('options')).toBe('-c statement_timeout=5000 -c plan_cache_mode=force_custom_plan');
    expect(parsed.searchParams.get('sslmode')).toBe('disable');
    expect(parsed.pathname).toBe('/x');
  });
});

describe.skipIf(!postgresUrl)('prepared statements on PostgreSQL', () => {
  const session = async (preparedStatements: boolean) => {
    const fresh = await freshDatabase();
    await fresh.database.close();
    const url = new URL(fresh.url!);
    url.searchParams.set('options', '-c statement_timeout=5000');
    const database = await openPostgres(url.toString(), 1, { preparedStatements });
    try {
      for (let i = 0; i < 2; i++) await database.prisma.member.findMany({ where: { handle: `nobody${i}` } });
      const [settings] = await database.prisma.$queryRawUnsafe<{ plan: string; timeout: string }[]>(
        "SELECT current_setting('plan_cache_mode') AS plan, current_setting('statement_timeout') AS timeout",
      );
      const statements = await database.prisma.$queryRawUnsafe<{ name: string; statement: string }[]>('SELECT name, statement FROM pg_prepared_statements');
      return { settings, statements };
    } finally {
      await database.close();
      await fresh.drop();
    }
  };

  it('prepares each statement once per connection and plans it for its parameters', async () => {
    const { settings, statements } = await session(true);
    expect(settings).toEqual({ plan: 'force_custom_plan', timeout: '5s' });
    const members = statements.filter((s) => s.statement.includes('"public"."Member"'));
    expect(members).toHaveLength(1);
    expect(members[0]!.name).toMatch(/^tb_/);
  });

  it('prepares nothing when turned off', async () => {
    const { settings, statements } = await session(false);
    expect(settings).toEqual({ plan: 'auto', timeout: '5s' });
    expect(statements).toEqual([]);
  });
});
