import { useState } from 'react';
import { Link } from 'wouter';
import { useMutation, useQuery } from 'urql';
import { Empty, labelOf, Loading, Problems, type UserError } from '../components/ui';
import { graphql } from '../graphql';
import { useSession } from '../session';
import { CreateNetwork } from './CreateNetwork';

const HomeQuery = graphql(`
  query PortalHome {
    viewer {
      id
      handle
      memberships(first: 50) {
        edges { node { id status role network { id slug name purpose } } }
      }
    }
    networks(first: 50) {
      edges { node { id slug name purpose visibility joinPolicy viewerMembership { id status } } }
    }
  }
`);

const JoinMutation = graphql(`
  mutation PortalJoin($input: JoinNetworkInput!) {
    joinNetwork(input: $input) { membership { id status } errors { code message field } }
  }
`);

export function HomePage() {
  const { token } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: HomeQuery, requestPolicy: 'cache-and-network' });
  const [joining, join] = useMutation(JoinMutation);
  const [joinErrors, setJoinErrors] = useState<readonly UserError[]>([]);

  if (fetching && !data) return <Loading what="networks" />;
  const mine = (data?.viewer?.memberships.edges ?? []).map((e) => e.node).filter((m) => m.status === 'ACTIVE' || m.status === 'PENDING');
  const others = (data?.networks.edges ?? []).map((e) => e.node).filter((n) => !n.viewerMembership || n.viewerMembership.status === 'LEFT');

  async function onJoin(networkId: string) {
    const result = await join({ input: { networkId } });
    setJoinErrors(result.data?.joinNetwork.errors ?? []);
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <>
      <Problems failure={error} />
      {!token && (
        <section className="card intro" aria-labelledby="intro-title">
          <h1 id="intro-title">Networks that turn weak ties into strong ones</h1>
          <p>Share a purpose, make your own rules, give and receive help, meet in person and vouch for each other.</p>
          <p>
            <Link href="/signup" className="button">Create an account</Link> <Link href="/signin">Sign in</Link>
          </p>
        </section>
      )}
      {token && (
        <section aria-labelledby="mine-title">
          <h1 id="mine-title">Your networks</h1>
          {mine.length === 0 ? (
            <Empty>You are not in any network yet: join one below.</Empty>
          ) : (
            <ul className="grid">
              {mine.map((m) => (
                <li key={m.id} className="card">
                  <h2>
                    <Link href={`/n/${m.network.slug}`}>{m.network.name}</Link>
                  </h2>
                  <p>{m.network.purpose}</p>
                  <p className="meta">
                    {labelOf(m.role)}
                    {m.status === 'PENDING' && ' · waiting for approval'}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {token && <CreateNetwork />}
      <section aria-labelledby="public-title">
        <h2 id="public-title">{token ? 'Networks to join' : 'Public networks'}</h2>
        <Problems errors={joinErrors} failure={joining.error} />
        {others.length === 0 ? (
          <Empty>No other networks to show.</Empty>
        ) : (
          <ul className="grid">
            {others.map((n) => (
              <li key={n.id} className="card">
                <h3>
                  <Link href={`/n/${n.slug}`}>{n.name}</Link>
                </h3>
                <p>{n.purpose}</p>
                <p className="meta">
                  {labelOf(n.visibility)} · {n.joinPolicy === 'OPEN' ? 'open to join' : n.joinPolicy === 'APPROVAL' ? 'join on approval' : 'by invitation'}
                </p>
                {token && n.joinPolicy !== 'INVITATION' && (
                  <button type="button" onClick={() => onJoin(n.id)} disabled={joining.fetching}>
                    {n.joinPolicy === 'OPEN' ? `Join ${n.name}` : `Ask to join ${n.name}`}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
