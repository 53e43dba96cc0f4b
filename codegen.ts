import type { CodegenConfig } from '@graphql-codegen/cli';

const typed = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: {
    scalars: { DateTime: 'string', ID: 'string', JSONObject: 'Record<string, unknown>' },
    enumsAsTypes: true,
    useTypeImports: true,
    emitLegacyCommonJSImports: false,
  },
} as const;

// Typed documents from the printed schema: for the tests, and for the example portal
// (a document that does not match the schema fails here, before any build).
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'test/graphql/': { ...typed, documents: ['test/**/*.ts', '!test/graphql/**'] },
    'portal/src/graphql/': { ...typed, documents: ['portal/src/**/*.{ts,tsx}', '!portal/src/graphql/**'] },
  },
};

export default config;
