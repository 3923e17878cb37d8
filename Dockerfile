# Hookhub image: build with the dev dependencies, run with the production ones only.
#   docker build -t hookhub .
#   docker run -p 3000:3000 -e DATABASE_URL=... -e REDIS_URL=... -e ADMIN_API_KEY=... -e ENCRYPTION_KEY=... hookhub
# Node.js 22 LTS: Node.js 20 reached its end of life in April 2026.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- deps: every dependency, dev ones included, from the lockfile ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
# Install scripts are skipped (see "allowScripts" in package.json): nothing Hookhub needs compiles on install.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

# ---- build: compile TypeScript (src/ and migrations/) into dist/, then drop the dev dependencies ----
FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
# Output: dist/src/main.js, dist/migrations/*.js and dist/package.json (tsconfig rootDir is ".").
RUN npm run build && npm prune --omit=dev --ignore-scripts

# ---- runtime: compiled code and production dependencies, run as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000

# Files stay owned by root: the process only reads them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000

# Slim images have no curl or wget: ask GET /health with Node's own fetch (200 = PostgreSQL, Redis and the
# queues answer). A container started with APP_ROLE=worker serves no HTTP: turn this check off for it
# (docker run --no-healthcheck, or `healthcheck: disable: true` in compose, as docker-compose.yml does).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# On start: create the database if missing, run pending migrations, then serve (see docs/operations.md).
# Node runs as PID 1 and handles SIGTERM itself (graceful shutdown, up to 30 s).
CMD ["node", "dist/src/main.js"]
