// Before `npm test`: the browser tests need Debian's Chromium (never a downloaded browser). When it
// is missing, install it if this user may (root with apt-get), or stop at once with the command to
// run, instead of failing minutes later in the middle of the suite.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.YOYAKU_CHROMIUM || '/usr/bin/chromium';
// Noto CJK lets the screenshots show Japanese, Chinese and Korean instead of empty boxes;
// poppler-utils (pdftotext, pdffonts) reads the call centre's postcards back.
const PACKAGES = ['chromium', 'fonts-noto-cjk', 'poppler-utils'];
const COMMAND = `sudo apt-get update && sudo apt-get install -y ${PACKAGES.join(' ')}`;

function hasAptGet() {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function install() {
  console.log(`Installing Debian's ${PACKAGES.join(' and ')} for the browser tests…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  return update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', ...PACKAGES], { stdio: 'inherit', env }).status === 0;
}

const hasPdfTools = () => spawnSync('sh', ['-c', 'command -v pdftotext && command -v pdffonts'], { stdio: 'ignore' }).status === 0;

if (!fs.existsSync(CHROMIUM) || !hasPdfTools()) {
  const mayInstall = process.env.YOYAKU_INSTALL_BROWSER !== 'never' && process.getuid?.() === 0 && hasAptGet();
  if (!(mayInstall && install() && fs.existsSync(CHROMIUM) && hasPdfTools())) {
    console.error(
      [
        `The browser tests need Debian's Chromium at ${CHROMIUM}, and the postcard tests poppler-utils; one of them is missing.`,
        'Install it with:',
        `  ${COMMAND}`,
        'then run npm test again. Without a browser you can run the rest: npm run test:unit && npm run test:integration',
      ].join('\n'),
    );
    process.exit(1);
  }
}
