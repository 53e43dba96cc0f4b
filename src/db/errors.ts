import { Prisma } from './generated/prisma/client.js';

type UniqueViolationMeta = {
  target?: string[] | string;
  modelName?: string;
  driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string }; table?: string } };
};

/**
 * The fields of the unique constraint a write violated, or null when the error is
 * something else. The PGlite adapter names the fields; the pg adapter names the index,
 * whose Prisma default name is "<Model>_<field>_<field>_key".
 */
export function uniqueViolationFields(error: unknown): string[] | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return null;
  const meta = (error.meta ?? {}) as UniqueViolationMeta;
  const cause = meta.driverAdapterError?.cause;
  if (cause?.constraint?.fields) return cause.constraint.fields.map((f) => f.replace(/^"|"$/g, ''));
  const index = cause?.constraint?.index;
  const model = cause?.table ?? meta.modelName;
  if (index && model && index.startsWith(`${model}_`) && index.endsWith('_key')) {
    return index.slice(model.length + 1, -'_key'.length).split('_');
  }
  const target = meta.target ?? [];
  return Array.isArray(target) ? target : [target];
}
