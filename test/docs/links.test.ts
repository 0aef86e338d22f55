import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every file git tracks, so the check sees what a fresh clone sees. */
const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).trim().split('\n');
const markdown = tracked.filter((file) => file.endsWith('.md'));
const sources = tracked.filter((file) => /\.(ts|tsx|mjs|js|json|md|html|css)$/.test(file) && !file.endsWith('package-lock.json'));

describe('the project stands on its own', () => {
  it('every relative link in the Markdown points to a file inside this repository', () => {
    const broken: string[] = [];
    for (const file of markdown) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/.test(target!)) continue;
        const resolved = path.resolve(path.dirname(file), target!.split('#')[0]!);
        const inside = resolved.startsWith(process.cwd() + path.sep);
        if (!inside || !fs.existsSync(resolved)) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('no file points at the notes outside the repository (the project keeps docs/domain.md)', () => {
    const outside = sources.filter((file) => /DOMAIN\.md|\.\.\/shared\/(seeds|DOMAIN|STYLE|UX)/.test(fs.readFileSync(file, 'utf8')));
    expect(outside).toEqual([]);
  });
});
