import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './connections.js';
import '../modules/accounts/schema.js';
import '../modules/networks/schema.js';
import '../modules/networks/memberships.schema.js';
import '../modules/governance/schema.js';
import '../modules/governance/proposals.schema.js';
import '../modules/governance/events.schema.js';
import '../modules/listings/schema.js';
import '../modules/exchanges/schema.js';
import '../modules/exchanges/ledger.schema.js';
import '../modules/trust/meetups.schema.js';
import '../modules/trust/social.schema.js';
import '../modules/trust/schema.js';
import '../modules/integrations/schema.js';

/** The whole API, with types and fields sorted as in schema/schema.graphql. */
export const schema = lexicographicSortSchema(builder.toSchema());
