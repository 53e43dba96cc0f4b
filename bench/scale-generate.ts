/**
 * The data of the scale benchmark, made in PostgreSQL by set-based INSERT ... SELECT
 * (generate_series), in one transaction, then VACUUM ANALYZE:
 *
 *   - 100,000 members (names, skills, privacy choices), joined over three years;
 *   - 1,000 networks with skewed sizes (8,000 x rank^-0.65 members: a few of several
 *     thousand, most of a hundred or two, none under 12), a third of them PRIVATE;
 *   - about 2.4 memberships per member (90% active, some pending, left or removed; the
 *     first member and one in 200 are stewards);
 *   - rules (a decision rule and up to four others, each with its first version) and
 *     goals per network;
 *   - 300,000 asks and offers, 1,000,000 exchanges between members of the same network
 *     (mixed statuses, PARTIES or NETWORK visibility; a few members give far more than
 *     most, and most exchanges stay among neighbours), spread over the networks by size;
 *   - ties from the completed exchanges and from meetups attended together, with the
 *     strength of src/modules/trust/rules.ts (pairs stored smaller id first);
 *   - sessions of the last 30 days for two members in three (random tokens nobody
 *     holds: the benchmark signs its viewers in with sessions of its own).
 *
 * Ids are UUIDv7 of each row's creation time and rows go in in time order, as the app
 * would have written them over the years. The ledger, activity and meetups are left
 * empty: no benchmarked read uses them.
 *
 *   npx tsx bench/scale-generate.ts            # fill tiebridge_bench_scale if empty
 *   SCALE_REGENERATE=1 npx tsx bench/scale-generate.ts
 */
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { type ScratchDatabase, scratchDatabase } from './support.js';

export const SIZES = { members: 100_000, networks: 1_000, largest: 8_000, listings: 300_000, exchanges: 1_000_000 };

const TABLES = ['Member', 'Network', 'Membership', 'Rule', 'RuleVersion', 'Goal', 'Listing', 'Exchange', 'Tie', 'Session'] as const;

const list = (items: string[]) => `ARRAY[${items.map((s) => `'${s}'`).join(', ')}]`;
const FIRST = list(['Ada', 'Grace', 'Linus', 'Mira', 'Tomas', 'Ines', 'Kofi', 'Yuki', 'Noor', 'Pavel', 'Lena', 'Omar', 'Sara', 'Jonas', 'Amara', 'Diego', 'Hana', 'Femi', 'Rosa', 'Ivan']);
const LAST = list(['Brandt', 'Okafor', 'Silva', 'Novak', 'Tanaka', 'Haddad', 'Larsen', 'Mensah', 'Rossi', 'Kowalski', 'Nguyen', 'Moreau', 'Costa', 'Fischer', 'Ali', 'Berg']);
const CITIES = list(['Lisbon', 'Leeds', 'Lyon', 'Leipzig', 'Accra', 'Osaka', 'Porto', 'Gdansk', 'Bristol', 'Turin']);
const SKILLS = list(['carpentry', 'cooking', 'tutoring', 'gardening', 'bike repair', 'translation', 'accounting', 'design', 'first aid', 'plumbing', 'childcare', 'coding', 'sewing', 'photography', 'music', 'writing', 'driving', 'electrics', 'painting', 'legal advice']);
const TAGS = list(['garden', 'tools', 'kids', 'food', 'repair', 'bikes', 'books', 'language', 'tax', 'moving', 'computers', 'music', 'sewing', 'elderly', 'pets', 'transport', 'health', 'housing', 'paperwork', 'events', 'cleaning', 'cooking', 'design', 'photos', 'legal', 'energy', 'water', 'art', 'sports', 'school']);
const KINDS = list(['ATTENTION', 'KNOWLEDGE', 'SKILLS', 'CONNECTIONS', 'RESOURCES']);
const THINGS = list(['help moving a sofa', 'a ladder for a weekend', 'an hour of maths tutoring', 'seedlings', 'a bike tune-up', 'proofreading a letter', 'a lift to the station', 'advice on a tax form', 'someone to walk the dog', 'a sewing machine', 'a website review', 'a meal for a family']);

