import { z } from 'zod';
import { optionalText, requiredText } from '../../validation.js';
import {
  HANDLE_PATTERN,
  PASSWORD_MAX_LENGTH,
  SKILL_MAX_LENGTH,
  SKILLS_MAX,
  normalizeSkills,
  passwordProblem,
  passwordResemblesIdentity,
} from './rules.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Use at most 254 characters.')
  .pipe(z.email('Enter a valid email address.'));

const displayName = requiredText('a name', 80);

export const signUpInput = z
  .object({
    email,
    password: z.string().superRefine((password, ctx) => {
      const problem = passwordProblem(password);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    handle: z
      .string()
      .trim()
      .toLowerCase()
      .regex(HANDLE_PATTERN, 'Use 3 to 30 letters, digits or underscores.'),
    displayName,
  })
  .superRefine((value, ctx) => {
    if (passwordResemblesIdentity(value.password, value)) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'Do not base the password on your email or handle.' });
    }
  });
export type SignUpInput = z.infer<typeof signUpInput>;

export const logInInput = z.object({
  email: z.string().trim().toLowerCase().max(254, 'Use at most 254 characters.'),
  password: z.string().max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
});
export type LogInInput = z.infer<typeof logInInput>;

export const changePasswordInput = z.object({
  currentPassword: z.string().max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
  newPassword: z.string().superRefine((password, ctx) => {
    const problem = passwordProblem(password);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const updateProfileInput = z.object({
  displayName: displayName.nullish(),
  bio: optionalText(2000),
  location: optionalText(120),
  skills: z
    .array(z.string().max(SKILL_MAX_LENGTH, `Use at most ${SKILL_MAX_LENGTH} characters per skill.`))
    .max(SKILLS_MAX, `List at most ${SKILLS_MAX} skills.`)
    .transform(normalizeSkills)
    .nullish(),
  showEmail: z.boolean().nullish(),
  showLocation: z.boolean().nullish(),
  showBio: z.boolean().nullish(),
  shareWithIntegrations: z.boolean().nullish(),
});
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;
