-- CreateEnum
CREATE TYPE "RsvpResponse" AS ENUM ('GOING', 'MAYBE', 'NOT_GOING');

-- CreateEnum
CREATE TYPE "AttendanceMethod" AS ENUM ('CHECK_IN', 'RECORDED');

-- CreateEnum
CREATE TYPE "IntroductionResponse" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED');

-- AlterEnum
ALTER TYPE "ProposalAction" ADD VALUE 'SET_TRUST_THRESHOLDS';

-- AlterTable
ALTER TABLE "Network" ADD COLUMN     "trustThresholds" JSONB;

-- AlterTable
ALTER TABLE "Proposal" ADD COLUMN     "trustLevel" INTEGER,
ADD COLUMN     "trustThresholds" JSONB;

-- CreateTable
CREATE TABLE "Meetup" (
    "id" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "organizerId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "place" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "capacity" INTEGER,
    "attendanceCode" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Meetup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rsvp" (
    "id" UUID NOT NULL,
    "meetupId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "response" "RsvpResponse" NOT NULL,
    "waitlisted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Rsvp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" UUID NOT NULL,
    "meetupId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "method" "AttendanceMethod" NOT NULL,
    "recordedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckInFailure" (
    "id" UUID NOT NULL,
    "meetupId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckInFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vouch" (
    "id" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "voucherId" UUID NOT NULL,
    "voucheeId" UUID NOT NULL,
    "context" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Vouch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkillEndorsement" (
    "id" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "endorserId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "skill" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SkillEndorsement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Introduction" (
    "id" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "memberAId" UUID NOT NULL,
    "memberBId" UUID NOT NULL,
    "note" TEXT NOT NULL,
    "responseA" "IntroductionResponse" NOT NULL DEFAULT 'PENDING',
    "responseB" "IntroductionResponse" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metAt" TIMESTAMPTZ(3),
    "exchangedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Introduction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tie" (
    "networkId" UUID NOT NULL,
    "memberAId" UUID NOT NULL,
    "memberBId" UUID NOT NULL,
    "meetupsTogether" INTEGER NOT NULL DEFAULT 0,
    "exchangesAToB" INTEGER NOT NULL DEFAULT 0,
    "exchangesBToA" INTEGER NOT NULL DEFAULT 0,
    "vouchAToB" BOOLEAN NOT NULL DEFAULT false,
    "vouchBToA" BOOLEAN NOT NULL DEFAULT false,
    "introductionsAccepted" INTEGER NOT NULL DEFAULT 0,
    "strength" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "firstInteractionAt" TIMESTAMPTZ(3) NOT NULL,
    "lastInteractionAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Tie_pkey" PRIMARY KEY ("networkId","memberAId","memberBId")
);

-- CreateIndex
CREATE INDEX "Meetup_networkId_startsAt_idx" ON "Meetup"("networkId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Rsvp_meetupId_memberId_key" ON "Rsvp"("meetupId", "memberId");

-- CreateIndex
CREATE INDEX "Attendance_memberId_idx" ON "Attendance"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_meetupId_memberId_key" ON "Attendance"("meetupId", "memberId");

-- CreateIndex
CREATE INDEX "CheckInFailure_meetupId_memberId_createdAt_idx" ON "CheckInFailure"("meetupId", "memberId", "createdAt");

-- CreateIndex
CREATE INDEX "Vouch_networkId_voucheeId_idx" ON "Vouch"("networkId", "voucheeId");

-- CreateIndex
CREATE UNIQUE INDEX "Vouch_networkId_voucherId_voucheeId_key" ON "Vouch"("networkId", "voucherId", "voucheeId");

-- CreateIndex
CREATE INDEX "SkillEndorsement_networkId_memberId_idx" ON "SkillEndorsement"("networkId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "SkillEndorsement_networkId_endorserId_memberId_skill_key" ON "SkillEndorsement"("networkId", "endorserId", "memberId", "skill");

-- CreateIndex
CREATE INDEX "Introduction_networkId_memberAId_memberBId_idx" ON "Introduction"("networkId", "memberAId", "memberBId");

-- CreateIndex
CREATE INDEX "Introduction_connectorId_idx" ON "Introduction"("connectorId");

-- CreateIndex
CREATE INDEX "Tie_networkId_memberBId_idx" ON "Tie"("networkId", "memberBId");

-- AddForeignKey
ALTER TABLE "Meetup" ADD CONSTRAINT "Meetup_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meetup" ADD CONSTRAINT "Meetup_organizerId_fkey" FOREIGN KEY ("organizerId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rsvp" ADD CONSTRAINT "Rsvp_meetupId_fkey" FOREIGN KEY ("meetupId") REFERENCES "Meetup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rsvp" ADD CONSTRAINT "Rsvp_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_meetupId_fkey" FOREIGN KEY ("meetupId") REFERENCES "Meetup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckInFailure" ADD CONSTRAINT "CheckInFailure_meetupId_fkey" FOREIGN KEY ("meetupId") REFERENCES "Meetup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vouch" ADD CONSTRAINT "Vouch_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vouch" ADD CONSTRAINT "Vouch_voucherId_fkey" FOREIGN KEY ("voucherId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vouch" ADD CONSTRAINT "Vouch_voucheeId_fkey" FOREIGN KEY ("voucheeId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkillEndorsement" ADD CONSTRAINT "SkillEndorsement_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkillEndorsement" ADD CONSTRAINT "SkillEndorsement_endorserId_fkey" FOREIGN KEY ("endorserId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkillEndorsement" ADD CONSTRAINT "SkillEndorsement_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_memberAId_fkey" FOREIGN KEY ("memberAId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_memberBId_fkey" FOREIGN KEY ("memberBId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tie" ADD CONSTRAINT "Tie_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tie" ADD CONSTRAINT "Tie_memberAId_fkey" FOREIGN KEY ("memberAId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tie" ADD CONSTRAINT "Tie_memberBId_fkey" FOREIGN KEY ("memberBId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

