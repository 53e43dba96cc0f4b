/** Pure decisions about exchanges: who may move one, and where to. */
import type { ExchangeStatus } from '../../domain.js';

export type Party = 'GIVER' | 'RECEIVER';
export type ExchangeAction = 'ACCEPT' | 'DECLINE' | 'COMPLETE' | 'CONFIRM' | 'CANCEL';

export type ExchangeState = {
  status: ExchangeStatus;
  proposedBy: Party;
  giverConfirmed: boolean;
  receiverConfirmed: boolean;
};

export type Transition = { status: ExchangeStatus; confirms?: Party };
export type Refusal = { refused: 'FORBIDDEN' | 'CONFLICT'; message: string };

/** What an action by one side (or by someone else: null) does to an exchange. */
export function decideTransition(state: ExchangeState, actor: Party | null, action: ExchangeAction): Transition | Refusal {
  if (!actor) return { refused: 'FORBIDDEN', message: 'Only the giver and the receiver can act on an exchange.' };
  const wrongStatus = (expected: string): Refusal => ({
    refused: 'CONFLICT',
    message: `Only ${expected} exchanges can be ${PAST[action]}; this one is ${state.status.toLowerCase()}.`,
  });
  switch (action) {
    case 'ACCEPT':
    case 'DECLINE':
      if (state.status !== 'PROPOSED') return wrongStatus('proposed');
      if (actor === state.proposedBy) return { refused: 'FORBIDDEN', message: 'The other side answers a proposed exchange.' };
      return { status: action === 'ACCEPT' ? 'ACCEPTED' : 'DECLINED' };
    case 'COMPLETE':
      if (state.status !== 'ACCEPTED') return wrongStatus('accepted');
      return { status: 'COMPLETED' };
    case 'CONFIRM': {
      if (state.status !== 'COMPLETED') return wrongStatus('completed');
      const already = actor === 'GIVER' ? state.giverConfirmed : state.receiverConfirmed;
      if (already) return { refused: 'CONFLICT', message: 'You have already confirmed this exchange.' };
      return { status: 'COMPLETED', confirms: actor };
    }
    case 'CANCEL':
      if (state.status !== 'PROPOSED' && state.status !== 'ACCEPTED') return wrongStatus('proposed or accepted');
      return { status: 'CANCELLED' };
  }
}

const PAST: Record<ExchangeAction, string> = {
  ACCEPT: 'accepted',
  DECLINE: 'declined',
  COMPLETE: 'completed',
  CONFIRM: 'confirmed',
  CANCEL: 'cancelled',
};

/** Statuses in which an exchange still holds the listings it is linked to. */
export const LIVE_STATUSES: ExchangeStatus[] = ['PROPOSED', 'ACCEPTED'];

/** The ledger columns a completed exchange adds to, for the giver and the receiver. */
export function ledgerIncrements(measure: number | null, unit: 'HOURS' | 'UNITS' | null) {
  const hours = unit === 'HOURS' ? (measure ?? 0) : 0;
  const units = unit === 'UNITS' ? (measure ?? 0) : 0;
  return {
    giver: { givenCount: 1, givenHours: hours, givenUnits: units },
    receiver: { receivedCount: 1, receivedHours: hours, receivedUnits: units },
  };
}

export type LedgerRow = { memberId: string; givenCount: number; receivedCount: number };

/** Members who, in a network's ledger, have only given, or only received. */
export function oneWayMembers(rows: LedgerRow[]) {
  const totals = new Map<string, { given: number; received: number }>();
  for (const row of rows) {
    const t = totals.get(row.memberId) ?? { given: 0, received: 0 };
    t.given += row.givenCount;
    t.received += row.receivedCount;
    totals.set(row.memberId, t);
  }
  const onlyGive: string[] = [];
  const onlyReceive: string[] = [];
  for (const [memberId, t] of totals) {
    if (t.given > 0 && t.received === 0) onlyGive.push(memberId);
    if (t.received > 0 && t.given === 0) onlyReceive.push(memberId);
  }
  return { onlyGive, onlyReceive };
}
