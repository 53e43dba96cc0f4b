import { z } from 'zod';
import { requiredText } from '../../validation.js';
import { isValidPattern } from './rules.js';

export const API_SCOPES = ['READ', 'WRITE'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const createApiTokenInput = z.object({
  networkId: z.uuid(),
  name: requiredText('a name for the token', 100),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, 'Give at least READ.')
    .max(2)
    .refine((scopes) => scopes.includes('READ'), 'Every token reads; WRITE comes with READ.')
    .transform((scopes) => [...new Set(scopes)]),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;

export const revokeApiTokenInput = z.object({ tokenId: z.uuid() });
export type RevokeApiTokenInput = z.infer<typeof revokeApiTokenInput>;

export const createWebhookInput = z.object({
  networkId: z.uuid(),
  url: z
    .string()
    .trim()
    .max(2000, 'Use at most 2000 characters.')
    .refine((url) => {
      try {
        return ['http:', 'https:'].includes(new URL(url).protocol);
      } catch {
        return false;
      }
    }, 'Give an http:// or https:// URL.'),
  events: z
    .array(z.string().trim().refine(isValidPattern, 'Not an event type, "<subject>.*" or "*" (see the README).'))
    .min(1, 'Subscribe to at least one event type.')
    .max(100),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const webhookInput = z.object({ webhookId: z.uuid() });
export type WebhookInput = z.infer<typeof webhookInput>;

export const redeliverInput = z.object({ deliveryId: z.uuid() });
export type RedeliverInput = z.infer<typeof redeliverInput>;

export const eraseMyAccountInput = z.object({
  password: z.string().max(256),
  confirm: z.literal('ERASE', { message: 'Type ERASE to confirm; this cannot be undone.' }),
});
export type EraseMyAccountInput = z.infer<typeof eraseMyAccountInput>;

export const activityFilterInput = z.object({
  types: z.array(z.string().trim().refine(isValidPattern, 'Not an event type, "<subject>.*" or "*".')).max(50).nullish(),
  memberId: z.uuid().nullish(),
  from: z.date().nullish(),
  to: z.date().nullish(),
});
export type ActivityFilter = z.infer<typeof activityFilterInput>;
