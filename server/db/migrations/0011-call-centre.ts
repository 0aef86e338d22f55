import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The call centre (docs/adr/0007): finding a caller by kana, birth date or phone on a municipality
 * of a million residents, call notes, script lines per screen, and which operator made a booking.
 *
 * Kana search keys gain the folding of small kana and same-sound kana (residents/kana.ts,
 * FOLDED_KANA): stored keys are folded here with the same table. The index serves both ways a
 * caller is looked up: by birth date (about 30 people a day in a million, the kana then filtered
 * among them, any part of the name), and by the start of the name alone (LIKE 'prefix%' under the C
 * collation, which a btree serves whatever the database's collation, in the order the answer is
 * listed in, so a common family name reads 21 index entries, not thousands). No trigram index: pg_trgm makes no
 * trigrams of kana under the C locale PGlite runs with, and a kana search with neither a birth
 * date nor the start of the name is not something an operator needs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    update residents set name_kana_key = translate(name_kana_key, 'ァィゥェォッャュョヮヵヶヂヅヰヱ', 'アイウエオツヤユヨワカケジズイエ')
      where name_kana_key ~ '[ァィゥェォッャュョヮヵヶヂヅヰヱ]';
    drop index residents_kana;
    create index residents_kana_prefix on residents (municipality_code, name_kana_key collate "C", birth_date, id);
    create index residents_birth_date on residents (municipality_code, birth_date);
    create index residents_phone on residents (municipality_code, phone) where phone is not null;

    alter table reservations add column made_by_staff_account_id integer references staff_accounts(id);

    create table call_notes (
      id integer generated always as identity primary key,
      municipality_code char(6) not null references municipalities(code),
      resident_id integer not null references residents(id),
      staff_account_id integer not null references staff_accounts(id),
      body text not null check (char_length(body) between 1 and 500),
      created_at timestamptz not null default now()
    );
    create index call_notes_resident on call_notes (resident_id, id);

    create table call_centre_scripts (
      municipality_code char(6) primary key references municipalities(code),
      screens jsonb not null,
      updated_by integer references staff_accounts(id),
      updated_at timestamptz not null default now()
    );
  `,
  );
}
