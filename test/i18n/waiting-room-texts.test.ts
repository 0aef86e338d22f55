import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generated } from '../../scripts/waiting-room-texts.js';

describe('the waiting page’s texts', () => {
  it('are the translations in shared/i18n/waiting-room, for every language (npm run waiting-room:texts)', async () => {
    const { script, page } = await generated();
    expect(script === fs.readFileSync('web/waiting-room/waiting-room.js', 'utf8'), 'waiting-room.js is out of date').toBe(true);
    expect(page === fs.readFileSync('web/waiting-room/index.html', 'utf8'), 'index.html is out of date').toBe(true);
  });
});
