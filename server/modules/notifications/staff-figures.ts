import { sql } from 'kysely';
import { addDays, zonedTimeToUtc } from '../../../shared/dates.js';
import type { Db } from '../../db/database.js';
import type { NotificationChannel, NotificationKind } from '../../db/schema.js';
import type { AuditLog } from '../audit/index.js';
import { notificationSettings, type ConfirmationRecipient } from './recipients.js';

export interface UsageRow {
  date: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  messages: number;
  segments: number;
  failed: number;
}

const FAILURES_PAGE = 50;

/** What staff see of messages: counts and cost per day and kind, failures with their reason, the settings. */
export function createNotificationsStaff(deps: { db: Db; audit: AuditLog; pricePerSegmentYen: number }) {
  const { db, audit } = deps;

  async function timeZoneOf(code: string): Promise<string> {
    const row = await db.selectFrom('municipalities').select('time_zone').where('code', '=', code).executeTakeFirstOrThrow();
    return row.time_zone;
  }

  return {
    /** A month (YYYY-MM) in the municipality's time zone: per local day, kind and channel. */
    async usage(municipalityCode: string, month: string) {
      const timeZone = await timeZoneOf(municipalityCode);
      const first = `${month}-01`;
      const [year, m] = month.split('-').map(Number) as [number, number];
      const next = m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
      const from = zonedTimeToUtc(first, '00:00', timeZone);
      const to = zonedTimeToUtc(next, '00:00', timeZone);
      const rows = await db
        .selectFrom('notification_outbox')
        .select([
          sql<string>`to_char(created_at at time zone ${timeZone}, 'YYYY-MM-DD')`.as('date'),
          'kind',
          'channel',
          sql<number>`count(*) filter (where status = 'sent')`.as('messages'),
          sql<number>`coalesce(sum(segments) filter (where status = 'sent'), 0)`.as('segments'),
          sql<number>`count(*) filter (where status = 'failed')`.as('failed'),
        ])
        .where('municipality_code', '=', municipalityCode)
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .groupBy([sql`1`, 'kind', 'channel'])
        .orderBy(sql`1`)
        .orderBy('kind')
        .orderBy('channel')
        .execute();
      const days: UsageRow[] = rows.map((r) => ({
        date: r.date,
        kind: r.kind,
        channel: r.channel,
        messages: Number(r.messages),
        segments: Number(r.segments),
        failed: Number(r.failed),
      }));
      const byKind = new Map<
        string,
        { kind: NotificationKind; channel: NotificationChannel; messages: number; segments: number; failed: number }
      >();
      for (const d of days) {
        const key = `${d.kind}/${d.channel}`;
        const total = byKind.get(key) ?? { kind: d.kind, channel: d.channel, messages: 0, segments: 0, failed: 0 };
        total.messages += d.messages;
        total.segments += d.segments;
        total.failed += d.failed;
        byKind.set(key, total);
      }
      const price = deps.pricePerSegmentYen;
      const totals = [...byKind.values()].map((t) => ({ ...t, costYen: t.channel === 'sms' ? round(t.segments * price) : 0 }));
      return {
        month,
        timeZone,
        pricePerSegmentYen: price,
        days,
        totals,
        costYen: round(totals.reduce((sum, t) => sum + t.costYen, 0)),
        lastDate: addDays(next, -1),
      };
    },

    /**
     * Messages that failed for good, newest first, with the reason. The recipient is shown masked
     * (last four characters) and the listing is audited: it says who was not reached.
     */
    async failures(municipalityCode: string, page: number, actor: { accountId: number; ip: string }) {
      const rows = await db
        .selectFrom('notification_outbox')
        .leftJoin('reservations', 'reservations.id', 'notification_outbox.reservation_id')
        .select([
          'notification_outbox.id',
          'notification_outbox.kind',
          'notification_outbox.channel',
          'notification_outbox.recipient',
          'notification_outbox.last_error',
          'notification_outbox.attempts',
          'notification_outbox.provider',
          'notification_outbox.created_at',
          'notification_outbox.failed_at',
          'notification_outbox.resident_id',
          'reservations.number as reservation_number',
        ])
        .where('notification_outbox.municipality_code', '=', municipalityCode)
        .where('notification_outbox.status', '=', 'failed')
        .orderBy('notification_outbox.failed_at', 'desc')
        .orderBy('notification_outbox.id', 'desc')
        .limit(FAILURES_PAGE + 1)
        .offset((page - 1) * FAILURES_PAGE)
        .execute();
      await audit.record({
        actorKind: 'staff',
        actorId: String(actor.accountId),
        action: 'notifications.failures-view',
        subjectResidentId: null,
        municipalityCode,
        ip: actor.ip,
        detail: { page, count: Math.min(rows.length, FAILURES_PAGE) },
      });
      return {
        items: rows.slice(0, FAILURES_PAGE).map((r) => ({
          id: r.id,
          kind: r.kind,
          channel: r.channel,
          recipient: `…${r.recipient.slice(-4)}`,
          reason: r.last_error ?? '',
          attempts: r.attempts,
          provider: r.provider,
          residentId: r.resident_id,
          reservationNumber: r.reservation_number,
          createdAt: r.created_at.toISOString(),
          failedAt: (r.failed_at ?? r.created_at).toISOString(),
        })),
        nextPage: rows.length > FAILURES_PAGE ? page + 1 : null,
      };
    },

    settings: (municipalityCode: string) => notificationSettings(db, municipalityCode),

    async updateSettings(
      municipalityCode: string,
      patch: { confirmationRecipient?: ConfirmationRecipient; reminderHour?: number },
      actor: { accountId: number; ip: string },
    ) {
      return db.transaction().execute(async (tx) => {
        const current = await notificationSettings(tx, municipalityCode);
        const next = { ...current, ...patch };
        await tx
          .insertInto('notification_settings')
          .values({
            municipality_code: municipalityCode,
            confirmation_recipient: next.confirmationRecipient,
            reminder_hour: next.reminderHour,
          })
          .onConflict((oc) =>
            oc.column('municipality_code').doUpdateSet({
              confirmation_recipient: next.confirmationRecipient,
              reminder_hour: next.reminderHour,
              updated_at: new Date(),
            }),
          )
          .execute();
        await audit.record(
          {
            actorKind: 'staff',
            actorId: String(actor.accountId),
            action: 'notifications.settings-update',
            subjectResidentId: null,
            municipalityCode,
            ip: actor.ip,
            detail: { fields: Object.keys(patch) },
          },
          tx,
        );
        return next;
      });
    },
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

export type NotificationsStaff = ReturnType<typeof createNotificationsStaff>;
