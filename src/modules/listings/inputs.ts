import { z } from 'zod';
import { CONTRIBUTION_KINDS, LISTING_VISIBILITIES } from '../../domain.js';
import { optionalText, requiredText } from '../../validation.js';
import { TAG_MAX_LENGTH, TAGS_MAX, normalizeTags } from './rules.js';

export const postListingInput = z.object({
  networkId: z.uuid(),
  kind: z.enum(CONTRIBUTION_KINDS),
  title: requiredText('a title', 120),
  description: optionalText(5000),
  tags: z
    .array(z.string().max(TAG_MAX_LENGTH, `Use at most ${TAG_MAX_LENGTH} characters per tag.`))
    .max(TAGS_MAX * 2, `Use at most ${TAGS_MAX} tags.`)
    .transform(normalizeTags)
    .refine((tags) => tags.length <= TAGS_MAX, `Use at most ${TAGS_MAX} tags.`)
    .nullish()
    .transform((tags) => tags ?? []),
  expiresAt: z.date().nullish(),
  visibility: z.enum(LISTING_VISIBILITIES).nullish(),
});
export type PostListingInput = z.infer<typeof postListingInput>;

export const closeListingInput = z.object({ listingId: z.uuid() });
export type CloseListingInput = z.infer<typeof closeListingInput>;
