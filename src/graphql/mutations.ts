import type { FieldRef, InputObjectRef, ObjectFieldBuilder, ObjectRef } from '@pothos/core';
import type { z } from 'zod';
import { DomainError, type Problem } from '../errors.js';
import { type SchemaTypes as PothosTypes, builder } from './builder.js';
import type { Context } from './context.js';
import type { RateLimitRule } from './limits.js';

/**
 * Every mutation takes one `input` and returns a payload whose result fields are null on
 * failure and whose `errors` list says why. Validation (zod) and the use case's expected
 * failures (DomainError) become those errors; nothing is written when there are any.
 */

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  values: ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'] as const,
});

export const UserError = builder.objectRef<Problem>('UserError').implement({
  description: 'An expected failure of a mutation: bad input, not allowed, not found, conflict or rate limited.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (p) => p.code }),
    message: t.exposeString('message'),
    field: t.stringList({
      nullable: true,
      description: 'Path of the input field concerned, relative to `input`.',
      resolve: (p) => p.field ?? null,
    }),
    retryAfterSeconds: t.int({
      nullable: true,
      description: 'With RATE_LIMITED: seconds to wait before trying again.',
      resolve: (p) => p.retryAfterSeconds ?? null,
    }),
  }),
});

export type Payload<Result> = Partial<Result> & { errors: Problem[] };
type AnyPayload = { errors: Problem[] } & Record<string, unknown>;

type PayloadFields<Result> = (
  t: ObjectFieldBuilder<PothosTypes, Payload<Result>>,
) => Record<string, FieldRef<PothosTypes, unknown, 'Object'>>;

/** A payload type: the given result fields plus `errors: [UserError!]!`. */
export function payloadType<Result>(name: string, fields: PayloadFields<Result>): ObjectRef<PothosTypes, Payload<Result>> {
  return builder.objectRef<Payload<Result>>(name).implement({
    fields: (t) => ({
      ...fields(t),
      errors: t.field({ type: [UserError], resolve: (p) => p.errors }),
    }),
  });
}

export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    code: 'BAD_USER_INPUT' as const,
    message: issue.message,
    field: issue.path.map(String),
  }));
}

/** The context of an operation with a logged-in member. */
export type MemberContext = Context & { viewer: NonNullable<Context['viewer']> };

/** 'member': a logged-in member; 'member-or-integration': also an API token with WRITE. */
type Access = 'member' | 'member-or-integration' | 'anyone';

type MutationOptions<Schema extends z.ZodType, Result, A extends Access> = {
  description?: string;
  /** The GraphQL input type; omit for mutations without arguments. */
  input?: InputObjectRef<PothosTypes, unknown>;
  /** Validates and normalises the input before the use case sees it. */
  schema?: Schema;
  payload: ObjectRef<PothosTypes, Payload<Result>>;
  /** 'member' (the default) requires a logged-in member: UNAUTHENTICATED otherwise. */
  access?: A;
  /** Rate limits this mutation counts against, besides `mutation` for every caller. */
  rateLimits?: (input: z.output<Schema>, context: Context) => [RateLimitRule, string][];
  resolve: (input: z.output<Schema>, context: A extends 'member' ? MemberContext : Context) => Promise<Result>;
};

/** Whose mutations count together: the member, the API token, or the client address. */
const callerKey = (context: Context) => context.viewer?.memberId ?? context.integration?.tokenId ?? context.clientAddress;

export function mutationField<Schema extends z.ZodType, Result, A extends Access = 'member'>(
  name: string,
  options: MutationOptions<Schema, Result, A>,
) {
  builder.mutationField(name, (t) =>
    t.field({
      // The payload's own type checks `Result`; the shared resolver only adds `errors`.
      type: options.payload as unknown as ObjectRef<PothosTypes, AnyPayload>,
      description: options.description,
      authScopes:
        options.access === 'anyone'
          ? undefined
          : options.access === 'member-or-integration'
            ? { $any: { member: true, integrationWrite: true } }
            : { member: true },
      args: options.input ? { input: t.arg({ type: options.input, required: true }) } : {},
      resolve: async (_root, args, context): Promise<AnyPayload> => {
        let input: z.output<Schema> = undefined as z.output<Schema>;
        if (options.schema) {
          const parsed = options.schema.safeParse((args as { input?: unknown }).input);
          if (!parsed.success) return { errors: problemsOf(parsed.error) };
          input = parsed.data;
        }
        try {
          for (const [rule, key] of [['mutation', callerKey(context)] as [RateLimitRule, string], ...(options.rateLimits?.(input, context) ?? [])]) {
            await context.rateLimits.consume(rule, key);
          }
          // Scope auth has already refused anonymous callers of member mutations.
          const result = await options.resolve(input, context as MemberContext);
          return { ...result, errors: [] };
        } catch (error) {
          if (error instanceof DomainError) return { errors: error.problems };
          throw error;
        }
      },
    }),
  );
}
