import type { Meetup, Rsvp } from '../../db/generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { MemberNode } from '../accounts/schema.js';
import { type Context, readerOf } from '../../graphql/context.js';
import { globalIdOf } from '../../graphql/ids.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import { eventName, memberEvents, subscriberScopes, visibleSubject } from '../../graphql/subscriptions.js';
import { checkInInput, recordAttendanceInput, rsvpInput, scheduleMeetupInput } from './inputs.js';
import { meetupVisibleTo, visibleMeetups } from './policy.js';

const viewerId = readerOf;

export const RsvpResponseEnum = builder.enumType('RsvpResponse', { values: ['GOING', 'MAYBE', 'NOT_GOING'] as const });

const RsvpRef = builder.prismaObject('Rsvp', {
  fields: (t) => ({
    member: t.relation('member'),
    response: t.expose('response', { type: RsvpResponseEnum }),
    waitlisted: t.exposeBoolean('waitlisted', { description: 'GOING, but waiting for a place to free up.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const MeetupNode = builder.prismaNode('Meetup', {
  id: { field: 'id' },
  nullable: true,
  description: "An in-person gathering; for the network's active members.",
  findUnique: (id, context) => ({ id, AND: [visibleMeetups(viewerId(context))] }),
  fields: (t) => ({
    network: t.relation('network'),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    place: t.exposeString('place'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    organizer: t.relation('organizer'),
    capacity: t.exposeInt('capacity', { nullable: true }),
    rsvps: t.relation('rsvps', { query: { orderBy: { createdAt: 'asc' } } }),
    goingCount: t.relationCount('rsvps', { where: { response: 'GOING', waitlisted: false } }),
    attendees: t.field({
      type: [MemberNode],
      description: 'Members who came: the record that they met in person.',
      select: (_args, _context, nestedSelection) => ({ attendances: { select: { member: nestedSelection(true) }, orderBy: { createdAt: 'asc' } } }),
      resolve: (meetup) => meetup.attendances.map((a) => a.member),
    }),
    attendanceCode: t.string({
      nullable: true,
      description: 'For checking in; the organizer and stewards only.',
      resolve: async (meetup, _args, context) => {
        const viewer = context.viewer?.memberId;
        if (!viewer) return null;
        if (meetup.organizerId === viewer) return meetup.attendanceCode;
        return (await context.services.networks.isSteward(viewer, meetup.networkId)) ? meetup.attendanceCode : null;
      },
    }),
  }),
});

const MeetupConnection = builder.connectionObject({ type: MeetupNode, name: 'MeetupConnection' }, { name: 'MeetupEdge' });

builder.prismaObjectField('Network', 'meetups', (t) =>
  t.relatedConnection(
    'meetups',
    {
      cursor: 'id',
      totalCount: true,
      description: 'Upcoming meetups soonest first (upcoming: true), past ones latest first (false), or all by start.',
      args: { upcoming: t.arg.boolean() },
      query: (args, context) => {
        const now = context.services.now();
        return {
          where: {
            ...visibleMeetups(viewerId(context)),
            ...(args.upcoming === true && { endsAt: { gte: now } }),
            ...(args.upcoming === false && { endsAt: { lt: now } }),
          },
          orderBy: args.upcoming === false ? [{ startsAt: 'desc' }, { id: 'desc' }] : [{ startsAt: 'asc' }, { id: 'asc' }],
        };
      },
    },
    MeetupConnection,
  ),
);

const meetupPayload = (name: string) =>
  payloadType<{ meetup: Meetup }>(name, (t) => ({
    meetup: t.field({ type: MeetupNode, nullable: true, resolve: (p) => p.meetup ?? null }),
  }));

mutationField('scheduleMeetup', {
  description: 'Active members schedule meetups in the future; the organizer gets the attendance code.',
  input: builder.inputType('ScheduleMeetupInput', {
    fields: (t) => ({
      networkId: t.id({ required: true }),
      title: t.string({ required: true }),
      description: t.string(),
      place: t.string({ required: true }),
      startsAt: t.field({ type: 'DateTime', required: true }),
      endsAt: t.field({ type: 'DateTime', required: true }),
      capacity: t.int({ description: 'Places for GOING; others join the waitlist.' }),
    }),
  }),
  schema: scheduleMeetupInput.safeExtend({ networkId: globalIdOf('Network') }),
  payload: meetupPayload('ScheduleMeetupPayload'),
  resolve: async (input, context) => ({ meetup: await context.services.meetups.schedule(context.viewer, input) }),
});

mutationField('rsvp', {
  description: 'GOING beyond capacity puts you on the waitlist; you move up, in order, when a place frees.',
  input: builder.inputType('RsvpInput', {
    fields: (t) => ({ meetupId: t.id({ required: true }), response: t.field({ type: RsvpResponseEnum, required: true }) }),
  }),
  schema: rsvpInput.extend({ meetupId: globalIdOf('Meetup') }),
  payload: payloadType<{ rsvp: Rsvp; meetup: Meetup }>('RsvpPayload', (t) => ({
    rsvp: t.field({ type: RsvpRef, nullable: true, resolve: (p) => p.rsvp ?? null }),
    meetup: t.field({ type: MeetupNode, nullable: true, resolve: (p) => p.meetup ?? null }),
  })),
  resolve: (input, context) => context.services.meetups.rsvp(context.viewer, input),
});

mutationField('checkIn', {
  description: 'Records your attendance with the meetup\'s code, from 30 minutes before the start to an hour after the end. Five wrong codes in 15 minutes are RATE_LIMITED.',
  input: builder.inputType('CheckInInput', { fields: (t) => ({ meetupId: t.id({ required: true }), code: t.string({ required: true }) }) }),
  schema: checkInInput.extend({ meetupId: globalIdOf('Meetup') }),
  payload: meetupPayload('CheckInPayload'),
  rateLimits: (_input, context) => [['checkin.member', context.viewer!.memberId]],
  resolve: async (input, context) => ({ meetup: await context.services.meetups.checkIn(context.viewer, input) }),
});

mutationField('recordAttendance', {
  access: 'member-or-integration',
  description: "The organizer, a steward, or the network's WRITE integration (a door kiosk) records who came.",
  input: builder.inputType('RecordAttendanceInput', {
    fields: (t) => ({ meetupId: t.id({ required: true }), memberIds: t.idList({ required: true }) }),
  }),
  schema: recordAttendanceInput.extend({ meetupId: globalIdOf('Meetup'), memberIds: globalIdOf('Member').array().min(1).max(500) }),
  payload: meetupPayload('RecordAttendancePayload'),
  resolve: async (input, context) => ({
    meetup: await context.services.meetups.recordAttendance(
      context.viewer ? { member: context.viewer } : { integration: context.integration! },
      input,
    ),
  }),
});

type MeetupEventShape = { type: string; meetup: Meetup; at: Date };

const MeetupEvent = builder.objectRef<MeetupEventShape>('MeetupEvent').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'SCHEDULED, RSVP or ATTENDED.' }),
    // Read once for every subscriber of the event on this instance who asks the same selection.
    meetup: t.prismaField({
      type: MeetupNode,
      resolve: async (query, e, _args, context) => (await context.services.deliveries.meetup(e.meetup.id, query)) ?? e.meetup,
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('meetupEvents', (t) =>
  t.field({
    type: MeetupEvent,
    description: "Meetups scheduled, answered and attended, for the network's active members.",
    authScopes: subscriberScopes,
    args: { networkId: t.arg.id({ required: true }) },
    subscribe: (_root, args, context) =>
      memberEvents(context, 'meetup', args.networkId, async (event, standing) => {
        if (!event.subjectId) return null;
        const id = event.subjectId;
        const { deliveries, meetups } = context.services;
        const meetup = await visibleSubject(context, standing, () => deliveries.meetup(id), meetupVisibleTo, (reader) => meetups.findVisible(reader, id));
        return meetup ? { type: eventName(event.type, true), meetup, at: new Date(event.at) } : null;
      }),
    resolve: (event: MeetupEventShape) => event,
  }),
);
