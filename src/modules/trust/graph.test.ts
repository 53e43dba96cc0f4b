import { describe, expect, it } from 'vitest';
import { clusters, connectors } from './graph.js';

// Two triangles joined through one member: x bridges {a, b, c} and {d, e, f}.
const ties = [
  { a: 'a', b: 'b', strength: 0.8 },
  { a: 'b', b: 'c', strength: 0.8 },
  { a: 'a', b: 'c', strength: 0.8 },
  { a: 'd', b: 'e', strength: 0.8 },
  { a: 'e', b: 'f', strength: 0.8 },
  { a: 'd', b: 'f', strength: 0.8 },
  { a: 'c', b: 'x', strength: 0.3 },
  { a: 'x', b: 'd', strength: 0.3 },
];
const members = ['a', 'b', 'c', 'd', 'e', 'f', 'x', 'loner'];

describe('clusters', () => {
  it('separates the two triangles and gives a member without ties a cluster of their own', () => {
    const found = clusters(members, ties);
    expect(found.get('a')).toBe(found.get('b'));
    expect(found.get('b')).toBe(found.get('c'));
    expect(found.get('d')).toBe(found.get('e'));
    expect(found.get('a')).not.toBe(found.get('d'));
    expect([...found.values()].filter((c) => c === found.get('loner'))).toHaveLength(1);
  });

  it('is the same every time for the same ties', () => {
    expect([...clusters(members, ties)]).toEqual([...clusters(members, ties)]);
  });
});

describe('connectors', () => {
  it('ranks the member on the only path between the clusters first, with reasons', () => {
    const found = clusters(members, ties);
    const { ranked, exact } = connectors(ties, found, new Map());
    expect(exact).toBe(true);
    expect(ranked[0]!.memberId).toBe('x');
    expect(ranked[0]!.score).toBe(0.8);
    expect(ranked[0]!.reasons[0]).toMatch(/Has ties into [12] other cluster/);
    expect(ranked.find((r) => r.memberId === 'a')).toBeUndefined();
  });

  it('adds introductions that led to exchanges', () => {
    const found = clusters(members, ties);
    const { ranked } = connectors(ties, found, new Map([['a', 3]]));
    expect(ranked.find((r) => r.memberId === 'a')).toEqual({ memberId: 'a', score: 0.2, reasons: ['3 introductions led to an exchange'] });
  });
});
