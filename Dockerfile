# Herald: one image for the API, the workers and the migrations (docker-compose.yml picks the command).
FROM node:20-bookworm-slim

# Toolchain for native addons: .npmrc builds better-sqlite3 from source, never a prebuilt binary.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN chown node:node /app
USER node

COPY --chown=node:node package.json package-lock.json .npmrc ./
# `prepare` skips the console here (its sources are not copied yet): it is built below.
RUN npm ci && npm cache clean --force

COPY --chown=node:node . .
RUN npm run console:build
# The workflows bundled once, here: a worker given WORKFLOW_BUNDLE starts without webpack
# (seconds sooner, and ~100 MB less resident: BENCHMARKS.md, bench/million).
RUN npm run build:workflows -- /app/.build/workflows.js
ENV WORKFLOW_BUNDLE=/app/.build/workflows.js

EXPOSE 3000
CMD ["npm", "start"]
