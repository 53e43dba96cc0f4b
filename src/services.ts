import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ServiceDeps } from './deps.js';
import { createDeliveryReads } from './events/deliveries.js';
import type { JobQueue } from './events/jobs.js';
import { createPasswordHasher, type PasswordHasher } from './modules/accounts/passwords.js';
import { createAccountsService } from './modules/accounts/service.js';
import { createExchangesService } from './modules/exchanges/service.js';
import { createGovernanceService } from './modules/governance/service.js';
import { createPrivacyService } from './modules/integrations/privacy.service.js';
import { createIntegrationsService } from './modules/integrations/service.js';
import { createListingsService } from './modules/listings/service.js';
import { createNetworksService } from './modules/networks/service.js';
import { createMeetupsService } from './modules/trust/meetups.service.js';
import { createTrustService } from './modules/trust/service.js';
import { createSocialService } from './modules/trust/social.service.js';

/** Every module's use cases, built once per app. Modules reach each other through these. */
export function createServices(deps: ServiceDeps, options: { hasher?: PasswordHasher; fetch?: typeof fetch } = {}) {
  // Networks found their rules through governance; governance applies decisions through
  // networks: the getter breaks the cycle at construction time.
  const networks = createNetworksService(deps, () => governance);
  const trust = createTrustService(deps, networks);
  const governance = createGovernanceService(deps, networks, trust);
  const listings = createListingsService(deps, trust.tieSignals);
  const accounts = createAccountsService(deps, options.hasher ?? createPasswordHasher());
  return {
    accounts,
    deliveries: createDeliveryReads(deps.db),
    integrations: createIntegrationsService(deps, networks, encodeGlobalID, options.fetch),
    privacy: createPrivacyService(deps, accounts, networks, encodeGlobalID),
    exchanges: createExchangesService(deps, networks, listings, trust),
    governance,
    listings,
    meetups: createMeetupsService(deps, networks, trust),
    networks,
    social: createSocialService(deps, networks, trust),
    trust,
    /** The clock the services run on (tests move it). */
    now: deps.now,
  };
}

export type Services = ReturnType<typeof createServices>;

/** The background work each instance takes part in. */
export async function startWorkers(jobs: JobQueue, services: Services) {
  await jobs.work('proposal.close', ({ proposalId }) => services.governance.closeProposal(proposalId).then(() => {}));
  await jobs.work('listing.expire', ({ listingId }) => services.listings.expire(listingId));
  await jobs.work('trust.daily', () => services.trust.recomputeAll());
  await jobs.work('webhook.deliver', ({ deliveryId }, attempt) => services.integrations.deliver(deliveryId, attempt));
}
