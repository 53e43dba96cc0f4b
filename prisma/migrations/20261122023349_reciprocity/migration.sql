-- CreateEnum
CREATE TYPE "ContributionKind" AS ENUM ('ATTENTION', 'KNOWLEDGE', 'SKILLS', 'CONNECTIONS', 'RESOURCES');

-- CreateEnum
CREATE TYPE "ListingType" AS ENUM ('ASK', 'OFFER');

-- CreateEnum
CREATE TYPE "ListingStatus" AS ENUM ('OPEN', 'MATCHED', 'FULFILLED', 'CLOSED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "ListingVisibility" AS ENUM ('NETWORK', 'PUBLIC');

-- CreateEnum
CREATE TYPE "ExchangeStatus" AS ENUM ('PROPOSED', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "ExchangeVisibility" AS ENUM ('PARTIES', 'NETWORK');

-- CreateEnum
CREATE TYPE "MeasureUnit" AS ENUM ('HOURS', 'UNITS');

-- CreateTable
CREATE TABLE "Listing" (
    "id" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "type" "ListingType" NOT NULL,
    "kind" "ContributionKind" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "ListingStatus" NOT NULL DEFAULT 'OPEN',
    "visibility" "ListingVisibility" NOT NULL DEFAULT 'NETWORK',
    "expiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Listing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Exchange" (
    "id" UUID NOT NULL,
    "networkId" UUID NOT NULL,
    "giverId" UUID NOT NULL,
    "receiverId" UUID NOT NULL,
    "proposerId" UUID NOT NULL,
    "askId" UUID,
    "offerId" UUID,
    "kind" "ContributionKind" NOT NULL,
    "description" TEXT,
    "measure" DOUBLE PRECISION,
    "measureUnit" "MeasureUnit",
    "status" "ExchangeStatus" NOT NULL DEFAULT 'PROPOSED',
    "visibility" "ExchangeVisibility" NOT NULL DEFAULT 'PARTIES',
    "idempotencyKey" TEXT,
    "requestHash" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "giverConfirmedAt" TIMESTAMPTZ(3),
    "receiverConfirmedAt" TIMESTAMPTZ(3),
    "giverGratitude" TEXT,
    "receiverGratitude" TEXT,

    CONSTRAINT "Exchange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "networkId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "kind" "ContributionKind" NOT NULL,
    "givenCount" INTEGER NOT NULL DEFAULT 0,
    "receivedCount" INTEGER NOT NULL DEFAULT 0,
    "givenHours" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "receivedHours" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "givenUnits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "receivedUnits" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("networkId","memberId","kind")
);

-- CreateIndex
CREATE INDEX "Listing_networkId_type_status_id_idx" ON "Listing"("networkId", "type", "status", "id");

-- CreateIndex
CREATE INDEX "Listing_authorId_idx" ON "Listing"("authorId");

-- CreateIndex
CREATE INDEX "Listing_tags_idx" ON "Listing" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "Exchange_networkId_status_id_idx" ON "Exchange"("networkId", "status", "id");

-- CreateIndex
CREATE INDEX "Exchange_giverId_networkId_idx" ON "Exchange"("giverId", "networkId");

-- CreateIndex
CREATE INDEX "Exchange_receiverId_networkId_idx" ON "Exchange"("receiverId", "networkId");

-- CreateIndex
CREATE INDEX "Exchange_askId_idx" ON "Exchange"("askId");

-- CreateIndex
CREATE INDEX "Exchange_offerId_idx" ON "Exchange"("offerId");

-- CreateIndex
CREATE UNIQUE INDEX "Exchange_proposerId_idempotencyKey_key" ON "Exchange"("proposerId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_memberId_idx" ON "LedgerEntry"("memberId");

-- AddForeignKey
ALTER TABLE "Listing" ADD CONSTRAINT "Listing_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Listing" ADD CONSTRAINT "Listing_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exchange" ADD CONSTRAINT "Exchange_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exchange" ADD CONSTRAINT "Exchange_giverId_fkey" FOREIGN KEY ("giverId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exchange" ADD CONSTRAINT "Exchange_receiverId_fkey" FOREIGN KEY ("receiverId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exchange" ADD CONSTRAINT "Exchange_proposerId_fkey" FOREIGN KEY ("proposerId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exchange" ADD CONSTRAINT "Exchange_askId_fkey" FOREIGN KEY ("askId") REFERENCES "Listing"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exchange" ADD CONSTRAINT "Exchange_offerId_fkey" FOREIGN KEY ("offerId") REFERENCES "Listing"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "Network"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

