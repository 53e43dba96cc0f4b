import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The database id inside a global ID of the given type, or null when it is not one. */
export function localId(globalId: string, typename: string): string | null {
  try {
    const decoded = decodeGlobalID(globalId);
    return decoded.typename === typename && UUID.test(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}

/** A zod input field that takes a global ID of `typename` and yields its database id. */
export const globalIdOf = (typename: string) =>
  z.string().transform((value, ctx) => {
    const id = localId(value, typename);
    if (id === null) {
      ctx.addIssue({ code: 'custom', message: `Not a ${typename} ID.` });
      return z.NEVER;
    }
    return id;
  });
