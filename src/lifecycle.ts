// What every process entry does around its app: read the configuration (or say what is wrong
// and exit), close gracefully on SIGTERM and SIGINT within SHUTDOWN_TIMEOUT_MS, and report a
// failure to start.
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.js';

export function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/** On SIGTERM or SIGINT (the first one), closes the app and exits; past the timeout, exits anyway. */
export function closeOnSignals(app: FastifyInstance, config: Pick<Config, 'SHUTDOWN_TIMEOUT_MS'>): void {
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing the work in flight');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    await app.close();
    app.log.info('closed');
    process.exit(0);
  };
  process.once('SIGTERM', () => void close('SIGTERM'));
  process.once('SIGINT', () => void close('SIGINT'));
}

/** Runs a process entry; a failure to start is printed and exits 1. */
export function run(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
