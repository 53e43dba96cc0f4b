import { builder } from '../../graphql/builder.js';
import type { Context } from '../../graphql/context.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import type { Member } from '../../db/generated/prisma/client.js';
import { visibleMembers } from '../networks/policy.js';
import { logInInput, signUpInput, updateProfileInput } from './inputs.js';

export const MemberNode = builder.prismaNode('Member', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, context) => ({ id, AND: [visibleMembers(context.viewer?.memberId ?? null)] }),
  fields: (t) => ({
    handle: t.exposeString('handle'),
    displayName: t.exposeString('displayName'),
    bio: t.exposeString('bio', { nullable: true }),
    location: t.exposeString('location', { nullable: true }),
    skills: t.exposeStringList('skills'),
    email: t.string({
      nullable: true,
      description: 'Only the member themself sees it.',
      resolve: (member, _args, context) => (context.selfIds.has(member.id) ? member.email : null),
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
  member: t.field({ type: MemberNode, nullable: true, resolve: (p) => p.member ?? null }),
}));

mutationField('signUp', {
  description: 'Creates an account and logs it in.',
  access: 'anyone',
  input: SignUpInput,
  schema: signUpInput,
  payload: AuthPayload,
  resolve: async (input, context) => proven(context, await context.services.accounts.signUp(input)),
});

mutationField('logIn', {
  description: 'Returns an opaque bearer token. Wrong passwords and unknown emails fail alike.',
  access: 'anyone',
  input: LogInInput,
  schema: logInInput,
  payload: AuthPayload,
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

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Fields left out stay as they are; null clears bio and location.',
  fields: (t) => ({
    displayName: t.string(),
    bio: t.string(),
    location: t.string(),
    skills: t.stringList(),
  }),
});

const UpdateProfilePayload = payloadType<{ member: Member }>('UpdateProfilePayload', (t) => ({
  member: t.field({ type: MemberNode, nullable: true, resolve: (p) => p.member ?? null }),
}));

mutationField('updateProfile', {
  input: UpdateProfileInput,
  schema: updateProfileInput,
  payload: UpdateProfilePayload,
  resolve: async (input, context) => ({
    member: await context.services.accounts.updateProfile(context.viewer, input),
  }),
});
