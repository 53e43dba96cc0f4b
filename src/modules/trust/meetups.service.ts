import { randomInt, timingSafeEqual } from 'node:crypto';
import type { ServiceDeps } from '../../deps.js';
import type { Meetup } from '../../db/generated/prisma/client.js';
import { DomainError, badInput, conflict, forbidden, notFound } from '../../errors.js';
import { type Tx, inTransaction } from '../../events/unit-of-work.js';
import type { Viewer } from '../accounts/service.js';
import type { Actor } from '../integrations/service.js';
import type { NetworksService } from '../networks/service.js';
import type { CheckInInput, RecordAttendanceInput, RsvpInput, ScheduleMeetupInput } from './inputs.js';
import type { Reader } from '../networks/policy.js';
import { visibleMeetups } from './policy.js';
import {
  ATTENDANCE_CODE_ALPHABET,
  ATTENDANCE_CODE_LENGTH,
  CHECK_IN_FAILURE_WINDOW_MS,
  CHECK_IN_MAX_FAILURES,
  checkInWindow,
  waitlisted,
} from './rules.js';
import type { TrustService } from './service.js';

const newAttendanceCode = () =>
  Array.from({ length: ATTENDANCE_CODE_LENGTH }, () => ATTENDANCE_CODE_ALPHABET[randomInt(ATTENDANCE_CODE_ALPHABET.length)]).join('');

const sameCode = (given: string, expected: string) =>
  given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

