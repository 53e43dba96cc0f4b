import { z } from 'zod';
import { ENGAGEMENT_LEVELS } from '../../domain.js';
import { optionalText, requiredText } from '../../validation.js';

export const scheduleMeetupInput = z
  .object({
    networkId: z.uuid(),
    title: requiredText('a title', 120),
    description: optionalText(5000),
    place: requiredText('a place', 300),
    startsAt: z.date(),
    endsAt: z.date(),
    capacity: z.number().int('Use a whole number.').min(1, 'Allow at least one person.').max(10_000).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.endsAt <= v.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'A meetup ends after it starts.' });
    if (v.endsAt.getTime() - v.startsAt.getTime() > 7 * 24 * 3600 * 1000) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'A meetup lasts at most a week.' });
    }
  });
export type ScheduleMeetupInput = z.infer<typeof scheduleMeetupInput>;

export const rsvpInput = z.object({ meetupId: z.uuid(), response: z.enum(['GOING', 'MAYBE', 'NOT_GOING']) });
export type RsvpInput = z.infer<typeof rsvpInput>;

export const checkInInput = z.object({ meetupId: z.uuid(), code: z.string().trim().toUpperCase().min(1, 'Enter the code.').max(20) });
export type CheckInInput = z.infer<typeof checkInInput>;

export const recordAttendanceInput = z.object({
  meetupId: z.uuid(),
  memberIds: z.array(z.uuid()).min(1, 'Name at least one member.').max(500, 'Record at most 500 members at once.'),
});
export type RecordAttendanceInput = z.infer<typeof recordAttendanceInput>;

export const vouchInput = z.object({ networkId: z.uuid(), memberId: z.uuid(), context: requiredText('how you know them', 1000) });
export type VouchInput = z.infer<typeof vouchInput>;

export const revokeVouchInput = z.object({ vouchId: z.uuid() });
export type RevokeVouchInput = z.infer<typeof revokeVouchInput>;

export const endorseSkillInput = z.object({ networkId: z.uuid(), memberId: z.uuid(), skill: requiredText('a skill', 50) });
export type EndorseSkillInput = z.infer<typeof endorseSkillInput>;

export const introduceInput = z
  .object({ networkId: z.uuid(), memberAId: z.uuid(), memberBId: z.uuid(), note: requiredText('why they should meet', 1000) })
  .superRefine((v, ctx) => {
    if (v.memberAId === v.memberBId) ctx.addIssue({ code: 'custom', path: ['memberBId'], message: 'Introduce two different members.' });
  });
export type IntroduceInput = z.infer<typeof introduceInput>;

export const respondToIntroductionInput = z.object({ introductionId: z.uuid(), accept: z.boolean() });
export type RespondToIntroductionInput = z.infer<typeof respondToIntroductionInput>;

export const setEngagementLevelInput = z.object({
  membershipId: z.uuid(),
  level: z.enum(ENGAGEMENT_LEVELS),
  reason: requiredText('a reason', 500),
});
export type SetEngagementLevelInput = z.infer<typeof setEngagementLevelInput>;
