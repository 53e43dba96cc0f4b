import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { useMutation, useQuery, useSubscription } from 'urql';
import { Empty, formatDate, labelOf, Loading, Problems, SelectField, splitErrors, TextArea, TextField, type UserError } from '../components/ui';
import { graphql } from '../graphql';
import type { ContributionKind, PortalNetworkQuery, RuleKind } from '../graphql/graphql';

const KINDS: ContributionKind[] = ['ATTENTION', 'KNOWLEDGE', 'SKILLS', 'CONNECTIONS', 'RESOURCES'];

const NetworkQuery = graphql(`
  query PortalNetwork($slug: String!, $kind: ContributionKind, $tag: String) {
    viewer { id handle }
    network(slug: $slug) {
      id name slug purpose visibility joinPolicy
      viewerMembership { id role status }
      goals { id title status }
      rules { id kind title body version repealedAt }
      asks(first: 20, kind: $kind, tag: $tag, status: OPEN) {
        totalCount
        edges { node { id title description kind tags createdAt author { id handle displayName } } }
      }
      offers(first: 20, kind: $kind, tag: $tag, status: OPEN) {
        totalCount
        edges { node { id title description kind tags createdAt author { id handle displayName } } }
      }
      meetups(first: 5, upcoming: true) { edges { node { id title place startsAt goingCount } } }
      exchanges(first: 20) {
        edges {
          node {
            id status kind description createdAt giverConfirmedAt receiverConfirmedAt
            giver { id handle } receiver { id handle } proposer { id handle }
          }
        }
      }
      proposals(first: 10, status: OPEN) {
        edges {
          node {
            id title body closesAt
            proposer { handle }
            tally { yes no abstain block eligible votesCast quorumNeeded }
            viewerVote { choice }
          }
        }
      }
    }
  }
`);

const ExchangeFeed = graphql(`
  subscription PortalExchangeFeed($networkId: ID!) {
    exchangeEvents(networkId: $networkId) {
      type at
      exchange { id status kind giver { handle } receiver { handle } }
    }
  }
`);

const ListingFeed = graphql(`
  subscription PortalListingFeed($networkId: ID!) {
    listingEvents(networkId: $networkId) { type at listing { id title } }
  }
`);

const JoinMutation = graphql(`
  mutation PortalJoinNetwork($input: JoinNetworkInput!) {
    joinNetwork(input: $input) { membership { id status } errors { code message field } }
  }
`);

type Network = NonNullable<PortalNetworkQuery['network']>;
type Listing = Network['asks']['edges'][number]['node'];
type Viewer = PortalNetworkQuery['viewer'];

