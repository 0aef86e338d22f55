import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every word a resident reads comes from the i18next resources, so a language is added by
 * translation alone. This reads each component with the TypeScript parser and reports text
 * written straight into JSX, or into the attributes people (and screen readers) read.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READ_ALOUD = new Set(['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'label']);
/** Text that is the same in every language: the letters printed on the paper voucher itself. */
const ALLOWED = new Set(['QR']);
const WORDS = /[\p{L}]/u;

function componentFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return componentFiles(full);
    return entry.name.endsWith('.tsx') ? [full] : [];
  });
}

function literalTexts(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (node: ts.Node) => `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const text = node.getText().trim();
      if (text && WORDS.test(text) && !ALLOWED.has(text)) found.push(`${where(node)} text "${text}"`);
    }
    if (ts.isJsxAttribute(node) && READ_ALOUD.has(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer)) {
      const text = node.initializer.text;
      if (WORDS.test(text) && !ALLOWED.has(text)) found.push(`${where(node)} ${node.name.getText()}="${text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe.each([
  { app: 'the residents’ app', dir: 'web/src', atLeast: 20 },
  { app: 'the staff app', dir: 'web/admin/src', atLeast: 15 },
])('components of $app', ({ dir, atLeast }) => {
  const files = componentFiles(path.join(root, dir));

  it('are found (so that the check below cannot pass by reading nothing)', () => {
    expect(files.length).toBeGreaterThan(atLeast);
  });

  it('write no text of their own: every word comes from the translations', () => {
    expect(files.flatMap(literalTexts)).toEqual([]);
  });
});
