import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/database.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * docs/api.md is a tour of the API; the OpenAPI document is the reference. This keeps the tour
 * true: every operation it lists exists, every operation exists in it, and the body, query and
 * answer fields it spells out as `{ a, b? }` are exactly the document's (a `?` is an optional field).
 */
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
}
interface Operation {
  operationId: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tour = fs.readFileSync(path.join(root, 'docs/api.md'), 'utf8');
const rows = tour
  .split('\n')
  .map((line) => /^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|\s*(.*?)\s*\|\s*(.*?)\s*\|$/.exec(line))
  .filter((match) => match !== null)
  .map(([, method, url, input, answer]) => ({ method: method!, url: url!, input: input!, answer: answer!, label: `${method} ${url}` }));

/** The top-level fields of `{ a, b?, c: { … } }` or `[{ … }]`, with whether each is marked optional. */
function fieldsOf(code: string): { name: string; optional: boolean }[] {
  let inner = code
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .trim()
    .slice(1, -1);
  while (/\{[^{}]*\}/.test(inner)) inner = inner.replace(/\{[^{}]*\}/g, '');
  return inner
    .split(',')
    .map((item) => /^\s*([A-Za-z][A-Za-z0-9]*)(\?)?/.exec(item))
    .filter((match) => match !== null)
    .map(([, name, optional]) => ({ name: name!, optional: optional === '?' }));
}

/** The first `code` of a table cell. */
function codeIn(cell: string): string | undefined {
  return /`([^`]+)`/.exec(cell)?.[1];
}

function propertiesOf(schema: Schema): { names: string[]; required: string[] } {
  const target = schema.items ?? schema;
  const parts = [target, ...(target.allOf ?? [])];
  return {
    names: parts.flatMap((s) => Object.keys(s.properties ?? {})).sort(),
    required: parts.flatMap((s) => s.required ?? []).sort(),
  };
}

let server: TestServer;
let document: { paths: Record<string, Record<string, Operation>> };
beforeAll(async () => {
  server = await startTestServer(await testDatabase());
  document = (await server.request('GET', '/api/docs/json')).body;
});
afterAll(() => server?.close());

describe('docs/api.md', () => {
  it('lists every operation of the OpenAPI document, and nothing else', () => {
    const documented = Object.entries(document.paths).flatMap(([url, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${url}`),
    );
    expect(rows.map((r) => r.label).sort()).toEqual(documented.sort());
  });

  it('spells bodies, queries and answers as the document does', () => {
    for (const row of rows) {
      const operation = document.paths[row.url]![row.method.toLowerCase()]!;
      const input = codeIn(row.input);
      const body = operation.requestBody?.content['application/json']?.schema;
      const query = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      if (input === undefined) {
        expect({ body, query }, `${row.label} takes input the tour does not show`).toEqual({ body: undefined, query: [] });
      } else if (input.startsWith('?')) {
        expect(
          input
            .slice(1)
            .split('&')
            .map((q) => q.split('=')[0]),
          row.label,
        ).toEqual(query);
      } else {
        const { names, required } = propertiesOf(body!);
        const fields = fieldsOf(input);
        expect(fields.map((f) => f.name).sort(), `${row.label} body`).toEqual(names);
        expect(
          fields
            .filter((f) => !f.optional)
            .map((f) => f.name)
            .sort(),
          `${row.label} required`,
        ).toEqual(required);
      }

      const status = /\((\d{3})\)/.exec(row.answer)?.[1] ?? /^(\d{3})$/.exec(row.answer.trim())?.[1] ?? '200';
      const success = Object.keys(operation.responses).filter((s) => s.startsWith('2'));
      expect(success, `${row.label} answers ${status}`).toEqual([status]);
      const answer = codeIn(row.answer);
      if (answer?.startsWith('{') || answer?.startsWith('[{')) {
        const schema = operation.responses[status]!.content!['application/json']!.schema;
        expect(
          fieldsOf(answer)
            .map((f) => f.name)
            .sort(),
          `${row.label} answer`,
        ).toEqual(propertiesOf(schema).names);
      }
    }
  });
});
