import { ConfigError, loadConfig, type Config } from './config.js';
import { DatabaseInUseError } from './db/database.js';
import { run, stopOnSignals } from './run.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/** Reads the configuration and runs this process's role (server/run.ts) until a signal stops it. */
async function main(): Promise<void> {
  stopOnSignals(await run(readConfig()));
}

main().catch((error: unknown) => {
  // Another process has the embedded database: its message says which, and what to do.
  if (error instanceof DatabaseInUseError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
