// Writes schema/schema.graphql from the code; test/schema.test.ts fails when it is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/graphql/schema.js';

mkdirSync('schema', { recursive: true });
writeFileSync('schema/schema.graphql', `${printSchema(schema)}\n`);
console.log('Wrote schema/schema.graphql');
