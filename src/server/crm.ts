import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import { createContext, readerOf } from '../graphql/context.js';
import { log } from '../log.js';

/** GET /networks/<slug>/members.csv (or .json): the consented CRM export. */
export const CRM_PATH = /^\/networks\/([a-z0-9-]{1,60})\/members\.(csv|json)$/;

function refuse(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: message }));
}

/**
 * Streams the network's consenting members to a steward (session token) or one of its
 * integrations (API token), a batch at a time, so large networks need little memory.
 */
export async function crmExport(app: App, req: IncomingMessage, res: ServerResponse, slug: string, format: 'csv' | 'json') {
  const context = await createContext(
    { db: app.database.prisma, services: app.services, events: app.events, rateLimits: app.rateLimits },
    req.headers.authorization,
  );
  if (!context.viewer && !context.integration) return refuse(res, 401, 'Send a steward session or an API token as Authorization: Bearer <token>.');
  const network = await app.services.networks.findVisibleBySlug(readerOf(context), slug);
  if (!network) return refuse(res, 404, 'No such network.');
  if (!(await app.services.privacy.canExportCrm(context, network.id))) return refuse(res, 403, "Only the network's stewards and integrations can export it.");
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${slug}-members.${format}"`,
    'cache-control': 'no-store',
  });
  try {
    const chunks = format === 'csv' ? app.services.privacy.crmCsv(network.id) : app.services.privacy.crmJson(network.id);
    for await (const chunk of chunks) {
      if (!res.write(chunk)) await once(res, 'drain');
    }
  } catch (error) {
    log.error({ err: error }, 'CRM export failed');
    res.destroy(error as Error);
    return;
  }
  res.end();
}
