import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { ARGON2_PARAMS, type Argon2Params } from './rules.js';

// Algorithm is a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** A hash of a random password, verified against when the account is unknown so that
   * unknown emails take as long as wrong passwords. */
  decoy(): Promise<string>;
  params: Argon2Params;
};

export function createPasswordHasher(params: Argon2Params = ARGON2_PARAMS): PasswordHasher {
  const hashWith = (password: string) => hash(password, { algorithm: ARGON2ID, ...params });
  let decoy: Promise<string> | undefined;
  return {
    hash: hashWith,
    verify: async (stored, password) => {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    decoy: () => (decoy ??= hashWith(crypto.randomUUID())),
    params,
  };
}
