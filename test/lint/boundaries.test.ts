import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The lint rules are the architecture's guard rails (eslint.config.mjs): each case lints a small
 * text as if it were a real file of the project, and checks the rule fires exactly where it must.
 */
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint();
});

async function rulesFiredOn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint keeps the boundaries', () => {
  it('a module is used only through its index.ts', async () => {
    const inside = "import { doseWindow } from '../reservations/dose-rules.js';\nexport const rule = doseWindow;\n";
    const face = "import { doseWindow } from '../reservations/index.js';\nexport const rule = doseWindow;\n";
    expect(await rulesFiredOn('server/modules/venues/venues.service.ts', inside)).toContain('import-x/no-restricted-paths');
    expect(await rulesFiredOn('server/modules/venues/venues.service.ts', face)).not.toContain('import-x/no-restricted-paths');
    expect(await rulesFiredOn('server/app.ts', inside.replace('../reservations/', './modules/reservations/'))).toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('the web app and shared code never import the server', async () => {
    const code = "import { loadConfig } from '../../server/config.js';\nexport const config = loadConfig;\n";
    expect(await rulesFiredOn('web/src/app.tsx', code)).toContain('import-x/no-restricted-paths');
    expect(await rulesFiredOn('shared/dates.ts', code.replace('../../', '../'))).toContain('import-x/no-restricted-paths');
  });

  it('routes never touch the database, and use cases never touch HTTP', async () => {
    expect(
      await rulesFiredOn('server/modules/venues/venues.routes.ts', "import { sql } from 'kysely';\nexport const q = sql;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFiredOn(
        'server/modules/venues/venues.routes.ts',
        "import { createVenuesRepository } from './venues.repository.js';\nexport const r = createVenuesRepository;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await rulesFiredOn(
        'server/modules/venues/venues.service.ts',
        "import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;\n",
      ),
    ).toContain('no-restricted-imports');
  });

  it('a promise is never left floating', async () => {
    const code = 'async function send(): Promise<void> {}\nexport function go(): void {\n  send();\n}\n';
    expect(await rulesFiredOn('server/modules/venues/venues.service.ts', code)).toContain('@typescript-eslint/no-floating-promises');
  });
});