/** The statements, in order; each runs in the one transaction. */
function steps(): [string, string][] {
  const { members, networks, largest, listings, exchanges } = SIZES;
  return [
    [
      'helpers',
      `SET LOCAL work_mem = '256MB';
       SET LOCAL maintenance_work_mem = '512MB';
       SET LOCAL synchronous_commit = off;
       -- The rows are consistent by construction: skip the per-row foreign key triggers.
       SET LOCAL session_replication_role = replica;
       -- A version 7 UUID (RFC 9562) for the given time: 48 bits of Unix milliseconds, then random.
       CREATE FUNCTION pg_temp.uuid7(at timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
         SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
           PLACING substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
       $$;
       CREATE FUNCTION pg_temp.pick(items text[]) RETURNS text LANGUAGE sql VOLATILE AS $$
         SELECT items[1 + floor(random() * array_length(items, 1))::int]
       $$;
       CREATE FUNCTION pg_temp.between(lo timestamptz, hi timestamptz) RETURNS timestamptz LANGUAGE sql VOLATILE AS $$
         SELECT lo + random() * greatest(hi - lo, interval '0')
       $$;`,
    ],
    [
      'members and sessions',
      `CREATE TEMP TABLE scale_member ON COMMIT DROP AS
         SELECT i, at, pg_temp.uuid7(at) AS id
         FROM (SELECT i, now() - interval '1095 days' + (i::float / ${members}) * interval '1080 days' AS at FROM generate_series(1, ${members}) i) s;
       CREATE UNIQUE INDEX ON scale_member (i);
       ANALYZE scale_member;
       INSERT INTO "Member" (id, email, handle, "displayName", bio, location, skills, "passwordHash",
                             "showEmail", "showLocation", "showBio", "shareWithIntegrations", "createdAt", "updatedAt")
       SELECT id, 'm' || i || '@scale.example', 'm' || i, pg_temp.pick(${FIRST}) || ' ' || pg_temp.pick(${LAST}),
              CASE WHEN random() < 0.6 THEN 'Neighbour, happy to help with ' || pg_temp.pick(${SKILLS}) END,
              CASE WHEN random() < 0.5 THEN pg_temp.pick(${CITIES}) END,
              ARRAY(SELECT s FROM unnest(${SKILLS}) s WHERE random() < 0.12 AND m.i > 0),
              'not a password hash', random() < 0.2, random() < 0.4, true, random() < 0.3, at, at
       FROM scale_member m ORDER BY i;
       INSERT INTO "Session" (id, "memberId", "tokenHash", "createdAt", "lastUsedAt", "expiresAt", "revokedAt")
       SELECT pg_temp.uuid7(at), id, sha256(uuid_send(gen_random_uuid())), at, used, at + interval '30 days', CASE WHEN random() < 0.1 THEN used END
       FROM (SELECT id, at, pg_temp.between(at, now()) AS used
             FROM (SELECT m.id, now() - random() * interval '30 days' AS at
                   FROM scale_member m CROSS JOIN LATERAL generate_series(1, CASE WHEN random() < 0.67 THEN 1 + floor(random() * 1.5)::int ELSE 0 END + 0 * m.i) j) s) s
       ORDER BY at`,
    ],
    [
      'networks and memberships',
      // Member j of network r is member ((start + j) x 7919) mod N: distinct within a
      // network (7919 is prime to N), scattered over everyone.
      `CREATE TEMP TABLE scale_network ON COMMIT DROP AS
         SELECT r, size, start, at, pg_temp.uuid7(at) AS id, CASE WHEN r % 3 = 0 THEN 'PRIVATE' ELSE 'PUBLIC' END AS visibility
         FROM (SELECT r, greatest(12, round(${largest} * power(r, -0.65)))::int AS size, floor(random() * ${members})::int AS start,
                      now() - interval '1095 days' + random() * interval '720 days' AS at
               FROM generate_series(1, ${networks}) r) s;
       CREATE TEMP TABLE scale_slot ON COMMIT DROP AS
         SELECT r, k, network_id, member_id, at, status, role,
                CASE WHEN status = 'PENDING' THEN NULL ELSE joined END AS joined,
                CASE WHEN status IN ('LEFT', 'REMOVED') THEN pg_temp.between(joined, now()) END AS ended
         FROM (SELECT n.r, k, n.id AS network_id, m.id AS member_id,
                      CASE WHEN k = 0 OR u < 0.90 THEN 'ACTIVE' WHEN u < 0.93 THEN 'PENDING' WHEN u < 0.99 THEN 'LEFT' ELSE 'REMOVED' END AS status,
                      CASE WHEN k < greatest(1, n.size / 200) THEN 'STEWARD' ELSE 'MEMBER' END AS role,
                      CASE WHEN k = 0 THEN greatest(n.at, m.at) ELSE pg_temp.between(greatest(n.at, m.at), now()) END AS joined,
                      pg_temp.between(greatest(n.at, m.at), now()) AS at
               FROM (SELECT n.*, k, random() AS u FROM scale_network n CROSS JOIN LATERAL generate_series(0, n.size - 1) k) n
               JOIN scale_member m ON m.i = ((n.start + n.k)::bigint * 7919) % ${members} + 1) s;
       INSERT INTO "Network" (id, slug, name, purpose, visibility, "joinPolicy", "createdById", "createdAt", "updatedAt")
       SELECT n.id, 'scale-' || n.r, pg_temp.pick(${CITIES}) || ' ' || pg_temp.pick(ARRAY['Repair Circle', 'Time Bank', 'Commons', 'Mutual Aid', 'Skill Share', 'Food Network']) || ' ' || n.r,
              'Neighbours sharing time, skills and things (' || n.size || ' places).',
              n.visibility::"NetworkVisibility", (CASE WHEN n.r % 4 = 0 THEN 'APPROVAL' ELSE 'OPEN' END)::"JoinPolicy", s.member_id, n.at, n.at
       FROM scale_network n JOIN scale_slot s ON s.r = n.r AND s.k = 0 ORDER BY n.at;
       INSERT INTO "Membership" (id, "memberId", "networkId", role, status, "engagementLevel", "trustLevel", message, "requestedAt", "joinedAt", "endedAt")
       SELECT pg_temp.uuid7(coalesce(joined, at)), member_id, network_id, role::"MembershipRole", status::"MembershipStatus",
              (ARRAY['OBSERVING', 'OBSERVING', 'FOLLOWING', 'FOLLOWING', 'ENDORSING', 'CONTRIBUTING', 'OWNING', 'LEADING'])[1 + floor(random() * 8)::int]::"EngagementLevel",
              floor(power(random(), 2) * 4)::int,
              CASE WHEN status = 'PENDING' THEN 'I live nearby and would like to join.' END,
              coalesce(joined, at), joined, ended
       FROM scale_slot ORDER BY coalesce(joined, at);
       CREATE TEMP TABLE scale_eligible ON COMMIT DROP AS
         SELECT r, (row_number() OVER (PARTITION BY r ORDER BY k) - 1)::int AS e, network_id, member_id, joined, coalesce(ended, now()) AS until
         FROM scale_slot WHERE status <> 'PENDING';
       CREATE UNIQUE INDEX ON scale_eligible (r, e);
       ANALYZE scale_network;
       ANALYZE scale_slot;
       ANALYZE scale_eligible;
       CREATE TEMP TABLE scale_count ON COMMIT DROP AS
         SELECT r, n, visibility,
                (round(cum * ${listings}.0 / total) - round((cum - n) * ${listings}.0 / total))::int AS listings,
                (round(cum * ${exchanges}.0 / total) - round((cum - n) * ${exchanges}.0 / total))::int AS exchanges
         FROM (SELECT c.r, c.n, nw.visibility, sum(c.n) OVER (ORDER BY c.r) AS cum, sum(c.n) OVER () AS total
               FROM (SELECT r, count(*)::int AS n FROM scale_eligible GROUP BY r) c JOIN scale_network nw USING (r)) c;
       ANALYZE scale_count`,
    ],
    [
      'rules and goals',
      `INSERT INTO "Rule" (id, "networkId", kind, title, body, "decisionMethod", quorum, "votingPeriodHours", "createdAt", "updatedAt")
       SELECT pg_temp.uuid7(at), network_id, kind::"RuleKind", title, body, method::"DecisionMethod", quorum, hours, at, at FROM (
         SELECT id AS network_id, at, 'DECISION_MAKING' AS kind, 'How we decide' AS title, 'Proposals pass by the method below.' AS body,
                (ARRAY['MAJORITY', 'MAJORITY', 'SUPERMAJORITY', 'CONSENSUS'])[1 + r % 4] AS method, 0.5::float AS quorum, 72 AS hours
         FROM scale_network
         UNION ALL
         SELECT id, pg_temp.between(at, now()), CASE WHEN j % 2 = 0 THEN 'PARTICIPATION' ELSE 'CONDUCT' END,
                pg_temp.pick(ARRAY['Be kind', 'Show up', 'Give before you ask', 'Keep promises', 'Ask for help early', 'Respect privacy']),
                'We agreed this together; see the proposal for the discussion.', NULL, NULL, NULL
         FROM scale_network CROSS JOIN LATERAL generate_series(1, 1 + (r * 7) % 4) j) s ORDER BY at;
       INSERT INTO "RuleVersion" (id, "ruleId", version, title, body, "decisionMethod", quorum, "votingPeriodHours", "createdAt")
       SELECT pg_temp.uuid7("createdAt"), id, 1, title, body, "decisionMethod", quorum, "votingPeriodHours", "createdAt" FROM "Rule" ORDER BY "createdAt";
       INSERT INTO "Goal" (id, "networkId", title, status, "createdAt", "updatedAt")
       SELECT pg_temp.uuid7(at), network_id, title, status::"GoalStatus", at, at FROM (
         SELECT id AS network_id, pg_temp.between(at, now()) AS at,
                pg_temp.pick(ARRAY['A tool library', 'Fifty exchanges a month', 'A repair café', 'Meet every season', 'Welcome ten new members']) AS title,
                pg_temp.pick(ARRAY['PROPOSED', 'ACTIVE', 'ACTIVE', 'ACHIEVED', 'DROPPED']) AS status
         FROM scale_network CROSS JOIN LATERAL generate_series(1, (r * 5) % 6) j) s ORDER BY at`,
    ],
    [
      'asks and offers',
      `INSERT INTO "Listing" (id, "networkId", "authorId", type, kind, title, description, tags, status, visibility, "expiresAt", "createdAt", "updatedAt")
       SELECT pg_temp.uuid7(at), network_id, member_id, type::"ListingType", pg_temp.pick(${KINDS})::"ContributionKind",
              initcap(lower(type)) || ': ' || pg_temp.pick(${THINGS}),
              CASE WHEN random() < 0.5 THEN 'Evenings and weekends are best.' END,
              ARRAY(SELECT t FROM unnest(${TAGS}) t WHERE random() < 0.07 AND l.u IS NOT NULL LIMIT 5),
              status::"ListingStatus",
              (CASE WHEN visibility = 'PUBLIC' AND random() < 0.2 THEN 'PUBLIC' ELSE 'NETWORK' END)::"ListingVisibility",
              CASE WHEN status = 'EXPIRED' OR (status = 'OPEN' AND random() < 0.3) THEN at + interval '60 days' END,
              at, at
       FROM (SELECT e.network_id, e.member_id, x.visibility, x.u, pg_temp.between(e.joined, e.until) AS at,
                    CASE WHEN x.u < 0.5 THEN 'ASK' ELSE 'OFFER' END AS type,
                    (ARRAY['OPEN', 'OPEN', 'OPEN', 'OPEN', 'MATCHED', 'FULFILLED', 'FULFILLED', 'CLOSED', 'CLOSED', 'EXPIRED'])[1 + floor(random() * 10)::int] AS status
             FROM (SELECT c.r, c.visibility, floor(random() * c.n)::int AS pick, random() AS u
                   FROM scale_count c CROSS JOIN LATERAL generate_series(1, c.listings) j) x
             JOIN scale_eligible e ON e.r = x.r AND e.e = x.pick) l
       ORDER BY at`,
    ],
    [
      'exchanges',
      // The giver is skewed towards the first members of a network (a few give a lot);
      // three in four receivers are among the giver's 40 neighbours, the rest anyone.
      `INSERT INTO "Exchange" (id, "networkId", "giverId", "receiverId", "proposerId", kind, description, measure, "measureUnit", status, visibility,
                               "createdAt", "respondedAt", "completedAt", "cancelledAt", "giverConfirmedAt", "receiverConfirmedAt", "giverGratitude", "receiverGratitude")
       SELECT pg_temp.uuid7(at), network_id, giver_id, receiver_id, CASE WHEN random() < 0.5 THEN giver_id ELSE receiver_id END,
              pg_temp.pick(${KINDS})::"ContributionKind", CASE WHEN random() < 0.5 THEN pg_temp.pick(${THINGS}) END,
              CASE WHEN unit IS NOT NULL THEN 1 + floor(random() * 8) END, unit::"MeasureUnit",
              status::"ExchangeStatus", (CASE WHEN random() < 0.3 THEN 'NETWORK' ELSE 'PARTIES' END)::"ExchangeVisibility",
              at, responded, completed, CASE WHEN status = 'CANCELLED' THEN least(now(), at + random() * interval '5 days') END,
              CASE WHEN completed IS NOT NULL AND random() < 0.8 THEN least(now(), completed + random() * interval '3 days') END,
              CASE WHEN completed IS NOT NULL AND random() < 0.7 THEN least(now(), completed + random() * interval '3 days') END,
              CASE WHEN completed IS NOT NULL AND random() < 0.3 THEN 'Thank you!' END,
              CASE WHEN completed IS NOT NULL AND random() < 0.4 THEN 'That made my week.' END
       FROM (SELECT *, CASE WHEN status = 'COMPLETED' THEN least(now(), responded + random() * interval '14 days') END AS completed
             FROM (SELECT *, CASE WHEN status <> 'PROPOSED' THEN least(now(), at + random() * interval '2 days') END AS responded
                   FROM (SELECT g.network_id, g.member_id AS giver_id, v.member_id AS receiver_id,
                                pg_temp.between(greatest(g.joined, v.joined), least(g.until, v.until)) AS at,
                                (ARRAY['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'CANCELLED', 'DECLINED', 'ACCEPTED', 'PROPOSED'])[1 + floor(random() * 10)::int] AS status,
                                (ARRAY['HOURS', 'HOURS', 'HOURS', 'HOURS', 'HOURS', 'HOURS', 'HOURS', 'UNITS', 'UNITS', NULL])[1 + floor(random() * 10)::int] AS unit
                         FROM (SELECT r, g, (g + 1 + CASE WHEN near < 0.75 THEN floor(d * least(n - 1, 40)) ELSE floor(d * (n - 1)) END)::int % n AS v
                               FROM (SELECT c.r, c.n, floor(c.n * power(random(), 2))::int AS g, random() AS near, random() AS d
                                     FROM scale_count c CROSS JOIN LATERAL generate_series(1, c.exchanges) j) p) p
                         JOIN scale_eligible g ON g.r = p.r AND g.e = p.g
                         JOIN scale_eligible v ON v.r = p.r AND v.e = p.v) x) x) x
       ORDER BY at`,
    ],
    [
      'ties',
      // A tie per pair that completed an exchange or attended meetups together (each
      // member with up to five neighbours), strength as in src/modules/trust/rules.ts.
      `CREATE TEMP TABLE scale_pair ON COMMIT DROP AS
         SELECT "networkId" AS network_id, least("giverId", "receiverId") AS a, greatest("giverId", "receiverId") AS b,
                ("giverId" < "receiverId")::int AS atob, ("giverId" > "receiverId")::int AS btoa, 0 AS meetups, "completedAt" AS at
         FROM "Exchange" WHERE status = 'COMPLETED'
         UNION ALL
         SELECT e1.network_id, least(e1.member_id, e2.member_id), greatest(e1.member_id, e2.member_id), 0, 0, m.meetups,
                pg_temp.between(greatest(e1.joined, e2.joined), least(e1.until, e2.until))
         FROM (SELECT e.r, e.e, c.n, d, 1 + floor(random() * 4)::int AS meetups
               FROM scale_eligible e JOIN scale_count c USING (r) CROSS JOIN LATERAL generate_series(1, floor(random() * 6)::int + 0 * e.e) d) m
         JOIN scale_eligible e1 ON e1.r = m.r AND e1.e = m.e
         JOIN scale_eligible e2 ON e2.r = m.r AND e2.e = (m.e + m.d) % m.n
         WHERE e1.member_id <> e2.member_id;
       ANALYZE scale_pair;
       INSERT INTO "Tie" ("networkId", "memberAId", "memberBId", "meetupsTogether", "exchangesAToB", "exchangesBToA", "vouchAToB", "vouchBToA",
                          "introductionsAccepted", strength, "firstInteractionAt", "lastInteractionAt", "updatedAt")
       SELECT network_id, a, b, meetups, atob, btoa, vouch_a, vouch_b, 0,
              0.4 * (1 - exp(-(meetups + atob + btoa) / 4.0))
              + 0.3 * least(1, 0.35 * (vouch_a::int + vouch_b::int))
              + 0.3 * (1 - exp(-(atob + btoa) / 3.0)) * CASE WHEN atob > 0 AND btoa > 0 THEN 1 ELSE 0.6 END,
              first_at, last_at, last_at
       FROM (SELECT network_id, a, b, sum(meetups)::int AS meetups, sum(atob)::int AS atob, sum(btoa)::int AS btoa,
                    min(at) AS first_at, max(at) AS last_at, random() < 0.1 AS vouch_a, random() < 0.1 AS vouch_b
             FROM scale_pair GROUP BY network_id, a, b) t
       ORDER BY last_at`,
    ],
  ];
}

