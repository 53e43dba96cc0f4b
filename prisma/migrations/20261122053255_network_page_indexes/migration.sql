-- DropIndex
DROP INDEX "Membership_networkId_status_joinedAt_idx";

-- CreateIndex
CREATE INDEX "Membership_networkId_status_id_idx" ON "Membership"("networkId", "status", "id");

-- CreateIndex
CREATE INDEX "Listing_networkId_type_id_idx" ON "Listing"("networkId", "type", "id");

-- CreateIndex
CREATE INDEX "Exchange_networkId_id_idx" ON "Exchange"("networkId", "id");

