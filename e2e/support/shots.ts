import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** Screenshots outside the repository (SHOTS_DIR, default e2e/screenshots), one folder per journey. */
export function shotsInto(name: string) {
  const dir = path.resolve(process.env.SHOTS_DIR ?? 'e2e/screenshots', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    n += 1;
    await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`), fullPage: true, animations: 'disabled' });
  };
}
