# Production image: compiled server, the built portal, production dependencies, migrations.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
# Install scripts are skipped (they would also set up the test-only migration differ);
# the Prisma client and Pothos types are generated explicitly.
RUN npm ci --ignore-scripts --no-audit --no-fund && npx prisma generate
COPY tsconfig.json tsconfig.build.json codegen.ts ./
COPY src ./src
COPY schema ./schema
COPY portal ./portal
RUN npm run build && npm run codegen && npm run portal:build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/portal/dist ./portal/dist
COPY prisma/migrations ./prisma/migrations
USER node
EXPOSE 4000
CMD ["node", "dist/server/main.js"]
