// `npm start`: build when the sources changed since the last build, then run the server.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBuildCurrent, ROOT } from './build-stamp.mjs';

if (!isBuildCurrent()) {
  console.log('Building the server and the web app (only when the sources changed)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(pathToFileURL(path.join(ROOT, 'dist', 'server', 'main.js')).href);
