# Banditore: one image for every role (run, poller, worker, dashboard).
# The binary runs the TypeScript sources through tsx, which is a runtime *dependency* (not a
# devDependency), so `npm ci --omit=dev` installs all that is needed; typescript, vitest and the
# @types packages stay out of the image.

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    NO_UPDATE_NOTIFIER=1
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
