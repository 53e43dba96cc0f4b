import { z } from 'zod';
import { CONTRIBUTION_KINDS, EXCHANGE_VISIBILITIES, MEASURE_UNITS } from '../../domain.js';
import { optionalText } from '../../validation.js';

export const proposeExchangeInput = z
  .object({
    networkId: z.uuid(),
    giverId: z.uuid(),
    receiverId: z.uuid(),
    kind: z.enum(CONTRIBUTION_KINDS),
    description: optionalText(2000),
    askId: z.uuid().nullish(),
    offerId: z.uuid().nullish(),
    measure: z.number().positive('A measure is more than zero.').max(100_000).nullish(),
    measureUnit: z.enum(MEASURE_UNITS).nullish(),
    visibility: z.enum(EXCHANGE_VISIBILITIES).nullish(),
    idempotencyKey: z.string().trim().min(1).max(200, 'Use at most 200 characters.').nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.giverId === v.receiverId) ctx.addIssue({ code: 'custom', path: ['receiverId'], message: 'Giver and receiver must differ.' });
    if ((v.measure == null) !== (v.measureUnit == null)) {
      ctx.addIssue({ code: 'custom', path: ['measureUnit'], message: 'Give a measure together with its unit.' });
    }
  });
export type ProposeExchangeInput = z.infer<typeof proposeExchangeInput>;

export const respondToExchangeInput = z.object({ exchangeId: z.uuid(), accept: z.boolean() });
export type RespondToExchangeInput = z.infer<typeof respondToExchangeInput>;

export const gratitudeInput = z.object({ exchangeId: z.uuid(), gratitude: optionalText(1000) });
export type GratitudeInput = z.infer<typeof gratitudeInput>;

export const cancelExchangeInput = z.object({ exchangeId: z.uuid() });
export type CancelExchangeInput = z.infer<typeof cancelExchangeInput>;
