import type { ServiceDeps } from './deps.js';
import type { JobQueue } from './events/jobs.js';
import { createPasswordHasher, type PasswordHasher } from './modules/accounts/passwords.js';
import { createAccountsService } from './modules/accounts/service.js';
import { createExchangesService } from './modules/exchanges/service.js';
import { createGovernanceService } from './modules/governance/service.js';
import { createListingsService } from './modules/listings/service.js';
import { createNetworksService } from './modules/networks/service.js';

/** Every module's use cases, built once per app. Modules reach each other through these. */
export function createServices(deps: ServiceDeps, options: { hasher?: PasswordHasher } = {}) {
  // Networks found their rules through governance; governance applies decisions through
  // networks: the getter breaks the cycle at construction time.
  const networks = createNetworksService(deps, () => governance);
  const governance = createGovernanceService(deps, networks);
  const listings = createListingsService(deps);
  return {
    accounts: createAccountsService(deps, options.hasher ?? createPasswordHasher()),
    exchanges: createExchangesService(deps, networks, listings),
    governance,
    listings,
    networks,
  };
}

export type Services = ReturnType<typeof createServices>;

/** The background work each instance takes part in. */
export async function startWorkers(jobs: JobQueue, services: Services) {
  await jobs.work('proposal.close', ({ proposalId }) => services.governance.closeProposal(proposalId).then(() => {}));
  await jobs.work('listing.expire', ({ listingId }) => services.listings.expire(listingId));
}
