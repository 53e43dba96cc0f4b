import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { useMemo } from 'react';
import { Link } from 'wouter';
import { useQuery } from 'urql';
import { Empty, formatDate, labelOf, Loading, Problems } from '../components/ui';
import { graphql } from '../graphql';
import type { EngagementLevel, PortalDashboardQuery } from '../graphql/graphql';

const LEVELS: EngagementLevel[] = ['OBSERVING', 'FOLLOWING', 'ENDORSING', 'CONTRIBUTING', 'OWNING', 'LEADING'];
/** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
const CLUSTER_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

const DashboardQuery = graphql(`
  query PortalDashboard($slug: String!) {
    network(slug: $slug) {
      id name slug
      viewerMembership { role status }
      engagementPortfolio {
        levels { level count }
        strongTies
        weakTies
        readyToMoveUp { reason suggestedLevel membership { id engagementLevel member { id handle displayName } } }
        coolingTies { strength peakStrength lastInteractionAt memberA { handle } memberB { handle } }
      }
      map {
        computedAt
        nodes { cluster engagementLevel member { id handle displayName } }
        edges { source target strength }
      }
      connectors(first: 5) { score reasons member { id handle displayName } }
    }
  }
`);

type Network = NonNullable<PortalDashboardQuery['network']>;

export function DashboardPage({ slug }: { slug: string }) {
  const [{ data, fetching, error }] = useQuery({ query: DashboardQuery, variables: { slug }, requestPolicy: 'cache-and-network' });
  if (fetching && !data) return <Loading what="the dashboard" />;
  const network = data?.network;
  if (!network) {
    return (
      <>
        <Problems failure={error} />
        <section className="card">
          <h1>Dashboard unavailable</h1>
          <p>
            Only the network's stewards see its dashboard. <Link href={`/n/${slug}`}>Back to the network</Link>
          </p>
        </section>
      </>
    );
  }
  const portfolio = network.engagementPortfolio;
  return (
    <>
      <header className="network-header">
        <div>
          <p className="meta">
            <Link href={`/n/${network.slug}`}>{network.name}</Link> / steward dashboard
          </p>
          <h1>How {network.name} is doing</h1>
        </div>
      </header>
      <Problems failure={error} />
      <div className="dashboard">
        <section className="card" aria-labelledby="portfolio-title">
          <h2 id="portfolio-title">Engagement</h2>
          <BarChart
            label="Members per engagement level"
            bars={LEVELS.map((level) => ({ label: labelOf(level), value: portfolio.levels.find((l) => l.level === level)?.count ?? 0 }))}
          />
          <h3>Ties</h3>
          <BarChart
            label="Weak and strong ties"
            bars={[
              { label: 'Weak', value: portfolio.weakTies },
              { label: 'Strong', value: portfolio.strongTies },
            ]}
          />
        </section>
        <section className="card" aria-labelledby="ready-title">
          <h2 id="ready-title">Ready to move up</h2>
          {portfolio.readyToMoveUp.length === 0 ? (
            <Empty>Nobody's behaviour suggests a higher level yet.</Empty>
          ) : (
            <ul>
              {portfolio.readyToMoveUp.map((r) => (
                <li key={r.membership.id}>
                  <strong>{r.membership.member.displayName}</strong> (@{r.membership.member.handle}): {labelOf(r.membership.engagementLevel)} → {labelOf(r.suggestedLevel)}
                  <br />
                  <span className="meta">{r.reason}</span>
                </li>
              ))}
            </ul>
          )}
          <h2>Cooling ties</h2>
          {portfolio.coolingTies.length === 0 ? (
            <Empty>No strong tie is cooling.</Empty>
          ) : (
            <ul>
              {portfolio.coolingTies.map((t) => (
                <li key={`${t.memberA.handle}:${t.memberB.handle}`}>
                  @{t.memberA.handle} and @{t.memberB.handle}: {t.strength.toFixed(2)} (was {t.peakStrength.toFixed(2)}), last together {formatDate(t.lastInteractionAt)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card map-card" aria-labelledby="map-title">
          <h2 id="map-title">Network map</h2>
          <NetworkMap map={network.map} connectors={network.connectors} />
        </section>
        <section className="card" aria-labelledby="connectors-title">
          <h2 id="connectors-title">Top connectors</h2>
          {network.connectors.length === 0 ? (
            <Empty>Nobody bridges parts of the network yet.</Empty>
          ) : (
            <ol>
              {network.connectors.map((c) => (
                <li key={c.member.id}>
                  <strong>{c.member.displayName}</strong> (@{c.member.handle}) <span className="meta">score {c.score.toFixed(2)}</span>
                  <br />
                  <span className="meta">{c.reasons.join('; ')}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </>
  );
}

/** Horizontal bars with their numbers written out; the figure is described for screen readers. */
function BarChart({ label, bars }: { label: string; bars: { label: string; value: number }[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 28;
  return (
    <svg className="bars" viewBox={`0 0 320 ${bars.length * row}`} role="img" aria-label={`${label}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}`}>
      {bars.map((b, i) => (
        <g key={b.label} transform={`translate(0 ${i * row})`}>
          <text x="0" y="18" className="bars__label">
            {b.label}
          </text>
          <rect x="100" y="6" height="16" width={(190 * b.value) / max} rx="3" className="bars__bar" />
          <text x={106 + (190 * b.value) / max} y="18" className="bars__value">
            {b.value}
          </text>
        </g>
      ))}
    </svg>
  );
}

/**
 * Members as nodes (colour: cluster, size: engagement level), ties as edges (width:
 * strength), top connectors ringed. Laid out by ForceAtlas2 from a deterministic start,
 * drawn as SVG so that it scales and can be read by assistive technology.
 */
function NetworkMap({ map, connectors }: { map: Network['map']; connectors: Network['connectors'] }) {
  const size = 600;
  const layout = useMemo(() => {
    const graph = new Graph({ type: 'undirected' });
    map.nodes.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, map.nodes.length);
      graph.addNode(n.member.id, { x: Math.cos(angle) * 100 + n.cluster * 7, y: Math.sin(angle) * 100 - n.cluster * 5 });
    });
    for (const e of map.edges) {
      if (graph.hasNode(e.source) && graph.hasNode(e.target) && !graph.hasEdge(e.source, e.target)) graph.addEdge(e.source, e.target, { weight: e.strength });
    }
    if (graph.order > 1) forceAtlas2.assign(graph, { iterations: 150, settings: { ...forceAtlas2.inferSettings(graph), edgeWeightInfluence: 1, gravity: 2, strongGravityMode: true } });
    const xs = graph.mapNodes((_, a) => a.x as number);
    const ys = graph.mapNodes((_, a) => a.y as number);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = (v: number, min: number, max: number) => (max - min < 1e-9 ? size / 2 : 40 + ((v - min) / (max - min)) * (size - 80));
    const position = new Map(graph.mapNodes((id, a) => [id, { x: scale(a.x as number, minX, maxX), y: scale(a.y as number, minY, maxY) }] as const));
    return position;
  }, [map]);

  if (map.nodes.length === 0) return <Empty>No active members to draw yet.</Empty>;
  const top = new Set(connectors.map((c) => c.member.id));
  const clusters = [...new Set(map.nodes.map((n) => n.cluster))].sort((a, b) => a - b);
  return (
    <figure className="map">
      <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-labelledby="map-desc" data-testid="network-map" data-node-count={map.nodes.length}>
        <desc id="map-desc">
          {map.nodes.length} members in {clusters.length} clusters, {map.edges.length} ties. Listed below the map.
        </desc>
        <g className="map__edges">
          {map.edges.map((e) => {
            const a = layout.get(e.source);
            const b = layout.get(e.target);
            if (!a || !b) return null;
            return <line key={`${e.source}-${e.target}`} x1={a.x} y1={a.y} x2={b.x} y2={b.y} strokeWidth={0.5 + 3 * e.strength} strokeOpacity={0.25 + 0.6 * e.strength} />;
          })}
        </g>
        <g className="map__nodes">
          {map.nodes.map((n) => {
            const p = layout.get(n.member.id)!;
            const r = 6 + 2.5 * LEVELS.indexOf(n.engagementLevel);
            return (
              <g key={n.member.id} className={`map__node${top.has(n.member.id) ? ' map__node--connector' : ''}`} transform={`translate(${p.x} ${p.y})`}>
                <title>{`${n.member.displayName} (@${n.member.handle}), ${labelOf(n.engagementLevel)}, cluster ${n.cluster + 1}${top.has(n.member.id) ? ', top connector' : ''}`}</title>
                {top.has(n.member.id) && <circle r={r + 5} className="map__ring" />}
                <circle r={r} fill={CLUSTER_COLOURS[Math.max(0, n.cluster) % CLUSTER_COLOURS.length]} data-node={n.member.handle} />
                <text y={-r - 4}>{n.member.handle}</text>
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption>
        <ul className="legend">
          {clusters.map((c) => (
            <li key={c}>
              <span className="swatch" style={{ background: CLUSTER_COLOURS[Math.max(0, c) % CLUSTER_COLOURS.length] }} /> Cluster {c + 1}
            </li>
          ))}
          <li>
            <span className="swatch swatch--ring" /> Top connector
          </li>
          <li>Larger: more engaged</li>
        </ul>
        <details>
          <summary>Members on the map</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Level</th>
                <th scope="col">Cluster</th>
              </tr>
            </thead>
            <tbody>
              {map.nodes.map((n) => (
                <tr key={n.member.id}>
                  <td>@{n.member.handle}</td>
                  <td>{labelOf(n.engagementLevel)}</td>
                  <td>{n.cluster + 1}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
