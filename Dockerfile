# Multi-stage build: compile with dev dependencies, run with production ones only, as a non-root user.
# Node.js 24 LTS (security fixes until 2028-04-30); Node 20 reached its end of life on 2026-04-30.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/package.json ./package.json
# Mount points owned by the app user, so named volumes start writable (data dir, checkpoint witness).
RUN mkdir -p /app/data /app/witness && chown node:node /app/data /app/witness
USER node
EXPOSE 3000
# glibc's allocator (README "Memory"): large blocks in their own mappings, so freed compiler memory goes back.
ENV MALLOC_MMAP_THRESHOLD_=131072
ENV MALLOC_TRIM_THRESHOLD_=131072
# The node flags of `npm start` (package.json; README "Memory"): an old-space limit keeps the V8 heap from
# growing fourfold under load, and only baseline (Liftoff) code for the embedded database's WASM.
CMD ["node", "--max-old-space-size=1024", "--max-semi-space-size=16", "--liftoff-only", "dist/src/main.js"]
