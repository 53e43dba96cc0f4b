import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import type { Member } from '../../db/generated/prisma/client.js';
import { visibleMembers } from '../networks/policy.js';
import { changePasswordInput, logInInput, signUpInput, updateProfileInput } from './inputs.js';

/**
 * Whether the reader may see a private field: the member always; other members when the
 * member shows it (anonymous readers too, unless members only); integrations only when
 * the member also consents to sharing with integrations.
 */
type Shown = Pick<Member, 'id' | 'shareWithIntegrations'> & Partial<Pick<Member, 'showEmail' | 'showLocation' | 'showBio'>>;

function shows(context: Context, member: Shown, flag: 'showEmail' | 'showLocation' | 'showBio', membersOnly = false) {
  if (context.selfIds.has(member.id)) return true;
  if (!member[flag]) return false;
  if (context.integration) return member.shareWithIntegrations;
  return !membersOnly || context.viewer !== null;
}

const Privacy = builder.objectRef<Pick<Member, 'showEmail' | 'showLocation' | 'showBio' | 'shareWithIntegrations'>>('Privacy').implement({
  fields: (t) => ({
    showEmail: t.exposeBoolean('showEmail', { description: 'Other members see the email (default no).' }),
    showLocation: t.exposeBoolean('showLocation', { description: 'Other members see the location (default no).' }),
    showBio: t.exposeBoolean('showBio', { description: 'Others see the bio (default yes).' }),
    shareWithIntegrations: t.exposeBoolean('shareWithIntegrations', {
      description: "Appear in the network's integrations (CRM export, webhooks, API tokens), with the fields shown above (default no).",
    }),
  }),
});

// Select mode: a read loads only the columns its selected fields need (a network page of 150
// members reads two columns of each, never a password hash). Fields that return members from
// elsewhere read them again with the query (`findMember(id, query)`), batched by Prisma.
export const MemberNode = builder.prismaNode('Member', {
  select: { id: true },
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, context) => ({ id, AND: [visibleMembers(readerOf(context))] }),
  fields: (t) => ({
    handle: t.exposeString('handle'),
    displayName: t.exposeString('displayName'),
    bio: t.string({
      nullable: true,
      select: { bio: true, showBio: true, shareWithIntegrations: true },
      resolve: (m, _a, context) => (shows(context, m, 'showBio') ? m.bio : null),
    }),
    location: t.string({
      nullable: true,
      description: 'The member themself, and other members where the member shows it.',
      select: { location: true, showLocation: true, shareWithIntegrations: true },
      resolve: (m, _a, context) => (shows(context, m, 'showLocation', true) ? m.location : null),
    }),
    skills: t.exposeStringList('skills'),
    email: t.string({
      nullable: true,
      description: 'The member themself, and other members where the member shows it.',
      select: { email: true, showEmail: true, shareWithIntegrations: true },
      resolve: (m, _args, context) => (shows(context, m, 'showEmail', true) ? m.email : null),
    }),
    privacy: t.field({
      type: Privacy,
      nullable: true,
      description: 'Who sees what of this member; only they see (and change) it.',
      select: { showEmail: true, showLocation: true, showBio: true, shareWithIntegrations: true },
      resolve: (m, _args, context) => (context.selfIds.has(m.id) ? m : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: 'Member',
    nullable: true,
    description: 'The logged-in member; null when anonymous.',
    resolve: (query, _root, _args, context) =>
      context.viewer ? context.db.member.findUnique({ ...query, where: { id: context.viewer.memberId } }) : null,
  }),
);

function UpdateProfilePayloadFor(name: string) {
  return payloadType<{ member: Member }>(name, (t) => ({
    member: t.prismaField({
      type: MemberNode,
      nullable: true,
      resolve: (query, p, _args, context) => (p.member ? context.services.accounts.findMember(p.member.id, query) : null),
    }),
  }));
}

const proven = <T extends { member: Member }>(context: Context, result: T) => {
  context.selfIds.add(result.member.id);
  return result;
};

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    handle: t.string({ required: true }),
    displayName: t.string({ required: true }),
  }),
});

const LogInInput = builder.inputType('LogInInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

const AuthPayload = payloadType<{ token: string; member: Member }>('AuthPayload', (t) => ({
  token: t.string({
    nullable: true,
    description: 'Send as `Authorization: Bearer <token>`; shown once.',
    resolve: (p) => p.token ?? null,
  }),
  // Read again with what the query selects: signUp's reader is not yet the member.
  member: t.prismaField({
    type: MemberNode,
    nullable: true,
    resolve: (query, p, _args, context) => (p.member ? context.services.accounts.findMember(p.member.id, query) : null),
  }),
}));

mutationField('signUp', {
  description: 'Creates an account and logs it in.',
  access: 'anyone',
  input: SignUpInput,
  schema: signUpInput,
  payload: AuthPayload,
  rateLimits: (_input, context) => [['signup.address', context.clientAddress]],
  resolve: async (input, context) => proven(context, await context.services.accounts.signUp(input)),
});

mutationField('logIn', {
  description: 'Returns an opaque bearer token. Wrong passwords and unknown emails fail alike.',
  access: 'anyone',
  input: LogInInput,
  schema: logInInput,
  payload: AuthPayload,
  // Counted per attempt, aliases included, whether or not the account exists.
  rateLimits: (input, context) => [
    ['login.account', input.email],
    ['login.address', context.clientAddress],
  ],
  resolve: async (input, context) => proven(context, await context.services.accounts.logIn(input)),
});

builder.mutationField('logOut', (t) =>
  t.boolean({
    description: "Ends the current session at once; its token stops working.",
    authScopes: { member: true },
    resolve: async (_root, _args, context) => {
      if (context.viewer) await context.services.accounts.logOut(context.viewer);
      return true;
    },
  }),
);

mutationField('changePassword', {
  description: 'Sets a new password and ends every other session at once.',
  input: builder.inputType('ChangePasswordInput', {
    fields: (t) => ({ currentPassword: t.string({ required: true }), newPassword: t.string({ required: true }) }),
  }),
  schema: changePasswordInput,
  payload: UpdateProfilePayloadFor('ChangePasswordPayload'),
  rateLimits: (_input, context) => [['password.member', context.viewer!.memberId]],
  resolve: async (input, context) => ({ member: await context.services.accounts.changePassword(context.viewer, input) }),
});

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Fields left out stay as they are; null clears bio and location.',
  fields: (t) => ({
    displayName: t.string(),
    bio: t.string(),
    location: t.string(),
    skills: t.stringList(),
    showEmail: t.boolean({ description: 'Show your email to other members.' }),
    showLocation: t.boolean({ description: 'Show your location to other members.' }),
    showBio: t.boolean({ description: 'Show your bio.' }),
    shareWithIntegrations: t.boolean({ description: "Consent to appear in your networks' integrations." }),
  }),
});

const UpdateProfilePayload = UpdateProfilePayloadFor('UpdateProfilePayload');

mutationField('updateProfile', {
  input: UpdateProfileInput,
  schema: updateProfileInput,
  payload: UpdateProfilePayload,
  resolve: async (input, context) => ({
    member: await context.services.accounts.updateProfile(context.viewer, input),
  }),
});
