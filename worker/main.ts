import 'dotenv/config';
import { ConfigError } from './config/errors.ts';
import { startVigia } from './server.ts';

/** `npm start`: run Vigía until stopped. */
async function main() {
  const vigia = await startVigia();
  const { logger } = vigia.app;
  logger.info({ url: vigia.url, database: vigia.env.DATABASE_URL }, 'Vigía is running');
  process.stdout.write(`\n  Vigía is running at ${vigia.url}\n`);
  if (vigia.generatedAdminToken) {
    process.stdout.write(`  Admin token for this run (set ADMIN_TOKEN to choose one): ${vigia.generatedAdminToken}\n\n`);
  }
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await vigia.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
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
