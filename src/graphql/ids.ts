import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The database id inside a global ID of the given type(s), or null when it is not one. */
export function localId(globalId: string, typename: string | string[]): string | null {
  try {
    const decoded = decodeGlobalID(globalId);
    const types = Array.isArray(typename) ? typename : [typename];
    return types.includes(decoded.typename) && UUID.test(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}

/** A zod input field that takes a global ID of `typename` (or one of several) and yields
 * its database id. */
export const globalIdOf = (typename: string | string[]) =>
  z.string().transform((value, ctx) => {
    const id = localId(value, typename);
    if (id === null) {
      ctx.addIssue({ code: 'custom', message: `Not ${Array.isArray(typename) ? `an ${typename.join(' or ')}` : `a ${typename}`} ID.` });
      return z.NEVER;
    }
    return id;
  });
