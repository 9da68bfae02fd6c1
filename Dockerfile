# Banditore: one image for every role (run, poller, worker, dashboard).
# The binary runs the TypeScript sources through tsx, which is a runtime *dependency* (not a
# devDependency), so `npm ci --omit=dev` installs all that is needed; typescript, vitest and the
# @types packages stay out of the image.

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
# The V8 heap ceiling: without one, V8 on a large machine lets garbage pile up to hundreds of MB before
# it collects (a drain of 4,000 held posts peaked at ~400 MB RSS, with a live heap under 100 MB). The
# benchmark runs the service with this same setting (bench/service.ts reads it from here). Raise it for
# deployments of more than about 1,500 publishers.
ENV NODE_ENV=production \
    NO_UPDATE_NOTIFIER=1 \
    NODE_OPTIONS="--max-old-space-size=192"
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY src ./src
COPY config/templates ./config/templates
# Sources are owned by root and read-only for the service; tsx writes its cache to the temp dir.
# The config (with ${NAME} references to secrets from the environment) is mounted at /config.
USER node
ENTRYPOINT ["node", "bin/banditore.js"]
CMD ["run", "--config", "/config/banditore.yaml"]
