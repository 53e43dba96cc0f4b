import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { isObjectType } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import type PrismaTypes from '../db/generated/pothos-types.js';
import { getDatamodel } from '../db/generated/pothos-types.js';
import type { Context } from './context.js';
import { authenticationError, codedError } from './errors.js';
import { UUID } from './ids.js';

type BuilderTypes = {
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    member: boolean;
    /** An API token of a network (READ is in every token). */
    integration: boolean;
    integrationWrite: boolean;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
};
export type SchemaTypes = PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>;

/** The schema builder and its plugins; types are defined in src/modules/<domain>/schema.ts. */
export const builder = new SchemaBuilder<BuilderTypes>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      member: context.viewer !== null,
      integration: context.integration !== null,
      integrationWrite: context.integration?.scopes.includes('WRITE') ?? false,
    }),
    unauthorizedError: (_parent, context, _info, result) =>
      context.viewer || context.integration
        ? codedError(context.integration ? 'This API token may not do this.' : result.message, 'FORBIDDEN')
        : authenticationError(context),
  },
  prisma: {
    client: (context) => context.db,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    maxConnectionSize: 100,
    defaultConnectionSize: 20,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    nodeQueryOptions: {
      // A well-formed ID of a type that has no nodes, or whose key is not a UUID, is bad
      // input rather than a database error.
      resolve: (_root, { id }, _context, info, resolveNode) => {
        const type = info.schema.getType(id.typename);
        const isNode = isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
        if (!isNode || !UUID.test(id.id)) throw codedError(`Not a valid ID: ${id.typename}.`, 'BAD_USER_INPUT');
        return resolveNode(id);
      },
    },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