export function NetworkPage({ slug }: { slug: string }) {
  const [kind, setKind] = useState<ContributionKind | ''>('');
  const [tag, setTag] = useState('');
  const variables = { slug, kind: kind || null, tag: tag.trim() || null };
  const [{ data, fetching, error }, refetch] = useQuery({ query: NetworkQuery, variables, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const [joining, join] = useMutation(JoinMutation);
  const [joinErrors, setJoinErrors] = useState<readonly UserError[]>([]);

  if (fetching && !data) return <Loading what="the network" />;
  if (error && !data) return <Problems failure={error} />;
  const network = data?.network;
  if (!network) {
    return (
      <section className="card">
        <h1>Network not found</h1>
        <p>There is no network at this address, or it is private. <Link href="/">Back to your networks</Link></p>
      </section>
    );
  }
  const viewer = data.viewer;
  const membership = network.viewerMembership;
  const active = membership?.status === 'ACTIVE';
  const steward = active && membership.role === 'STEWARD';

  return (
    <>
      <header className="network-header">
        <div>
          <h1>{network.name}</h1>
          <p className="purpose">{network.purpose}</p>
          <p className="meta">
            {labelOf(network.visibility)} network · {active ? `you are ${steward ? 'a steward' : 'a member'}` : membership?.status === 'PENDING' ? 'your request is waiting for approval' : 'you are not a member'}
          </p>
        </div>
        <div className="actions">
          {steward && (
            <Link href={`/n/${network.slug}/dashboard`} className="button">
              Steward dashboard
            </Link>
          )}
          {viewer && !active && membership?.status !== 'PENDING' && network.joinPolicy !== 'INVITATION' && (
            <button
              type="button"
              disabled={joining.fetching}
              onClick={async () => {
                const result = await join({ input: { networkId: network.id } });
                setJoinErrors(result.data?.joinNetwork.errors ?? []);
                reload();
              }}
            >
              {network.joinPolicy === 'OPEN' ? 'Join this network' : 'Ask to join'}
            </button>
          )}
        </div>
      </header>
      <Problems errors={joinErrors} failure={joining.error ?? error} />

      <div className="layout">
        <div className="main-column">
          <section aria-labelledby="listings-title" className="card">
            <h2 id="listings-title">Open asks and offers</h2>
            <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter listings">
              <SelectField
                label="Kind"
                value={kind}
                onChange={(e) => setKind(e.target.value as ContributionKind | '')}
                options={[{ value: '', label: 'Any kind' }, ...KINDS.map((k) => ({ value: k, label: labelOf(k) }))]}
              />
              <TextField label="Tag" value={tag} onChange={(e) => setTag(e.target.value)} placeholder="e.g. garden" />
            </form>
            <div className="columns">
              <Listings title="Asks" type="ASK" listings={network.asks.edges.map((e) => e.node)} viewer={viewer} networkId={network.id} onChange={reload} />
              <Listings title="Offers" type="OFFER" listings={network.offers.edges.map((e) => e.node)} viewer={viewer} networkId={network.id} onChange={reload} />
            </div>
          </section>
          {active && <PostListing networkId={network.id} onPosted={reload} />}
          {active && <Exchanges network={network} viewer={viewer} onChange={reload} />}
          {active && <Proposals proposals={network.proposals.edges.map((e) => e.node)} onVoted={reload} />}
          {active && <Propose networkId={network.id} onProposed={reload} />}
        </div>
        <aside className="side-column">
          {active && <LiveFeed networkId={network.id} onEvent={reload} />}
          <section className="card" aria-labelledby="goals-title">
            <h2 id="goals-title">Goals</h2>
            {network.goals.length ? (
              <ul>
                {network.goals.map((g) => (
                  <li key={g.id}>
                    {g.title} <span className="badge">{labelOf(g.status)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>No goals yet.</Empty>
            )}
          </section>
          <section className="card" aria-labelledby="rules-title">
            <h2 id="rules-title">Rules in force</h2>
            {network.rules.filter((r) => !r.repealedAt).length ? (
              <dl className="rules">
                {network.rules
                  .filter((r) => !r.repealedAt)
                  .map((r) => (
                    <div key={r.id}>
                      <dt>
                        {r.title} <span className="meta">({labelOf(r.kind)}, v{r.version})</span>
                      </dt>
                      <dd>{r.body}</dd>
                    </div>
                  ))}
              </dl>
            ) : (
              <Empty>{active ? 'No rules yet.' : 'Members see the rules.'}</Empty>
            )}
          </section>
          <section className="card" aria-labelledby="meetups-title">
            <h2 id="meetups-title">Upcoming meetups</h2>
            {network.meetups.edges.length ? (
              <ul>
                {network.meetups.edges.map(({ node: m }) => (
                  <li key={m.id}>
                    <strong>{m.title}</strong>
                    <br />
                    <span className="meta">
                      {formatDate(m.startsAt)} · {m.place} · {m.goingCount} going
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty>{active ? 'Nothing scheduled.' : 'Members see the meetups.'}</Empty>
            )}
          </section>
        </aside>
      </div>
    </>
  );
}

// --- Listings -------------------------------------------------------------------------

function Listings(props: { title: string; type: 'ASK' | 'OFFER'; listings: Listing[]; viewer: Viewer; networkId: string; onChange: () => void }) {
  const { title, listings, viewer } = props;
  return (
    <section aria-label={title}>
      <h3>
        {title} <span className="count">{listings.length}</span>
      </h3>
      {listings.length === 0 ? (
        <Empty>None match.</Empty>
      ) : (
        <ul className="listings">
          {listings.map((l) => (
            <li key={l.id} className="listing" data-testid="listing">
              <strong>{l.title}</strong>
              {l.description && <p>{l.description}</p>}
              <p className="meta">
                {labelOf(l.kind)} · {l.author.displayName} (@{l.author.handle})
              </p>
              {l.tags.length > 0 && (
                <p className="tags">
                  {l.tags.map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
                </p>
              )}
              {viewer && l.author.id === viewer.id && <Matches listing={l} type={props.type} viewerId={viewer.id} networkId={props.networkId} onProposed={props.onChange} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const MatchesQuery = graphql(`
  query PortalMatches($id: ID!) {
    node(id: $id) {
      ... on Ask { id suggestedOffers(first: 3) { score reasons offer { id title kind author { id handle } } } }
      ... on Offer { id suggestedAsks(first: 3) { score reasons ask { id title kind author { id handle } } } }
    }
  }
`);

const ProposeExchangeMutation = graphql(`
  mutation PortalProposeExchange($input: ProposeExchangeInput!) {
    proposeExchange(input: $input) { exchange { id status } errors { code message field } }
  }
`);

/** The viewer's own listing: suggested matches, each one click from a proposed exchange. */
function Matches({ listing, type, viewerId, networkId, onProposed }: { listing: Listing; type: 'ASK' | 'OFFER'; viewerId: string; networkId: string; onProposed: () => void }) {
  const [open, setOpen] = useState(false);
  const [{ data, fetching, error }] = useQuery({ query: MatchesQuery, variables: { id: listing.id }, pause: !open });
  const [proposing, propose] = useMutation(ProposeExchangeMutation);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const [done, setDone] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="link" onClick={() => setOpen(true)}>
        Find matches
      </button>
    );
  }
  const node = data?.node;
  const matches =
    node && 'suggestedOffers' in node
      ? node.suggestedOffers.flatMap((m) => (m.offer ? [{ ...m, other: m.offer }] : []))
      : node && 'suggestedAsks' in node
        ? node.suggestedAsks.flatMap((m) => (m.ask ? [{ ...m, other: m.ask }] : []))
        : [];
  return (
    <div className="matches">
      {fetching && <Loading what="matches" />}
      <Problems errors={errors} failure={error ?? proposing.error} />
      {done && <p role="status">{done}</p>}
      {!fetching && matches.length === 0 && <Empty>No matches yet.</Empty>}
      <ul>
        {matches.map((m) => (
          <li key={m.other.id}>
            <span>
              {m.other.title} by @{m.other.author.handle} <span className="meta">({Math.round(m.score * 100)}%: {m.reasons.join(', ')})</span>
            </span>
            <button
              type="button"
              disabled={proposing.fetching}
              onClick={async () => {
                // The ask's author receives; the offer's author gives.
                const input =
                  type === 'ASK'
                    ? { networkId, giverId: m.other.author.id, receiverId: viewerId, askId: listing.id, offerId: m.other.id, kind: listing.kind }
                    : { networkId, giverId: viewerId, receiverId: m.other.author.id, askId: m.other.id, offerId: listing.id, kind: listing.kind };
                const result = await propose({ input });
                setErrors(result.data?.proposeExchange.errors ?? []);
                if (result.data?.proposeExchange.exchange) {
                  setDone(`Exchange proposed to @${m.other.author.handle}.`);
                  onProposed();
                }
              }}
            >
              Propose exchange
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const PostAskMutation = graphql(`
  mutation PortalPostAsk($input: PostListingInput!) { postAsk(input: $input) { ask { id } errors { code message field } } }
`);
const PostOfferMutation = graphql(`
  mutation PortalPostOffer($input: PostListingInput!) { postOffer(input: $input) { offer { id } errors { code message field } } }
`);

function PostListing({ networkId, onPosted }: { networkId: string; onPosted: () => void }) {
  const [askState, postAsk] = useMutation(PostAskMutation);
  const [offerState, postOffer] = useMutation(PostOfferMutation);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const [posted, setPosted] = useState<string | null>(null);
  const fetching = askState.fetching || offerState.fetching;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const input = {
      networkId,
      kind: value('kind') as ContributionKind,
      title: value('title'),
      description: value('description') || null,
      tags: value('tags') ? value('tags').split(',').map((t) => t.trim()).filter(Boolean) : [],
    };
    const type = value('type');
    const result = type === 'ASK' ? (await postAsk({ input })).data?.postAsk : (await postOffer({ input })).data?.postOffer;
    if (!result) return;
    setErrors(result.errors);
    if (!result.errors.length) {
      setPosted(`Your ${type === 'ASK' ? 'ask' : 'offer'} "${input.title}" is posted.`);
      form.reset();
      onPosted();
    }
  }

  const { byField, general } = splitErrors(errors);
  return (
    <section className="card" aria-labelledby="post-title">
      <h2 id="post-title">Ask for help, or offer it</h2>
      <form onSubmit={submit} noValidate className="post-form">
        <SelectField label="I want to" name="type" defaultValue="OFFER" options={[{ value: 'OFFER', label: 'Offer something' }, { value: 'ASK', label: 'Ask for something' }]} />
        <SelectField label="Kind" name="kind" defaultValue="SKILLS" error={byField.get('kind')} options={KINDS.map((k) => ({ value: k, label: labelOf(k) }))} />
        <TextField label="Title" name="title" required error={byField.get('title')} />
        <TextArea label="Description" name="description" rows={3} error={byField.get('description')} />
        <TextField label="Tags" name="tags" hint="Comma separated, at most 10" error={byField.get('tags')} />
        <Problems errors={general} failure={askState.error ?? offerState.error} />
        {posted && <p role="status">{posted}</p>}
        <button type="submit" disabled={fetching}>
          {fetching ? 'Posting…' : 'Post'}
        </button>
      </form>
    </section>
  );
}

// --- Exchanges -------------------------------------------------------------------------

const RespondMutation = graphql(`
  mutation PortalRespond($input: RespondToExchangeInput!) { respondToExchange(input: $input) { exchange { id status } errors { code message } } }
`);
const CompleteMutation = graphql(`
  mutation PortalComplete($input: CompleteExchangeInput!) { completeExchange(input: $input) { exchange { id status } errors { code message } } }
`);
const ConfirmMutation = graphql(`
  mutation PortalConfirm($input: ConfirmExchangeInput!) { confirmExchange(input: $input) { exchange { id status } errors { code message } } }
`);

function Exchanges({ network, viewer, onChange }: { network: Network; viewer: Viewer; onChange: () => void }) {
  const [respondState, respond] = useMutation(RespondMutation);
  const [completeState, complete] = useMutation(CompleteMutation);
  const [confirmState, confirm] = useMutation(ConfirmMutation);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const busy = respondState.fetching || completeState.fetching || confirmState.fetching;
  const exchanges = network.exchanges.edges.map((e) => e.node);
  const run = async (action: Promise<readonly UserError[] | undefined>) => {
    setErrors((await action) ?? []);
    onChange();
  };
  return (
    <section className="card" aria-labelledby="exchanges-title">
      <h2 id="exchanges-title">Exchanges</h2>
      <Problems errors={errors} failure={respondState.error ?? completeState.error ?? confirmState.error} />
      {exchanges.length === 0 ? (
        <Empty>No exchanges yet: find a match for one of your listings.</Empty>
      ) : (
        <ul className="exchanges">
          {exchanges.map((x) => {
            const mine = viewer && (x.giver.id === viewer.id || x.receiver.id === viewer.id);
            const confirmed = viewer && ((x.giver.id === viewer.id && x.giverConfirmedAt) || (x.receiver.id === viewer.id && x.receiverConfirmedAt));
            return (
              <li key={x.id} data-testid="exchange">
                <span>
                  @{x.giver.handle} → @{x.receiver.handle} · {labelOf(x.kind)} <span className={`badge badge--${x.status.toLowerCase()}`}>{labelOf(x.status)}</span>
                </span>
                {mine && (
                  <span className="actions">
                    {x.status === 'PROPOSED' && x.proposer.id !== viewer.id && (
                      <>
                        <button type="button" disabled={busy} onClick={() => run(respond({ input: { exchangeId: x.id, accept: true } }).then((r) => r.data?.respondToExchange.errors))}>
                          Accept
                        </button>
                        <button type="button" className="secondary" disabled={busy} onClick={() => run(respond({ input: { exchangeId: x.id, accept: false } }).then((r) => r.data?.respondToExchange.errors))}>
                          Decline
                        </button>
                      </>
                    )}
                    {x.status === 'ACCEPTED' && (
                      <button type="button" disabled={busy} onClick={() => run(complete({ input: { exchangeId: x.id } }).then((r) => r.data?.completeExchange.errors))}>
                        Mark completed
                      </button>
                    )}
                    {x.status === 'COMPLETED' && !confirmed && (
                      <button type="button" disabled={busy} onClick={() => run(confirm({ input: { exchangeId: x.id, gratitude: null } }).then((r) => r.data?.confirmExchange.errors))}>
                        Confirm
                      </button>
                    )}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Exchanges and listings as they happen, through the network's subscriptions. */
function LiveFeed({ networkId, onEvent }: { networkId: string; onEvent: () => void }) {
  type Item = { key: string; text: string; at: string };
  const [{ data: items = [], error }] = useSubscription({ query: ExchangeFeed, variables: { networkId } }, (previous: Item[] = [], event) => {
    const e = event.exchangeEvents;
    const item = { key: `${e.exchange.id}:${e.type}:${e.at}`, at: e.at, text: `@${e.exchange.giver.handle} → @${e.exchange.receiver.handle}: ${labelOf(e.exchange.kind)}, ${labelOf(e.type)}` };
    return [item, ...previous].slice(0, 20);
  });
  const [{ data: listings = [] }] = useSubscription({ query: ListingFeed, variables: { networkId } }, (previous: Item[] = [], event) => {
    const e = event.listingEvents;
    return [{ key: `${e.listing.id}:${e.type}:${e.at}`, at: e.at, text: `${e.listing.title}: ${labelOf(e.type)}` }, ...previous].slice(0, 20);
  });
  const all = [...items, ...listings].sort((a, b) => b.at.localeCompare(a.at)).slice(0, 20);
  // Each new event refreshes the page's lists (the feed itself shows the event at once).
  const latest = all[0]?.key;
  useEffect(() => {
    if (latest) onEvent();
  }, [latest, onEvent]);
  return (
    <section className="card" aria-labelledby="feed-title">
      <h2 id="feed-title">
        Live <span className="live-dot" aria-hidden="true" />
      </h2>
      <Problems failure={error} />
      <ul aria-live="polite" className="feed" data-testid="live-feed">
        {all.length === 0 && <li className="empty">Exchanges and new listings appear here as they happen.</li>}
        {all.map((i) => (
          <li key={i.key}>
            <span className="meta">{new Date(i.at).toLocaleTimeString()}</span> {i.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

// --- Governance ------------------------------------------------------------------------

const VoteMutation = graphql(`
  mutation PortalVote($input: CastVoteInput!) {
    castVote(input: $input) { proposal { id tally { yes no abstain block votesCast } viewerVote { choice } } errors { code message } }
  }
`);

const CreateProposalMutation = graphql(`
  mutation PortalCreateProposal($input: CreateProposalInput!) {
    createProposal(input: $input) { proposal { id title } errors { code message field } }
  }
`);

const RULE_KINDS: RuleKind[] = ['CONDUCT', 'DECISION_MAKING', 'PARTICIPATION'];
type SimpleAction = 'SET_GOAL' | 'UPDATE_PURPOSE' | 'ADOPT_RULE';
const ACTIONS: { value: SimpleAction; label: string }[] = [
  { value: 'SET_GOAL', label: 'Set a goal' },
  { value: 'UPDATE_PURPOSE', label: 'Change the purpose' },
  { value: 'ADOPT_RULE', label: 'Adopt a rule' },
];

/** The common proposals; the others (amending or repealing rules, membership changes) go through the API. */
function Propose({ networkId, onProposed }: { networkId: string; onProposed: () => void }) {
  const [action, setAction] = useState<SimpleAction>('SET_GOAL');
  const [state, propose] = useMutation(CreateProposalMutation);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    // Blank fields are left out, so the API names what is missing next to its field.
    const given = (name: string) => value(name) || null;
    const input = {
      networkId,
      action,
      title: value('title'),
      body: value('body'),
      ...(action === 'SET_GOAL' && { goalTitle: given('goalTitle') }),
      ...(action === 'UPDATE_PURPOSE' && { purpose: given('purpose') }),
      ...(action === 'ADOPT_RULE' && { ruleKind: value('ruleKind') as RuleKind, ruleTitle: given('ruleTitle'), ruleBody: given('ruleBody') }),
    };
    setDone(null);
    const result = (await propose({ input })).data?.createProposal;
    if (!result) return;
    setErrors(result.errors);
    if (!result.errors.length) {
      setDone(`"${input.title}" is open for votes.`);
      form.reset();
      onProposed();
    }
  }

  const { byField, general } = splitErrors(errors);
  return (
    <section className="card" aria-labelledby="propose-title">
      <h2 id="propose-title">Make a proposal</h2>
      <form onSubmit={submit} noValidate className="post-form">
        <SelectField label="Proposal" value={action} onChange={(e) => setAction(e.target.value as SimpleAction)} options={ACTIONS} />
        <TextField label="Proposal title" name="title" required error={byField.get('title')} />
        <TextArea label="Why" name="body" rows={2} required error={byField.get('body')} />
        {action === 'SET_GOAL' && <TextField label="Goal" name="goalTitle" required error={byField.get('goalTitle')} />}
        {action === 'UPDATE_PURPOSE' && <TextArea label="New purpose" name="purpose" rows={2} required error={byField.get('purpose')} />}
        {action === 'ADOPT_RULE' && (
          <>
            <SelectField label="Rule kind" name="ruleKind" defaultValue="CONDUCT" error={byField.get('ruleKind')} options={RULE_KINDS.map((k) => ({ value: k, label: labelOf(k) }))} />
            <TextField label="Rule title" name="ruleTitle" required error={byField.get('ruleTitle')} />
            <TextArea label="Rule text" name="ruleBody" rows={3} required error={byField.get('ruleBody')} />
          </>
        )}
        <Problems errors={general} failure={state.error} />
        {done && <p role="status">{done}</p>}
        <button type="submit" disabled={state.fetching}>
          {state.fetching ? 'Proposing…' : 'Propose'}
        </button>
      </form>
    </section>
  );
}

function Proposals({ proposals, onVoted }: { proposals: Network['proposals']['edges'][number]['node'][]; onVoted: () => void }) {
  const [voting, vote] = useMutation(VoteMutation);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  return (
    <section className="card" aria-labelledby="proposals-title">
      <h2 id="proposals-title">Open proposals</h2>
      <Problems errors={errors} failure={voting.error} />
      {proposals.length === 0 ? (
        <Empty>No open proposals.</Empty>
      ) : (
        <ul className="proposals">
          {proposals.map((p) => (
            <li key={p.id}>
              <h3>{p.title}</h3>
              <p>{p.body}</p>
              <p className="meta">
                {p.proposer ? `by @${p.proposer.handle} · ` : ''}closes {formatDate(p.closesAt)}
              </p>
              <p className="tally" aria-label="Tally">
                Yes {p.tally.yes} · No {p.tally.no} · Abstain {p.tally.abstain} · Block {p.tally.block} · {p.tally.votesCast} of {p.tally.eligible} voted (quorum {p.tally.quorumNeeded})
              </p>
              <div className="actions" role="group" aria-label={`Vote on ${p.title}`}>
                {(['YES', 'NO', 'ABSTAIN', 'BLOCK'] as const).map((choice) => (
                  <button
                    key={choice}
                    type="button"
                    className={p.viewerVote?.choice === choice ? '' : 'secondary'}
                    aria-pressed={p.viewerVote?.choice === choice}
                    disabled={voting.fetching}
                    onClick={async () => {
                      const result = await vote({ input: { proposalId: p.id, choice } });
                      setErrors(result.data?.castVote.errors ?? []);
                      onVoted();
                    }}
                  >
                    {labelOf(choice)}
                  </button>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