/** Rows per table, in the order of TABLES. */
export async function rowCounts(pool: pg.Pool): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = Number((await pool.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
  return counts;
}

/** Replaces the data of the database with a fresh set of SIZES, printing each step's time. */
export async function generate(pool: pg.Pool): Promise<void> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(', ')} CASCADE`);
    for (const [label, sql] of steps()) {
      const at = performance.now();
      await client.query(sql);
      console.log(`  ${label}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
    }
    await client.query('COMMIT');
    const at = performance.now();
    await client.query('VACUUM (ANALYZE)');
    console.log(`  vacuum and analyze: ${((performance.now() - at) / 1000).toFixed(1)} s`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  console.log(`Generated in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

/**
 * The kept database `tiebridge_bench_scale`, filled when it is empty (or always with
 * SCALE_REGENERATE=1). Prints what it did, how long it took and the row counts.
 */
export async function scaleDatabase(): Promise<ScratchDatabase> {
  const database = await scratchDatabase('scale', { keep: true });
  const { pool } = database;
  const members = Number((await pool.query('SELECT count(*) AS n FROM "Member"')).rows[0].n);
  if (members > 0 && process.env.SCALE_REGENERATE !== '1') {
    console.log(`Reusing ${database.url} (SCALE_REGENERATE=1 makes it again).`);
  } else {
    console.log(`Generating the scale data in ${database.url}...`);
    await generate(pool);
  }
  const counts = await rowCounts(pool);
  console.log(`Rows: ${Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}`);
  return database;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const database = await scaleDatabase();
  await database.drop();
}
