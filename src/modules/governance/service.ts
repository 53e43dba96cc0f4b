import type { ServiceDeps } from '../../deps.js';
import type { Proposal } from '../../db/generated/prisma/client.js';
import { DomainError, conflict, forbidden, notFound } from '../../errors.js';
import { type Tx, inTransaction } from '../../events/unit-of-work.js';
import { log } from '../../log.js';
import type { Viewer } from '../accounts/service.js';
import type { Decision, NetworksService } from '../networks/service.js';
import type { TrustService } from '../trust/service.js';
import type { CastVoteInput, CreateProposalInput, WithdrawProposalInput } from './inputs.js';
import { visibleProposals } from './policy.js';
import {
  type ActionFacts,
  type ActionParameters,
  type Counts,
  type DecisionParameters,
  actionProblems,
  describeDecisionRule,
  everyoneVoted,
  recount,
  tally,
} from './rules.js';

const HOUR_MS = 3600 * 1000;

const countsOf = (p: Proposal): Counts => ({ yes: p.yesCount, no: p.noCount, abstain: p.abstainCount, block: p.blockCount });

/** Holds the proposal row until the transaction ends: votes and closing take turns. */
async function lockProposal(tx: Tx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "Proposal" WHERE id = ${id}::uuid FOR UPDATE`;
}

/** Serialises proposal creation per network (one open proposal per rule). */
async function lockNetwork(tx: Tx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "Network" WHERE id = ${id}::uuid FOR UPDATE`;
}

export type GovernanceService = ReturnType<typeof createGovernanceService>;

