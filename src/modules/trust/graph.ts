/**
 * The network as a graph of ties: clusters (Louvain) and connectors (betweenness), on
 * graphology. Pure: takes members and ties, returns results.
 */
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import seedrandom from 'seedrandom';

// These CommonJS packages export a function as module.exports, while their types declare
// an ES default export; NodeNext types the default import as the module, so re-type it.
const louvain = louvainModule as unknown as typeof louvainModule.default;
const betweennessCentrality = betweennessModule as unknown as typeof betweennessModule.default;

/** Betweenness is exact (Brandes, O(nodes x edges)) up to this many members with ties;
 * above it connectors are ranked by their participation across clusters instead. */
export const EXACT_BETWEENNESS_MAX_NODES = 2500;
/** Share of a connector's score from bridging; the rest from introductions that led to exchanges. */
export const BRIDGING_WEIGHT = 0.8;
/** Introductions that led to an exchange needed for the full introduction share. */
export const INTRODUCTIONS_FOR_FULL_SCORE = 3;

export type GraphTie = { a: string; b: string; strength: number };

function tieGraph(ties: GraphTie[]) {
  const graph = new UndirectedGraph<Record<string, unknown>, { strength: number; distance: number }>();
  for (const { a, b, strength } of ties) {
    if (strength <= 0) continue;
    graph.mergeNode(a);
    graph.mergeNode(b);
    // Strong ties are short: shortest paths run along them.
    graph.mergeEdge(a, b, { strength, distance: 1 / strength });
  }
  return graph;
}

/** A cluster number for every member; members without ties get a cluster of their own.
 * Deterministic for the same input (seeded random source). */
export function clusters(memberIds: string[], ties: GraphTie[]): Map<string, number> {
  const graph = tieGraph(ties);
  const found = graph.order ? louvain(graph, { getEdgeWeight: 'strength', rng: seedrandom('tiebridge') }) : {};
  // Renumber by size, largest first, so numbers are stable and meaningful.
  const sizes = new Map<number, number>();
  for (const c of Object.values(found) as number[]) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const order = [...sizes.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([c]) => c);
  const renumber = new Map(order.map((c, i) => [c, i]));
  const result = new Map<string, number>();
  let next = order.length;
  for (const id of memberIds) result.set(id, id in found ? renumber.get(found[id]!)! : next++);
  return result;
}

export type ConnectorScore = { memberId: string; score: number; reasons: string[] };

/**
 * Members ranked by how much they bridge clusters: normalised betweenness (or, above
 * EXACT_BETWEENNESS_MAX_NODES, the participation coefficient 1 - sum over clusters of the
 * squared share of tie strength into each), plus introductions that led to exchanges.
 */
export function connectors(
  ties: GraphTie[],
  clusterOf: Map<string, number>,
  introductionsWithExchange: Map<string, number>,
): { ranked: ConnectorScore[]; exact: boolean } {
  const graph = tieGraph(ties);
  const exact = graph.order <= EXACT_BETWEENNESS_MAX_NODES;
  const bridging: Record<string, number> = {};
  if (exact) {
    const raw = graph.order > 2 ? betweennessCentrality(graph, { getEdgeWeight: 'distance', normalized: true }) : {};
    const max = Math.max(0, ...Object.values(raw));
    for (const node of graph.nodes()) bridging[node] = max > 0 ? (raw[node] ?? 0) / max : 0;
  } else {
    graph.forEachNode((node) => {
      const byCluster = new Map<number, number>();
      let total = 0;
      graph.forEachEdge(node, (_e, attributes, source, target) => {
        const other = source === node ? target : source;
        const c = clusterOf.get(other) ?? -1;
        byCluster.set(c, (byCluster.get(c) ?? 0) + attributes.strength);
        total += attributes.strength;
      });
      bridging[node] = total > 0 ? 1 - [...byCluster.values()].reduce((acc, w) => acc + (w / total) ** 2, 0) : 0;
    });
  }
  const members = new Set([...graph.nodes(), ...introductionsWithExchange.keys()]);
  const ranked: ConnectorScore[] = [];
  for (const memberId of members) {
    const introductions = introductionsWithExchange.get(memberId) ?? 0;
    const bridge = bridging[memberId] ?? 0;
    const score = BRIDGING_WEIGHT * bridge + (1 - BRIDGING_WEIGHT) * Math.min(1, introductions / INTRODUCTIONS_FOR_FULL_SCORE);
    if (score <= 0) continue;
    const reasons: string[] = [];
    if (graph.hasNode(memberId)) {
      const own = clusterOf.get(memberId);
      const reached = new Set<number>();
      graph.forEachNeighbor(memberId, (other) => {
        const c = clusterOf.get(other);
        if (c !== undefined && c !== own) reached.add(c);
      });
      if (reached.size) reasons.push(`Has ties into ${reached.size} other cluster${reached.size > 1 ? 's' : ''}`);
      if (bridge > 0) reasons.push(exact ? `Lies on ${Math.round(bridge * 100)}% as many shortest paths as the top connector` : `Spreads ${Math.round(bridge * 100)}% of tie strength across clusters`);
    }
    if (introductions) reasons.push(`${introductions} introduction${introductions > 1 ? 's' : ''} led to an exchange`);
    ranked.push({ memberId, score: Math.round(score * 1000) / 1000, reasons });
  }
  ranked.sort((x, y) => y.score - x.score || (x.memberId < y.memberId ? -1 : 1));
  return { ranked, exact };
}
