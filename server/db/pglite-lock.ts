import fs from 'node:fs';
import path from 'node:path';

/** Raised when another live process has the embedded database open. */
export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${pid}), most likely a running Yoyaku server: ` +
        'PGlite serves one process at a time, and two would corrupt it. Stop that process and try again ' +
        `(PostgreSQL, DATABASE_URL=…, has no such limit). If no such process runs, delete ${lockFile}.`,
    );
    this.name = 'DatabaseInUseError';
  }
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite opens its folder in any number of processes without complaint, and two of them writing
 * corrupt it. This claims the folder for this process (a file holding its pid, created
 * exclusively) or throws DatabaseInUseError naming the process that has it. A file left by a
 * process that died is taken over. Returns the function that gives the folder back.
 */
export function claimDataDir(dir: string): () => void {
  const file = path.join(dir, 'yoyaku.pid');
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(file);
      // Our own pid: a container restarted with the same pid, or a stale file; either way not a live other.
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw new DatabaseInUseError(dir, holder, file);
      fs.rmSync(file, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (holderOf(file) === process.pid) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}