export function createGovernanceService(deps: ServiceDeps, networks: NetworksService, trust: TrustService) {
  const { db } = deps;

  async function actionFacts(tx: Tx, networkId: string, p: ActionParameters): Promise<ActionFacts> {
    const facts: ActionFacts = {};
    if (p.ruleId) {
      const rule = await tx.rule.findFirst({ where: { id: p.ruleId, networkId } });
      facts.rule = rule && { kind: rule.kind, repealed: rule.repealedAt !== null, title: rule.title, body: rule.body };
      facts.ruleUnderProposal =
        (await tx.proposal.count({
          where: { ruleId: p.ruleId, status: 'OPEN', action: { in: ['AMEND_RULE', 'REPEAL_RULE'] } },
        })) > 0;
    }
    if (p.goalId) facts.goalExists = (await tx.goal.count({ where: { id: p.goalId, networkId } })) > 0;
    if (p.memberId) {
      facts.subject = await tx.membership.findUnique({
        where: { memberId_networkId: { memberId: p.memberId, networkId } },
        select: { status: true, role: true },
      });
    }
    return facts;
  }

  /** Applies a passed proposal's action; returns what it did, in words. */
  async function applyAction(d: Decision, p: Proposal): Promise<string> {
    const { tx, record, networkId } = d;
    switch (p.action) {
      case 'ADOPT_RULE': {
        const text = { title: p.ruleTitle!, body: p.ruleBody! };
        const rule = await tx.rule.create({
          data: { ...text, networkId, kind: p.ruleKind!, versions: { create: { ...text, version: 1, proposalId: p.id } } },
        });
        await record({ type: 'rule.adopted', networkId, subjectId: rule.id, data: { ruleId: rule.id, proposalId: p.id, kind: rule.kind } });
        return `Rule "${rule.title}" adopted.`;
      }
      case 'AMEND_RULE': {
        const current = await tx.rule.findUnique({ where: { id: p.ruleId! } });
        if (!current || current.repealedAt) return 'Nothing to do: the rule had been repealed meanwhile.';
        const next = {
          title: p.ruleTitle ?? current.title,
          body: p.ruleBody ?? current.body,
          decisionMethod: p.decisionMethod ?? current.decisionMethod,
          quorum: p.quorum ?? current.quorum,
          votingPeriodHours: p.votingPeriodHours ?? current.votingPeriodHours,
        };
        if (current.kind === 'DECISION_MAKING' && !p.ruleBody) {
          next.body = describeDecisionRule(next as DecisionParameters);
        }
        const version = current.version + 1;
        await tx.rule.update({
          where: { id: current.id },
          data: { ...next, version, versions: { create: { ...next, version, proposalId: p.id } } },
        });
        await record({ type: 'rule.amended', networkId, subjectId: current.id, data: { ruleId: current.id, proposalId: p.id, version } });
        return `Rule "${next.title}" amended to version ${version}.`;
      }
      case 'REPEAL_RULE': {
        const { count } = await tx.rule.updateMany({ where: { id: p.ruleId!, repealedAt: null }, data: { repealedAt: deps.now() } });
        if (count === 0) return 'Nothing to do: the rule had already been repealed.';
        await record({ type: 'rule.repealed', networkId, subjectId: p.ruleId, data: { ruleId: p.ruleId, proposalId: p.id } });
        return 'Rule repealed.';
      }
      case 'UPDATE_PURPOSE':
        return networks.updatePurposeByDecision(d, p.purpose!);
      case 'SET_GOAL': {
        const goal = p.goalId
          ? await tx.goal.update({ where: { id: p.goalId }, data: { status: p.goalStatus!, ...(p.goalTitle && { title: p.goalTitle }) } })
          : await tx.goal.create({ data: { networkId, title: p.goalTitle!, status: p.goalStatus ?? 'ACTIVE' } });
        await record({ type: 'goal.set', networkId, subjectId: goal.id, data: { goalId: goal.id, status: goal.status, proposalId: p.id } });
        return `Goal "${goal.title}" is ${goal.status}.`;
      }
      case 'ADMIT_MEMBER':
        return networks.admitByDecision(d, p.subjectMemberId!);
      case 'REMOVE_MEMBER':
        return networks.removeByDecision(d, p.subjectMemberId!);
      case 'CHANGE_ROLE':
        return networks.changeRoleByDecision(d, p.subjectMemberId!, p.role!);
      case 'SET_TRUST_THRESHOLDS': {
        const given = Object.entries((p.trustThresholds ?? {}) as Record<string, number | null>).filter(([, v]) => v !== null);
        return trust.thresholdsChanged(d, p.trustLevel as 1 | 2 | 3, Object.fromEntries(given));
      }
    }
  }

  /**
   * Tallies a due proposal and, when it passed, applies its action: all in one
   * transaction, holding the proposal's row, so that of several instances exactly one
   * closes it and a failure leaves it OPEN for the next attempt. Returns the closed
   * proposal, or null when there was nothing to close (not due, or already closed).
   */
async function closeProposal(proposalId: string): Promise<Proposal | null> {
    return inTransaction(deps, async (tx, record) => {
      await lockProposal(tx, proposalId);
      const current = await tx.proposal.findUnique({ where: { id: proposalId }, include: { decisionRule: true } });
      if (!current || current.status !== 'OPEN') return null;
      const counts = countsOf(current);
      if (current.closesAt > deps.now() && !everyoneVoted(counts, current.eligibleCount)) return null;
      const { decisionMethod, quorum } = current.decisionRule;
      const outcome = tally(counts, current.eligibleCount, { decisionMethod: decisionMethod!, quorum: quorum! });
      const decision: Decision = { tx, record, networkId: current.networkId, proposalId, title: current.title };
      const applied = outcome.status === 'PASSED' ? await applyAction(decision, current) : null;
      const proposal = await tx.proposal.update({
        where: { id: proposalId },
        data: {
          status: outcome.status,
          quorumMet: outcome.quorumMet,
          outcome: applied ? `${outcome.reason} ${applied}` : outcome.reason,
          closedAt: deps.now(),
        },
      });
      await record({
        type: 'proposal.closed',
        networkId: proposal.networkId,
        subjectId: proposal.id,
        data: { proposalId, status: proposal.status, outcome: proposal.outcome, ...counts },
      });
      return proposal;
    });
  }

  /** The proposal as the viewer may see it, locked for this transaction; NOT_FOUND otherwise. */
  async function proposalForViewer(tx: Tx, viewer: Viewer, proposalId: string) {
    await lockProposal(tx, proposalId);
    const proposal = await tx.proposal.findFirst({ where: { id: proposalId, ...visibleProposals(viewer.memberId) } });
    if (!proposal) throw notFound('No such proposal.', ['proposalId']);
    return proposal;
  }

  return {
    /** The rules a network starts with, set by its creator inside the creating transaction;
     * afterwards rules change only by proposal. */
    async foundRules(tx: Tx, networkId: string, decision: DecisionParameters) {
      const { decisionMethod, quorum, votingPeriodHours } = decision;
      const text = { title: 'How we decide', body: describeDecisionRule(decision), decisionMethod, quorum, votingPeriodHours };
      return tx.rule.create({
        data: { ...text, kind: 'DECISION_MAKING', networkId, versions: { create: { ...text, version: 1 } } },
      });
    },

    /** Opens a proposal: the active members now are its voters, the decision rule now in
     * force decides it, and a job closes it when the voting period ends. */
    async createProposal(viewer: Viewer, input: CreateProposalInput) {
      const { networkId, title, body, action, memberId, ...rest } = input;
      const parameters: ActionParameters = { ...rest, memberId };
      return inTransaction(deps, async (tx, record) => {
        await lockNetwork(tx, networkId);
        const own = await tx.membership.findUnique({ where: { memberId_networkId: { memberId: viewer.memberId, networkId } } });
        const network = await tx.network.findUnique({ where: { id: networkId } });
        if (!network || (network.visibility === 'PRIVATE' && own?.status !== 'ACTIVE')) {
          throw notFound('No such network.', ['networkId']);
        }
        if (own?.status !== 'ACTIVE') throw forbidden('Only active members of this network can make proposals.');
        const problems = actionProblems(action, parameters, await actionFacts(tx, networkId, parameters));
        if (problems.length) throw new DomainError(problems.map(({ code, message, field }) => ({ code, message, field: [field] })));

        const decisionRule = await tx.ruleVersion.findFirstOrThrow({
          where: { rule: { networkId, kind: 'DECISION_MAKING', repealedAt: null } },
          orderBy: { version: 'desc' },
        });
        const voters = await tx.membership.findMany({ where: { networkId, status: 'ACTIVE' }, select: { memberId: true } });
        const now = deps.now();
        const closesAt = new Date(now.getTime() + decisionRule.votingPeriodHours! * HOUR_MS);
        const proposal = await tx.proposal.create({
          data: {
            networkId,
            proposerId: viewer.memberId,
            title,
            body,
            action,
            ...rest,
            subjectMemberId: memberId ?? null,
            trustThresholds: rest.trustThresholds ?? undefined,
            decisionRuleVersionId: decisionRule.id,
            eligibleCount: voters.length,
            createdAt: now,
            closesAt,
            ballots: { createMany: { data: voters.map((v) => ({ memberId: v.memberId })) } },
          },
        });
        await deps.jobs.enqueue(tx, 'proposal.close', { proposalId: proposal.id }, { startAfter: closesAt });
        await record({
          type: 'proposal.opened',
          networkId,
          actorId: viewer.memberId,
          subjectId: proposal.id,
          data: { proposalId: proposal.id, action, closesAt: closesAt.toISOString() },
        });
        return proposal;
      });
    },

    /** Records or changes the viewer's vote; once everyone has voted, the proposal closes. */
    async castVote(viewer: Viewer, input: CastVoteInput) {
      const { proposal, complete } = await inTransaction(deps, async (tx, record) => {
        const current = await proposalForViewer(tx, viewer, input.proposalId);
        if (current.status !== 'OPEN') throw conflict('Voting on this proposal has ended.', ['proposalId']);
        if (current.closesAt <= deps.now()) throw conflict('The voting period has ended; the proposal is being closed.', ['proposalId']);
        const ballot = await tx.ballot.findUnique({ where: { proposalId_memberId: { proposalId: current.id, memberId: viewer.memberId } } });
        if (!ballot) throw forbidden('Only members who were active when the proposal opened can vote on it.');
        const counts = recount(countsOf(current), ballot.choice, input.choice);
        await tx.ballot.update({
          where: { id: ballot.id },
          data: { choice: input.choice, reason: input.reason ?? null, castAt: deps.now() },
        });
        const proposal = await tx.proposal.update({
          where: { id: current.id },
          data: { yesCount: counts.yes, noCount: counts.no, abstainCount: counts.abstain, blockCount: counts.block },
        });
        const complete = everyoneVoted(counts, proposal.eligibleCount);
        if (complete) await deps.jobs.enqueue(tx, 'proposal.close', { proposalId: proposal.id });
        // The choice stays out of the activity record and events until the proposal closes.
        await record({
          type: 'proposal.vote_cast',
          networkId: proposal.networkId,
          actorId: viewer.memberId,
          subjectId: proposal.id,
          data: { proposalId: proposal.id, changed: ballot.choice !== null },
        });
        return { proposal, complete };
      });
      if (!complete) return proposal;
      // The queued job would close it too; closing now lets the voter see the outcome.
      const closed = await closeProposal(proposal.id).catch((error) => {
        log.error({ err: error, proposalId: proposal.id }, 'closing a fully voted proposal failed; its job will retry');
        return null;
      });
      return closed ?? proposal;
    },

    async withdraw(viewer: Viewer, input: WithdrawProposalInput) {
      return inTransaction(deps, async (tx, record) => {
        const current = await proposalForViewer(tx, viewer, input.proposalId);
        if (current.proposerId !== viewer.memberId) throw forbidden('Only the proposer can withdraw a proposal.');
        if (current.status !== 'OPEN') throw conflict('Only open proposals can be withdrawn.', ['proposalId']);
        const proposal = await tx.proposal.update({
          where: { id: current.id },
          data: { status: 'WITHDRAWN', closedAt: deps.now(), outcome: 'Withdrawn by the proposer.' },
        });
        await record({ type: 'proposal.withdrawn', networkId: proposal.networkId, actorId: viewer.memberId, subjectId: proposal.id, data: { proposalId: proposal.id } });
        return proposal;
      });
    },

    closeProposal,
  };
}
