# Vigía: one worker process (API, site, and with VIGIA_JOBS=1 the polls and the notices). See docs/DEPLOY.md.
FROM node:20-slim

ENV NODE_ENV=production
WORKDIR /app
# Everything under /app belongs to the unprivileged `node` user of the base image: the worker writes its compiled
# file (dist/), the site renderer's build (.vigia-site-builds/, Astro's and Vite's caches) and the database (data/).
RUN chown node:node /app
USER node

# Runtime dependencies only. `npm start`'s build steps are among them: esbuild compiles the worker, Astro builds the
# site's renderer on the first start of each version of the site.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
# Compiled now, so the container starts `node` itself: signals reach the worker directly (see CMD).
RUN npm run build:worker && mkdir -p data

ENV HOST=0.0.0.0 \
    PORT=4321 \
    DATABASE_URL=file:/app/data/vigia.db \
    VIGIA_DATA_DIR=/app/data \
    VIGIA_BACKUP_DIR=/app/data/backups
EXPOSE 4321
VOLUME ["/app/data"]

# /healthz answers 503 while the database, the jobs or mail delivery are failing. The first start builds the site's
# renderer (about 10 s on a small machine), hence the start period.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4321) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# SIGTERM: the worker stops taking work, settles or hands back what it holds, and exits within 10 s. Give it that
# long before a SIGKILL (`docker stop -t 15`, compose's stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "--max-old-space-size=1024", "--enable-source-maps", "dist/worker.mjs"]
