import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { useMutation } from 'urql';
import { Problems, SelectField, splitErrors, TextArea, TextField, type UserError } from '../components/ui';
import { graphql } from '../graphql';
import type { DecisionMethod, JoinPolicy, NetworkVisibility } from '../graphql/graphql';

const CreateNetworkMutation = graphql(`
  mutation PortalCreateNetwork($input: CreateNetworkInput!) {
    createNetwork(input: $input) { network { id slug } errors { code message field } }
  }
`);

/** Starts a network with its founding decision rule; the founder becomes its steward. */
export function CreateNetwork() {
  const [, navigate] = useLocation();
  const [state, create] = useMutation(CreateNetworkMutation);
  const [errors, setErrors] = useState<readonly UserError[]>([]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    const result = await create({
      input: {
        name: value('name'),
        slug: value('slug'),
        purpose: value('purpose'),
        visibility: value('visibility') as NetworkVisibility,
        joinPolicy: value('joinPolicy') as JoinPolicy,
        decisionMethod: value('decisionMethod') as DecisionMethod,
        quorum: Number(value('quorum')) / 100,
        votingPeriodHours: Number(value('votingPeriodHours')),
      },
    });
    const payload = result.data?.createNetwork;
    if (!payload) return;
    setErrors(payload.errors);
    if (payload.network) navigate(`/n/${payload.network.slug}`);
  }

  const { byField, general } = splitErrors(errors);
  return (
    <section className="card" aria-labelledby="create-title">
      <details>
        <summary>
          <h2 id="create-title" style={{ display: 'inline' }}>
            Start a network
          </h2>
        </summary>
        <form onSubmit={submit} noValidate className="create-form">
          <TextField label="Name" name="name" required error={byField.get('name')} />
          <TextField label="Address" name="slug" required hint="Lower-case letters, digits and dashes, e.g. riverside-repair" error={byField.get('slug')} />
          <TextArea label="Purpose" name="purpose" rows={2} required error={byField.get('purpose')} />
          <SelectField label="Who can see it" name="visibility" defaultValue="PUBLIC" error={byField.get('visibility')} options={[{ value: 'PUBLIC', label: 'Anyone' }, { value: 'PRIVATE', label: 'Members only' }]} />
          <SelectField
            label="Who can join"
            name="joinPolicy"
            defaultValue="OPEN"
            error={byField.get('joinPolicy')}
            options={[
              { value: 'OPEN', label: 'Anyone' },
              { value: 'APPROVAL', label: 'Approved by a steward' },
              { value: 'INVITATION', label: 'By invitation' },
            ]}
          />
          <SelectField
            label="How decisions pass"
            name="decisionMethod"
            defaultValue="MAJORITY"
            error={byField.get('decisionMethod')}
            options={[
              { value: 'MAJORITY', label: 'Majority' },
              { value: 'SUPERMAJORITY', label: 'Two thirds' },
              { value: 'CONSENSUS', label: 'Consensus (no blocks)' },
            ]}
          />
          <TextField label="Quorum (% of members who must vote)" name="quorum" type="number" min={1} max={100} defaultValue={50} error={byField.get('quorum')} />
          <TextField label="Voting period (hours)" name="votingPeriodHours" type="number" min={1} defaultValue={72} error={byField.get('votingPeriodHours')} />
          <Problems errors={general} failure={state.error} />
          <button type="submit" disabled={state.fetching}>
            {state.fetching ? 'Creating…' : 'Create network'}
          </button>
        </form>
      </details>
    </section>
  );
}
