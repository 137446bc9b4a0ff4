# devrev-observability-mock as a container for CI (README: "Use in CI").
#   docker build -t devrev-observability-mock .
#   docker run --rm -p 8080:8080 devrev-observability-mock
# Two stages on the official Node.js Active LTS slim image: the build stage compiles TypeScript with
# the dev dependencies, the runtime stage has production dependencies, dist/, fixtures/ and ui/ only.

FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts yet: `prepare` builds, and the sources are copied only after the dependencies (layer cache).
RUN npm ci --ignore-scripts --no-audit --no-fund
# The rest of the (allow-listed, see .dockerignore) context; fixtures/ may be absent in a clone.
COPY . .
RUN npm run build && mkdir -p fixtures

FROM node:26-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` needs the dev dependencies; the build stage has run it already.
# /ca: an empty directory the mock's user owns, so a named volume mounted there (to share the CA of
# MOCK_TLS=1 with other containers) is writable by it.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force && mkdir /ca && chown node:node /ca
COPY --from=build /app/dist ./dist
COPY --from=build /app/fixtures ./fixtures
# The dashboard's page and modules (GET /__admin/ui), read from beside dist/.
COPY --from=build /app/ui ./ui
COPY --from=build /app/docker/healthcheck.mjs ./healthcheck.mjs
# Every option is also an environment variable: PORT, HOST, MOCK_SEED, MOCK_SESSIONS, MOCK_NOW,
# MOCK_FIXTURES, MOCK_FAULTS, MOCK_TOKEN, MOCK_RATE_LIMIT, MOCK_MAX_BODY_BYTES, MOCK_MAX_LIMIT,
# MOCK_JOURNAL_SIZE, MOCK_ADMIN_TOKEN, MOCK_CONFIG, MOCK_LOG_LEVEL, MOCK_FREEZE_CLOCK, MOCK_TLS,
# MOCK_TLS_NAME, MOCK_TLS_CA_OUT, MOCK_TLS_CERT, MOCK_TLS_KEY (flags after the image name win).
# With MOCK_TLS=1 the mock writes its CA where the HEALTHCHECK (and `docker cp`) find it.
ENV HOST=0.0.0.0 PORT=8080 MOCK_TLS_CA_OUT=/tmp/devrev-observability-mock-ca.pem
EXPOSE 8080
USER node
# Node's own http/https, no curl; follows PORT, HOST, MOCK_ADMIN_TOKEN, the TLS options and their flags.
# A short interval so CI sees `healthy` about 2 s after start; override it in compose if you like.
HEALTHCHECK --interval=2s --timeout=3s --start-period=10s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
# Exec form: node is PID 1 and gets SIGTERM itself, so `docker stop` is a graceful, prompt stop.
ENTRYPOINT ["node", "dist/bin/cli.js"]
