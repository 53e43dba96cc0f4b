import { expect } from 'vitest';
import { graphql } from '../graphql/index.js';
import type { TestApp } from './app.js';
import type { TestMember } from './fixtures.js';

export const ScheduleMeetup = graphql(`
  mutation ScheduleMeetup($input: ScheduleMeetupInput!) {
    scheduleMeetup(input: $input) { meetup { id title capacity attendanceCode } errors { code message field } }
  }
`);

export const Rsvp = graphql(`
  mutation Rsvp($input: RsvpInput!) {
    rsvp(input: $input) { rsvp { response waitlisted member { handle } } meetup { goingCount } errors { code message field } }
  }
`);

export const CheckIn = graphql(`
  mutation CheckIn($input: CheckInInput!) {
    checkIn(input: $input) { meetup { attendees { handle } } errors { code message field } }
  }
`);

export const RecordAttendance = graphql(`
  mutation RecordAttendance($input: RecordAttendanceInput!) {
    recordAttendance(input: $input) { meetup { attendees { handle } } errors { code message field } }
  }
`);

export const Vouch = graphql(`
  mutation Vouch($input: VouchInput!) {
    vouch(input: $input) { vouch { id context voucher { handle } vouchee { handle } } errors { code message field } }
  }
`);

export const Ties = graphql(`
  query Ties($id: ID!, $networkId: ID!) {
    node(id: $id) {
      ... on Member {
        ties(networkId: $networkId, first: 20) {
          member { handle } strength strong meetupsTogether exchangesGiven exchangesReceived vouched introductionsAccepted
        }
      }
    }
  }
`);

export async function scheduleMeetup(
  app: TestApp,
  organizer: TestMember,
  networkId: string,
  startsAt: Date,
  extra: { capacity?: number; hours?: number } = {},
) {
  const endsAt = new Date(startsAt.getTime() + (extra.hours ?? 2) * 3600_000);
  const result = await app.execute(
    ScheduleMeetup,
    {
      input: {
        networkId,
        title: 'Repair café',
        place: 'Community hall',
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        capacity: extra.capacity,
      },
    },
    { token: organizer.token },
  );
  expect(result.data?.scheduleMeetup.errors).toEqual([]);
  return result.data!.scheduleMeetup.meetup!;
}

/** A member's ties as they see them, by the other member's handle. */
export async function tiesOf(app: TestApp, member: TestMember, networkId: string, viewer: TestMember = member) {
  const node = (await app.execute(Ties, { id: member.id, networkId }, { token: viewer.token })).data!.node;
  const ties = node && 'ties' in node ? node.ties : [];
  return new Map(ties.map((t) => [t.member.handle, t]));
}
