import { z } from 'zod';

/** Input building blocks shared by the modules' input schemas. */

/** Trimmed text that must not be empty. */
export const requiredText = (label: string, max: number) =>
  z.string().trim().min(1, `Enter ${label}.`).max(max, `Use at most ${max} characters.`);

/** Trimmed text where empty means none (null). */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .transform((v) => (v === '' ? null : v))
    .nullish();
