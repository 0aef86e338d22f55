// Whether dist/ was built from the sources as they are now. `npm start` builds only when it was
// not (a build takes ~10 s; most starts change nothing), and every build records what it was
// built from. Content hashes, not times: a checkout or a `touch` that changes nothing costs nothing.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['server', 'shared', 'web'];
const SOURCE_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'vite.config.ts',
  'vite.admin.config.ts',
  'web/tsconfig.json',
];
const STAMP = path.join('dist', '.build-stamp');

function* filesUnder(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    // Tests are not part of the build: editing one must not cost a rebuild.
    else if (!/\.test\.tsx?$/.test(entry.name)) yield full;
  }
}

/** One hash of every file the build reads, in a stable order. */
export function sourceHash(root = ROOT) {
  const hash = createHash('sha256');
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => (fs.existsSync(path.join(root, dir)) ? [...filesUnder(path.join(root, dir))] : [])),
    ...SOURCE_FILES.map((file) => path.join(root, file)).filter((file) => fs.existsSync(file)),
  ].sort();
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function isBuildCurrent(root = ROOT) {
  const stamp = path.join(root, STAMP);
  const built = fs.existsSync(path.join(root, 'dist', 'server', 'main.js')) && fs.existsSync(path.join(root, 'dist', 'web', 'index.html'));
  return built && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === sourceHash(root);
}

export function writeStamp(root = ROOT) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, STAMP), sourceHash(root) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'write') writeStamp();
