# syntax=docker/dockerfile:1

# Build: docker build -t informational-interviews .
# Run:   docker compose up   (Postgres, one-shot migrations, then the app)
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: compile TypeScript (needs devDependencies) --------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc emits only JS; the GraphQL SDL is read at runtime relative to the compiled modules
# (new URL('../graphql/base.graphql', import.meta.url)), so copy every src/**/*.graphql
# to the same relative path under dist/.
RUN npm run build \
 && cd src && find . -name '*.graphql' -exec cp --parents {} ../dist/ \;

# ---- deps: production node_modules only ------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the only runtime dependency with an install script is esbuild (via tsx),
# which the image never uses.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Code and dependencies stay root-owned (read-only to the app user). Only the embedded
# database's directory (DATA_DIR, default .data, used when DATABASE_URL is unset) is writable.
RUN mkdir .data && chown node:node .data
# package.json is needed at runtime: its "type": "module" makes dist/*.js ESM.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Migrations are read from <app>/drizzle (new URL('../../drizzle', ...) in dist/db/migrate.js).
COPY drizzle ./drizzle
USER node
EXPOSE 3000
# Liveness only (no curl in slim images; Node has fetch). docker-compose.yml checks /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM/SIGINT itself (graceful close, see src/server.ts).
# Other entry points: node dist/db/migrate.cli.js (migrations), node dist/cli/main.js (CLI).
CMD ["node", "dist/server.js"]
