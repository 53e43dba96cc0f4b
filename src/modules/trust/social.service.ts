import type { ServiceDeps } from '../../deps.js';
import { uniqueViolationFields } from '../../db/errors.js';
import { badInput, conflict, forbidden, notFound } from '../../errors.js';
import { type Tx, inTransaction } from '../../events/unit-of-work.js';
import type { Viewer } from '../accounts/service.js';
import type { NetworksService } from '../networks/service.js';
import type {
  EndorseSkillInput,
  IntroduceInput,
  RespondToIntroductionInput,
  RevokeVouchInput,
  SetEngagementLevelInput,
  VouchInput,
} from './inputs.js';
import { visibleIntroductions } from './policy.js';
import type { TrustService } from './service.js';

export type SocialService = ReturnType<typeof createSocialService>;

/** Vouches, skill endorsements, introductions and stewards setting engagement levels. */
export function createSocialService(deps: ServiceDeps, networks: NetworksService, trust: TrustService) {
  /** The viewer and the other members must be active members of the network. */
  async function requireMembers(viewer: Viewer, networkId: string, others: { id: string; field: string }[]) {
    if (!(await networks.isActiveMember(viewer.memberId, networkId))) {
      if (!(await networks.findVisibleNetwork(viewer.memberId, networkId))) throw notFound('No such network.', ['networkId']);
      throw forbidden('Only active members of this network can do this.');
    }
    for (const other of others) {
      if (other.id === viewer.memberId) throw badInput('Choose someone other than yourself.', [other.field]);
      if (!(await networks.isActiveMember(other.id, networkId))) throw notFound('That member is not an active member of this network.', [other.field]);
    }
  }

  async function setVouch(tx: Tx, networkId: string, voucherId: string, voucheeId: string, active: boolean) {
    await trust.touchTie(tx, networkId, voucherId, voucheeId, { vouch: { from: voucherId, active } }, deps.now());
  }

  return {
    /** One vouch per voucher, vouchee and network; vouching again after revoking renews it. */
    async vouch(viewer: Viewer, input: VouchInput) {
      await requireMembers(viewer, input.networkId, [{ id: input.memberId, field: 'memberId' }]);
      return inTransaction(deps, async (tx, record) => {
        const key = { networkId: input.networkId, voucherId: viewer.memberId, voucheeId: input.memberId };
        const existing = await tx.vouch.findUnique({ where: { networkId_voucherId_voucheeId: key } });
        if (existing && !existing.revokedAt) throw conflict('You already vouch for this member here.', ['memberId']);
        const vouch = existing
          ? await tx.vouch.update({ where: { id: existing.id }, data: { context: input.context, revokedAt: null, createdAt: deps.now() } })
          : await tx.vouch.create({ data: { ...key, context: input.context, createdAt: deps.now() } });
        await setVouch(tx, input.networkId, viewer.memberId, input.memberId, true);
        await record({ type: 'vouch.given', networkId: input.networkId, actorId: viewer.memberId, subjectId: vouch.id, data: { voucheeId: input.memberId } });
        await trust.recomputeTrust(tx, record, input.networkId, [input.memberId]);
        return vouch;
      });
    },

    async revokeVouch(viewer: Viewer, input: RevokeVouchInput) {
      return inTransaction(deps, async (tx, record) => {
        const vouch = await tx.vouch.findFirst({ where: { id: input.vouchId, voucherId: viewer.memberId } });
        if (!vouch) throw notFound('No such vouch of yours.', ['vouchId']);
        if (vouch.revokedAt) throw conflict('This vouch was already revoked.', ['vouchId']);
        const revoked = await tx.vouch.update({ where: { id: vouch.id }, data: { revokedAt: deps.now() } });
        await setVouch(tx, vouch.networkId, vouch.voucherId, vouch.voucheeId, false);
        await record({ type: 'vouch.revoked', networkId: vouch.networkId, actorId: viewer.memberId, subjectId: vouch.id, data: { voucheeId: vouch.voucheeId } });
        await trust.recomputeTrust(tx, record, vouch.networkId, [vouch.voucheeId]);
        return revoked;
      });
    },

    async endorseSkill(viewer: Viewer, input: EndorseSkillInput) {
      await requireMembers(viewer, input.networkId, [{ id: input.memberId, field: 'memberId' }]);
      try {
        return await inTransaction(deps, async (tx, record) => {
          const endorsement = await tx.skillEndorsement.create({
            data: { networkId: input.networkId, endorserId: viewer.memberId, memberId: input.memberId, skill: input.skill },
          });
          await record({
            type: 'skill.endorsed',
            networkId: input.networkId,
            actorId: viewer.memberId,
            subjectId: endorsement.id,
            data: { memberId: input.memberId, skill: input.skill },
          });
          return endorsement;
        });
      } catch (error) {
        if (uniqueViolationFields(error)) throw conflict('You already endorsed this skill of theirs.', ['skill']);
        throw error;
      }
    },

    async introduce(viewer: Viewer, input: IntroduceInput) {
      await requireMembers(viewer, input.networkId, [
        { id: input.memberAId, field: 'memberAId' },
        { id: input.memberBId, field: 'memberBId' },
      ]);
      return inTransaction(deps, async (tx, record) => {
        const introduction = await tx.introduction.create({
          data: {
            networkId: input.networkId,
            connectorId: viewer.memberId,
            memberAId: input.memberAId,
            memberBId: input.memberBId,
            note: input.note,
            createdAt: deps.now(),
          },
        });
        await record({
          type: 'introduction.made',
          networkId: input.networkId,
          actorId: viewer.memberId,
          subjectId: introduction.id,
          data: { memberAId: input.memberAId, memberBId: input.memberBId },
        });
        return introduction;
      });
    },

    /** Each of the two introduced answers once; when both accept, their tie grows. */
    async respondToIntroduction(viewer: Viewer, input: RespondToIntroductionInput) {
      return inTransaction(deps, async (tx, record) => {
        await tx.$executeRaw`SELECT 1 FROM "Introduction" WHERE id = ${input.introductionId}::uuid FOR UPDATE`;
        const current = await tx.introduction.findFirst({ where: { id: input.introductionId, ...visibleIntroductions(viewer.memberId) } });
        if (!current) throw notFound('No such introduction.', ['introductionId']);
        const side = current.memberAId === viewer.memberId ? 'responseA' : current.memberBId === viewer.memberId ? 'responseB' : null;
        if (!side) throw forbidden('Only the two members introduced answer an introduction.');
        if (current[side] !== 'PENDING') throw conflict('You have already answered this introduction.', ['introductionId']);
        const introduction = await tx.introduction.update({
          where: { id: current.id },
          data: { [side]: input.accept ? 'ACCEPTED' : 'DECLINED' },
        });
        if (introduction.responseA === 'ACCEPTED' && introduction.responseB === 'ACCEPTED') {
          await trust.touchTie(tx, introduction.networkId, introduction.memberAId, introduction.memberBId, { introductions: 1 }, deps.now());
        }
        await record({
          type: input.accept ? 'introduction.accepted' : 'introduction.declined',
          networkId: introduction.networkId,
          actorId: viewer.memberId,
          subjectId: introduction.id,
          data: { introductionId: introduction.id },
        });
        return introduction;
      });
    },

    /** Stewards confirm or set a member's place on the engagement pyramid, with a reason. */
    async setEngagementLevel(viewer: Viewer, input: SetEngagementLevelInput) {
      return inTransaction(deps, async (tx, record) => {
        const current = await networks.findVisibleMembership(viewer.memberId, input.membershipId, tx);
        if (!current) throw notFound('No such membership.', ['membershipId']);
        if (!(await networks.isSteward(viewer.memberId, current.networkId, tx))) throw forbidden('Only stewards set engagement levels.');
        if (current.status !== 'ACTIVE') throw conflict('Only active memberships have an engagement level.', ['membershipId']);
        if (current.engagementLevel === input.level) throw conflict(`This member is already at ${input.level}.`, ['level']);
        const membership = await tx.membership.update({ where: { id: current.id }, data: { engagementLevel: input.level } });
        await tx.membershipChange.create({
          data: {
            membershipId: current.id,
            kind: 'ENGAGEMENT_LEVEL',
            fromValue: current.engagementLevel,
            toValue: input.level,
            reason: input.reason,
            actorId: viewer.memberId,
          },
        });
        await record({
          type: 'membership.engagement_level_changed',
          networkId: current.networkId,
          actorId: viewer.memberId,
          subjectId: current.id,
          data: { membershipId: current.id, memberId: current.memberId, from: current.engagementLevel, to: input.level, reason: input.reason },
        });
        return membership;
      });
    },
  };
}
