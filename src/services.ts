import type { ServiceDeps } from './deps.js';
import { createPasswordHasher, type PasswordHasher } from './modules/accounts/passwords.js';
import { createAccountsService } from './modules/accounts/service.js';
import { createGovernanceService } from './modules/governance/service.js';
import { createNetworksService } from './modules/networks/service.js';

/** Every module's use cases, built once per app. Modules reach each other through these. */
export function createServices(deps: ServiceDeps, options: { hasher?: PasswordHasher } = {}) {
  const governance = createGovernanceService(deps);
  return {
    accounts: createAccountsService(deps, options.hasher ?? createPasswordHasher()),
    governance,
    networks: createNetworksService(deps, governance),
  };
}

export type Services = ReturnType<typeof createServices>;
