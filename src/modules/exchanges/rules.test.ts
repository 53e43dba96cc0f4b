import { describe, expect, it } from 'vitest';
import type { ExchangeStatus } from '../../domain.js';
import { type ExchangeAction, type ExchangeState, decideTransition, ledgerIncrements, oneWayMembers } from './rules.js';

const state = (status: ExchangeStatus, over: Partial<ExchangeState> = {}): ExchangeState => ({
  status,
  proposedBy: 'GIVER',
  giverConfirmed: false,
  receiverConfirmed: false,
  ...over,
});
const outcome = (s: ExchangeState, actor: 'GIVER' | 'RECEIVER' | null, action: ExchangeAction) => {
  const d = decideTransition(s, actor, action);
  return 'refused' in d ? d.refused : `${d.status}${d.confirms ? `+${d.confirms}` : ''}`;
};

describe('decideTransition', () => {
  it('lets the other side accept or decline a proposal', () => {
    expect(outcome(state('PROPOSED'), 'RECEIVER', 'ACCEPT')).toBe('ACCEPTED');
    expect(outcome(state('PROPOSED'), 'RECEIVER', 'DECLINE')).toBe('DECLINED');
    expect(outcome(state('PROPOSED'), 'GIVER', 'ACCEPT')).toBe('FORBIDDEN');
    expect(outcome(state('PROPOSED', { proposedBy: 'RECEIVER' }), 'GIVER', 'ACCEPT')).toBe('ACCEPTED');
  });

  it('lets either side complete an accepted exchange and cancel a live one', () => {
    expect(outcome(state('ACCEPTED'), 'GIVER', 'COMPLETE')).toBe('COMPLETED');
    expect(outcome(state('ACCEPTED'), 'RECEIVER', 'COMPLETE')).toBe('COMPLETED');
    expect(outcome(state('PROPOSED'), 'GIVER', 'CANCEL')).toBe('CANCELLED');
    expect(outcome(state('ACCEPTED'), 'RECEIVER', 'CANCEL')).toBe('CANCELLED');
  });

  it('lets each side confirm a completed exchange once', () => {
    expect(outcome(state('COMPLETED'), 'GIVER', 'CONFIRM')).toBe('COMPLETED+GIVER');
    expect(outcome(state('COMPLETED', { giverConfirmed: true }), 'GIVER', 'CONFIRM')).toBe('CONFLICT');
    expect(outcome(state('COMPLETED', { giverConfirmed: true }), 'RECEIVER', 'CONFIRM')).toBe('COMPLETED+RECEIVER');
  });

  it('refuses every other move with CONFLICT, and everyone else with FORBIDDEN', () => {
    const legal = new Set([
      'PROPOSED:ACCEPT',
      'PROPOSED:DECLINE',
      'PROPOSED:CANCEL',
      'ACCEPTED:COMPLETE',
      'ACCEPTED:CANCEL',
      'COMPLETED:CONFIRM',
    ]);
    for (const status of ['PROPOSED', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'COMPLETED'] as const) {
      for (const action of ['ACCEPT', 'DECLINE', 'COMPLETE', 'CONFIRM', 'CANCEL'] as const) {
        expect(outcome(state(status), null, action)).toBe('FORBIDDEN');
        const byReceiver = outcome(state(status), 'RECEIVER', action);
        if (!legal.has(`${status}:${action}`)) expect(byReceiver, `${status}:${action}`).toBe('CONFLICT');
        else expect(byReceiver).not.toBe('CONFLICT');
      }
    }
  });
});

it('adds measures to the ledger by unit', () => {
  expect(ledgerIncrements(2.5, 'HOURS')).toEqual({
    giver: { givenCount: 1, givenHours: 2.5, givenUnits: 0 },
    receiver: { receivedCount: 1, receivedHours: 2.5, receivedUnits: 0 },
  });
  expect(ledgerIncrements(null, null).giver).toEqual({ givenCount: 1, givenHours: 0, givenUnits: 0 });
});

it('finds members who only give or only receive, across kinds', () => {
  const rows = [
    { memberId: 'a', givenCount: 2, receivedCount: 0 },
    { memberId: 'a', givenCount: 1, receivedCount: 0 },
    { memberId: 'b', givenCount: 0, receivedCount: 3 },
    { memberId: 'c', givenCount: 1, receivedCount: 0 },
    { memberId: 'c', givenCount: 0, receivedCount: 1 },
  ];
  expect(oneWayMembers(rows)).toEqual({ onlyGive: ['a'], onlyReceive: ['b'] });
});
