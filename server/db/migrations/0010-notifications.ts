import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Messages to residents (server/modules/notifications, docs/notifications.md).
 *
 * notification_outbox: one row per message and channel, written in the transaction of the change
 * that caused it (a booking, a change, a cancellation), so a message exists if and only if its
 * change committed. The send job claims a row (pending → sending) before calling the provider, which
 * is what makes a message go out at most once when two workers race; `delivery` says what a crash
 * between the provider's answer and the row's update means for that kind (docs/notifications.md).
 * `dedupe_key` makes a reminder once per reservation and appointment, whatever runs the reminder job.
 *
 * notification_preferences: the channel a resident chose, their reminder opt-out, their language,
 * and the phone number they confirmed at sign-in (the one messages go to).
 *
 * notification_settings: per municipality, who receives a booking made for someone else, and the
 * local hour reminders go out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table notification_outbox (
      id bigint generated always as identity primary key,
      idempotency_key uuid not null unique,
      dedupe_key text unique,
      municipality_code text not null references municipalities (code),
      resident_id integer references residents (id),
      reservation_id integer references reservations (id),
      kind text not null check (kind in ('sign-in-code', 'booking-confirmed', 'booking-changed', 'booking-cancelled', 'reminder', 'slot-closed', 'slot-moved')),
      channel text not null check (channel in ('sms', 'email')),
      delivery text not null check (delivery in ('at-most-once', 'at-least-once')),
      recipient text not null,
      language text not null,
      subject text,
      body text not null,
      segments integer not null default 0,
      encoding text check (encoding in ('gsm7', 'ucs2')),
      status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
      attempts integer not null default 0,
      last_error text,
      provider text,
      provider_message_id text,
      created_at timestamptz not null default now(),
      claimed_at timestamptz,
      sent_at timestamptz,
      failed_at timestamptz
    );
    create index notification_outbox_pending on notification_outbox (created_at) where status in ('pending', 'sending');
    create index notification_outbox_usage on notification_outbox (municipality_code, created_at);
    create index notification_outbox_failed on notification_outbox (municipality_code, failed_at) where status = 'failed';
    create index notification_outbox_reservation on notification_outbox (reservation_id);

    create table notification_preferences (
      resident_id integer primary key references residents (id),
      channel text not null default 'sms' check (channel in ('sms', 'email', 'both')),
      reminders boolean not null default true,
      language text,
      phone text,
      email text,
      updated_at timestamptz not null default now()
    );

    create table notification_settings (
      municipality_code text primary key references municipalities (code),
      confirmation_recipient text not null default 'both' check (confirmation_recipient in ('booker', 'person', 'both')),
      reminder_hour integer not null default 10 check (reminder_hour between 7 and 20),
      updated_at timestamptz not null default now()
    )
  `,
  );
}
