import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as sessionRevocations from './0002-session-revocations.js';
import * as failedJobs from './0003-failed-jobs.js';
import * as staff from './0004-staff.js';
import * as venueTexts from './0005-venue-texts.js';
import * as residentImports from './0006-resident-imports.js';
import * as notifications from './0010-notifications.js';
import * as callCentre from './0011-call-centre.js';
import * as owedMessages from './0012-owed-messages.js';
import * as phoneShare from './0015-phone-share.js';
import * as schedule from './0013-schedule.js';
import * as checkIn from './0014-check-in.js';
import * as dashboard from './0017-dashboard.js';
import * as messageLanguage from './0016-message-language.js';
import * as reopenSlots from './0018-reopen-slots.js';

/** Migrations live in code, in order; the server runs the missing ones at start. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-session-revocations': sessionRevocations,
  '0003-failed-jobs': failedJobs,
  '0004-staff': staff,
  '0005-venue-texts': venueTexts,
  '0006-resident-imports': residentImports,
  '0010-notifications': notifications,
  '0011-call-centre': callCentre,
  '0012-owed-messages': owedMessages,
  '0015-phone-share': phoneShare,
  '0013-schedule': schedule,
  '0014-check-in': checkIn,
  '0017-dashboard': dashboard,
  '0016-message-language': messageLanguage,
  '0018-reopen-slots': reopenSlots,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
