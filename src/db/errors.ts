import { Prisma } from './generated/prisma/client.js';

/**
 * The fields of the unique constraint a write violated, or null when the error is
 * something else. Driver adapters report them under meta.driverAdapterError; the
 * classic engines under meta.target.
 */
export function uniqueViolationFields(error: unknown): string[] | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  const meta = error.meta as
    | { target?: string[] | string; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } }
    | undefined;
  const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target ?? [];
  return (Array.isArray(fields) ? fields : [fields]).map((f) => f.replace(/^"|"$/g, ''));
}