async function lockMeetup(tx: Tx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "Meetup" WHERE id = ${id}::uuid FOR UPDATE`;
}

const meetupEvent = (m: Meetup, extra: Record<string, unknown> = {}) => ({ meetupId: m.id, title: m.title, startsAt: m.startsAt.toISOString(), ...extra });

export type MeetupsService = ReturnType<typeof createMeetupsService>;

export function createMeetupsService(deps: ServiceDeps, networks: NetworksService, trust: TrustService) {
  const { db } = deps;

  /** The meetup as the viewer may see it (active members of its network), locked. */
  async function meetupFor(tx: Tx, viewer: Viewer, meetupId: string) {
    await lockMeetup(tx, meetupId);
    const meetup = await tx.meetup.findFirst({ where: { id: meetupId, ...visibleMeetups(viewer.memberId) } });
    if (!meetup) throw notFound('No such meetup.', ['meetupId']);
    return meetup;
  }

  return {
    async schedule(viewer: Viewer, input: ScheduleMeetupInput) {
      if (!(await networks.isActiveMember(viewer.memberId, input.networkId))) {
        if (!(await networks.findVisibleNetwork(viewer.memberId, input.networkId))) throw notFound('No such network.', ['networkId']);
        throw forbidden('Only active members can schedule meetups in this network.');
      }
      if (input.startsAt <= deps.now()) throw badInput('Schedule meetups in the future.', ['startsAt']);
      return inTransaction(deps, async (tx, record) => {
        const meetup = await tx.meetup.create({
          data: {
            networkId: input.networkId,
            organizerId: viewer.memberId,
            title: input.title,
            description: input.description ?? null,
            place: input.place,
            startsAt: input.startsAt,
            endsAt: input.endsAt,
            capacity: input.capacity ?? null,
            attendanceCode: newAttendanceCode(),
          },
        });
        await record({ type: 'meetup.scheduled', networkId: meetup.networkId, actorId: viewer.memberId, subjectId: meetup.id, data: meetupEvent(meetup) });
        return meetup;
      });
    },

    /** GOING beyond capacity waits on the waitlist; when a place frees, the longest
     * waiting moves up. */
    async rsvp(viewer: Viewer, input: RsvpInput) {
      return inTransaction(deps, async (tx, record) => {
        const meetup = await meetupFor(tx, viewer, input.meetupId);
        if (!(await networks.isActiveMember(viewer.memberId, meetup.networkId, tx))) throw forbidden('Only active members answer meetups.');
        if (meetup.endsAt <= deps.now()) throw conflict('This meetup is over.', ['meetupId']);
        const previous = await tx.rsvp.findUnique({ where: { meetupId_memberId: { meetupId: meetup.id, memberId: viewer.memberId } } });
        const heldPlace = previous?.response === 'GOING' && !previous.waitlisted;
        const waiting =
          input.response === 'GOING' &&
          !heldPlace &&
          waitlisted(meetup.capacity, await tx.rsvp.count({ where: { meetupId: meetup.id, response: 'GOING', waitlisted: false } }));
        const rsvp = await tx.rsvp.upsert({
          where: { meetupId_memberId: { meetupId: meetup.id, memberId: viewer.memberId } },
          create: { meetupId: meetup.id, memberId: viewer.memberId, response: input.response, waitlisted: waiting },
          update: { response: input.response, waitlisted: waiting },
        });
        await record({
          type: 'meetup.rsvp',
          networkId: meetup.networkId,
          actorId: viewer.memberId,
          subjectId: meetup.id,
          data: meetupEvent(meetup, { memberId: viewer.memberId, response: rsvp.response, waitlisted: rsvp.waitlisted }),
        });
        if (heldPlace && input.response !== 'GOING') {
          const next = await tx.rsvp.findFirst({ where: { meetupId: meetup.id, response: 'GOING', waitlisted: true }, orderBy: { updatedAt: 'asc' } });
          if (next) {
            await tx.rsvp.update({ where: { id: next.id }, data: { waitlisted: false } });
            await record({
              type: 'meetup.rsvp',
              networkId: meetup.networkId,
              subjectId: meetup.id,
              data: meetupEvent(meetup, { memberId: next.memberId, response: 'GOING', waitlisted: false, promoted: true }),
            });
          }
        }
        return { rsvp, meetup };
      });
    },

    /** Attendance by the meetup's code, from shortly before the start to shortly after
     * the end; wrong codes are counted and, past a few, refused for a while. */
    async checkIn(viewer: Viewer, input: CheckInInput) {
      const since = new Date(deps.now().getTime() - CHECK_IN_FAILURE_WINDOW_MS);
      const failures = await db.checkInFailure.count({ where: { meetupId: input.meetupId, memberId: viewer.memberId, createdAt: { gte: since } } });
      if (failures >= CHECK_IN_MAX_FAILURES) {
        throw new DomainError({
          code: 'RATE_LIMITED',
          message: `Too many wrong codes; try again in ${Math.ceil(CHECK_IN_FAILURE_WINDOW_MS / 60000)} minutes.`,
          field: ['code'],
        });
      }
      const wrong = await inTransaction(deps, async (tx, record) => {
        const meetup = await meetupFor(tx, viewer, input.meetupId);
        const window = checkInWindow(meetup, deps.now());
        if (window === 'EARLY') throw conflict('Check-in opens 30 minutes before the meetup starts.', ['meetupId']);
        if (window === 'CLOSED') throw conflict('Check-in for this meetup has closed.', ['meetupId']);
        if (!sameCode(input.code, meetup.attendanceCode)) return true;
        const existing = await tx.attendance.findUnique({ where: { meetupId_memberId: { meetupId: meetup.id, memberId: viewer.memberId } } });
        if (!existing) {
          await tx.attendance.create({ data: { meetupId: meetup.id, memberId: viewer.memberId, method: 'CHECK_IN' } });
          await record({
            type: 'meetup.attended',
            networkId: meetup.networkId,
            actorId: viewer.memberId,
            subjectId: meetup.id,
            data: meetupEvent(meetup, { memberIds: [viewer.memberId], method: 'CHECK_IN' }),
          });
          await trust.attended(tx, record, meetup, [viewer.memberId]);
        }
        return false;
      });
      if (wrong) {
        // Kept although the mutation fails: the count is what stops guessing.
        await db.checkInFailure.create({ data: { meetupId: input.meetupId, memberId: viewer.memberId, createdAt: deps.now() } });
        throw badInput('That is not the code for this meetup.', ['code']);
      }
      return db.meetup.findUniqueOrThrow({ where: { id: input.meetupId } });
    },

    /** The organizer (or a steward, or the network's WRITE integration, such as a door
     * kiosk) records who came. */
    async recordAttendance(actor: Actor, input: RecordAttendanceInput) {
      return inTransaction(deps, async (tx, record) => {
        let meetup: Meetup;
        if ('integration' in actor) {
          await lockMeetup(tx, input.meetupId);
          const found = await tx.meetup.findFirst({ where: { id: input.meetupId, networkId: actor.integration.networkId } });
          if (!found) throw notFound('No such meetup.', ['meetupId']);
          meetup = found;
        } else {
          const viewer = actor.member;
          meetup = await meetupFor(tx, viewer, input.meetupId);
          if (meetup.organizerId !== viewer.memberId && !(await networks.isSteward(viewer.memberId, meetup.networkId, tx))) {
            throw forbidden('Only the organizer or a steward records attendance.');
          }
        }
        const recorderId = 'member' in actor ? actor.member.memberId : null;
        if (checkInWindow(meetup, deps.now()) === 'EARLY') throw conflict('Attendance is recorded once the meetup is under way.', ['meetupId']);
        const ids = [...new Set(input.memberIds)];
        const members = await tx.membership.findMany({ where: { networkId: meetup.networkId, status: 'ACTIVE', memberId: { in: ids } } });
        if (members.length !== ids.length) throw badInput('Every attendee must be an active member of the network.', ['memberIds']);
        const already = new Set(
          (await tx.attendance.findMany({ where: { meetupId: meetup.id, memberId: { in: ids } } })).map((a) => a.memberId),
        );
        const fresh = ids.filter((id) => !already.has(id));
        if (fresh.length) {
          await tx.attendance.createMany({
            data: fresh.map((memberId) => ({ meetupId: meetup.id, memberId, method: 'RECORDED' as const, recordedById: recorderId })),
          });
          await record({
            type: 'meetup.attended',
            networkId: meetup.networkId,
            actorId: recorderId,
            subjectId: meetup.id,
            data: meetupEvent(meetup, { memberIds: fresh, method: 'RECORDED' }),
          });
          await trust.attended(tx, record, meetup, fresh);
        }
        return meetup;
      });
    },

    findVisible: (viewerId: Reader, id: string) => db.meetup.findFirst({ where: { id, ...visibleMeetups(viewerId) } }),
  };
}
