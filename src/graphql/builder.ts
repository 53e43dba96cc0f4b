import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { isObjectType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import type PrismaTypes from '../db/generated/pothos-types.js';
import { getDatamodel } from '../db/generated/pothos-types.js';
import type { Context } from './context.js';
import { authenticationError, codedError } from './errors.js';
import { UUID } from './ids.js';

type BuilderTypes = {
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { member: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
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
    authScopes: (context) => ({ member: context.viewer !== null }),
    unauthorizedError: (_parent, context, _info, result) =>
      context.viewer ? codedError(result.message, 'FORBIDDEN') : authenticationError(context),
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
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
