import fs from 'node:fs';
import path from 'node:path';
import type { Lang } from './browser.js';

type Tree = { [key: string]: string | Tree };
const cache = new Map<string, Tree>();

function resources(file: string): Tree {
  let tree = cache.get(file);
  if (!tree) {
    tree = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')) as Tree;
    cache.set(file, tree);
  }
  return tree;
}

/**
 * The text a page shows, from the same i18next resources the app uses (web/src/i18n, and the
 * server's problem titles with "problems:" in front), so tests never copy wording.
 */
export function texts(lang: Lang) {
  return (key: string, vars: Record<string, string | number> = {}): string => {
    const [file, dotted] = key.startsWith('problems:')
      ? [`shared/i18n/problems/${lang}.json`, key.slice('problems:'.length)]
      : [`web/src/i18n/${lang}.json`, key];
    let value: string | Tree | undefined = resources(file);
    for (const part of dotted.split('.')) value = typeof value === 'object' ? value[part] : undefined;
    if (typeof value !== 'string') throw new Error(`no ${lang} text for ${key}`);
    // Ruby readings (やさしい日本語) are not part of the text a test compares.
    return value
      .replace(/<rt>[^<]*<\/rt>/g, '')
      .replace(/<\/?ruby>/g, '')
      .replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? `{{${name}}}`));
  };
}

/** ABCD-EFGH, as the pages show reservation numbers. */
export function shownNumber(number: string): string {
  return `${number.slice(0, 4)}-${number.slice(4)}`;
}
