/**
 * The physical baseline of the nested read: a bare `node:http` handler that answers the
 * portal's network page with hand-written SQL through `pg`, doing what the API must do
 * and nothing more (the session looked up by its token's hash, the network by slug with
 * the same visibility rule, the three lists with the same visibility rules, in parallel).
 * Run as a process of its own by bench/nested-read.ts, like the server it is compared to.
 *
 *   DATABASE_URL=postgresql://... PORT=4100 tsx bench/baseline-server.ts
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });

const SESSION = `SELECT "memberId" FROM "Session" WHERE "tokenHash" = $1 AND "revokedAt" IS NULL AND "expiresAt" > now()`;
const NETWORK = `SELECT n.id, EXISTS (SELECT 1 FROM "Membership" s WHERE s."networkId" = n.id AND s."memberId" = $2 AND s.status = 'ACTIVE' AND s.role = 'STEWARD') AS steward,
  EXISTS (SELECT 1 FROM "Membership" s WHERE s."networkId" = n.id AND s."memberId" = $2 AND s.status = 'ACTIVE') AS member
  FROM "Network" n WHERE n.slug = $1 AND (n.visibility = 'PUBLIC' OR EXISTS (SELECT 1 FROM "Membership" s WHERE s."networkId" = n.id AND s."memberId" = $2 AND s.status = 'ACTIVE'))`;
const MEMBERS = `SELECT m."displayName", m.skills FROM "Membership" s JOIN "Member" m ON m.id = s."memberId"
  WHERE s."networkId" = $1 AND s.status = 'ACTIVE' ORDER BY s.id LIMIT 50`;
const OFFERS = `SELECT a.handle FROM "Listing" l JOIN "Member" a ON a.id = l."authorId"
  WHERE l."networkId" = $1 AND l.type = 'OFFER' AND ($2 OR l."authorId" = $3 OR l.visibility = 'PUBLIC') ORDER BY l.id DESC LIMIT 50`;
const EXCHANGES = `SELECT g.handle AS giver, r.handle AS receiver FROM "Exchange" e JOIN "Member" g ON g.id = e."giverId" JOIN "Member" r ON r.id = e."receiverId"
  WHERE e."networkId" = $1 AND ($2 OR e."giverId" = $3 OR e."receiverId" = $3 OR ($4 AND e.visibility = 'NETWORK')) ORDER BY e.id DESC LIMIT 50`;

async function answer(slug: string, token: string | null) {
  let viewer: string | null = null;
  if (token) {
    const session = await pool.query(SESSION, [createHash('sha256').update(token).digest()]);
    viewer = (session.rows[0]?.memberId as string | undefined) ?? null;
  }
  const network = (await pool.query(NETWORK, [slug.trim().toLowerCase(), viewer])).rows[0] as { id: string; steward: boolean; member: boolean } | undefined;
  if (!network) return { data: { network: null } };
  const [members, offers, exchanges] = await Promise.all([
    pool.query(MEMBERS, [network.id]),
    pool.query(OFFERS, [network.id, network.member, viewer]),
    pool.query(EXCHANGES, [network.id, network.steward, viewer, network.member]),
  ]);
  return {
    data: {
      network: {
        members: { edges: members.rows.map((m) => ({ node: { member: { displayName: m.displayName, skills: m.skills } } })) },
        offers: { edges: offers.rows.map((o) => ({ node: { author: { handle: o.handle } } })) },
        exchanges: { edges: exchanges.rows.map((e) => ({ node: { giver: { handle: e.giver }, receiver: { handle: e.receiver } } })) },
      },
    },
  };
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as { variables: { slug: string } };
      const token = request.headers.authorization?.replace(/^Bearer /, '') ?? null;
      const body = JSON.stringify(await answer(variables.slug, token));
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
});
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
