-- CreateEnum
CREATE TYPE "ProposalAction" AS ENUM ('ADOPT_RULE', 'AMEND_RULE', 'REPEAL_RULE', 'UPDATE_PURPOSE', 'SET_GOAL', 'ADMIT_MEMBER', 'REMOVE_MEMBER', 'CHANGE_ROLE');

-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('OPEN', 'PASSED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "VoteChoice" AS ENUM ('YES', 'NO', 'ABSTAIN', 'BLOCK');

-- AlterTable
ALTER TABLE "RuleVersion" ADD COLUMN     "proposalId" UUID;

-- CreateTable
CREATE TABLE "Proposal" (
    "id" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "proposerId" UUID,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "action" "ProposalAction" NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'OPEN',
    "ruleId" UUID,
    "ruleKind" "RuleKind",
    "ruleTitle" TEXT,
    "ruleBody" TEXT,
    "decisionMethod" "DecisionMethod",
    "quorum" DOUBLE PRECISION,
    "votingPeriodHours" INTEGER,
    "purpose" TEXT,
    "goalId" UUID,
    "goalTitle" TEXT,
    "goalStatus" "GoalStatus",
    "subjectMemberId" UUID,
    "role" "MembershipRole",
    "decisionRuleVersionId" UUID NOT NULL,
    "eligibleCount" INTEGER NOT NULL,
    "yesCount" INTEGER NOT NULL DEFAULT 0,
    "noCount" INTEGER NOT NULL DEFAULT 0,
    "abstainCount" INTEGER NOT NULL DEFAULT 0,
    "blockCount" INTEGER NOT NULL DEFAULT 0,
    "quorumMet" BOOLEAN,
    "outcome" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closesAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ballot" (
    "id" UUID NOT NULL,
    "proposalId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "choice" "VoteChoice",
    "reason" TEXT,
    "castAt" TIMESTAMPTZ(3),

    CONSTRAINT "Ballot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Proposal_networkId_status_id_idx" ON "Proposal"("networkId", "status", "id");

-- CreateIndex
CREATE INDEX "Proposal_status_closesAt_idx" ON "Proposal"("status", "closesAt");

-- CreateIndex
CREATE INDEX "Ballot_memberId_idx" ON "Ballot"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Ballot_proposalId_memberId_key" ON "Ballot"("proposalId", "memberId");

-- AddForeignKey
ALTER TABLE "RuleVersion" ADD CONSTRAINT "RuleVersion_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_proposerId_fkey" FOREIGN KEY ("proposerId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_subjectMemberId_fkey" FOREIGN KEY ("subjectMemberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "Rule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "Goal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_decisionRuleVersionId_fkey" FOREIGN KEY ("decisionRuleVersionId") REFERENCES "RuleVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ballot" ADD CONSTRAINT "Ballot_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ballot" ADD CONSTRAINT "Ballot_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

