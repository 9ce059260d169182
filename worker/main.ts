import 'dotenv/config';
import { ConfigError } from './config/errors.ts';
import { startVigia } from './server.ts';

/** How long a stop may take before the process exits anyway. */
const SHUTDOWN_BOUND_MS = 10_000;

/**
 * `npm start`: run Vigía until stopped. SIGTERM or SIGINT stops taking new work, settles or hands back what the
 * worker holds and exits 0 (1 if that takes longer than the bound); a second signal exits at once.
 */
async function main() {
  const vigia = await startVigia();
  const { logger } = vigia.app;
  logger.info({ url: vigia.url, database: vigia.env.DATABASE_URL }, 'Vigía is running');
  process.stdout.write(`\n  Vigía is running at ${vigia.url}\n`);
  if (vigia.generatedAdminToken) {
    process.stdout.write(`  Admin token for this run (set ADMIN_TOKEN to choose one): ${vigia.generatedAdminToken}\n\n`);
  }
  if (vigia.trialOwner) {
    process.stdout.write(`  Console: ${vigia.url}/admin/ — sign in as ${vigia.trialOwner.email} with the password ${vigia.trialOwner.password}\n`);
    process.stdout.write(`  (made once, because there was no account; change it in the console)\n\n`);
  }
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // A second signal means "now": the operator (or the process manager) will not wait for the rest.
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, boundMs: SHUTDOWN_BOUND_MS }, 'shutting down');
    // Whatever hangs (a slow request, a stuck render), the process is gone within the bound: what it held is
    // leased, so another worker takes it over.
    setTimeout(() => {
      logger.error({ signal, boundMs: SHUTDOWN_BOUND_MS }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, SHUTDOWN_BOUND_MS);
    vigia.close().then(
      () => {
        logger.info({ signal }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  // A config error is the operator's to fix: say exactly what, without a stack trace.
  if (error instanceof ConfigError || (error instanceof Error && error.message.startsWith('environment:'))) {
    process.stderr.write(`Vigía cannot start:\n${error.message}\n`);
  } else {
    process.stderr.write(`Vigía cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
