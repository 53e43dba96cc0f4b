import { expect, it } from 'vitest';
import { Prisma } from './generated/prisma/client.js';
import { uniqueViolationFields } from './errors.js';

const violation = (meta: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('Unique constraint failed', { code: 'P2002', clientVersion: '7', meta });

it('reads the violated fields as either driver adapter reports them', () => {
  const pglite = { driverAdapterError: { cause: { constraint: { fields: ['email'] } } } };
  const pg = { modelName: 'Membership', driverAdapterError: { cause: { constraint: { index: 'Membership_memberId_networkId_key' }, table: 'Membership' } } };
  expect(uniqueViolationFields(violation(pglite))).toEqual(['email']);
  expect(uniqueViolationFields(violation(pg))).toEqual(['memberId', 'networkId']);
  expect(uniqueViolationFields(violation({ target: ['slug'] }))).toEqual(['slug']);
});

it('ignores other errors', () => {
  expect(uniqueViolationFields(new Error('boom'))).toBeNull();
  expect(
    uniqueViolationFields(new Prisma.PrismaClientKnownRequestError('not found', { code: 'P2025', clientVersion: '7' })),
  ).toBeNull();
});
