import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import type { Executor } from '../reservations/index.js';
import { extraPlacesFor, overlapOf, type PlannedSlot } from '../venues/index.js';
import { planTemplate, type TemplateInput } from './template-input.js';
import type { ScheduleRepository } from './schedule.repository.js';
import type { StaffBy } from './venue-admin.service.js';

export interface PreviewSlot {
  startsAt: string;
  durationMinutes: number;
  capacity: number;
  extraPlaces: number;
  opensAt: string;
  closesAt: string;
  overlap: { kind: 'same-start' | 'overlapping'; slotId: number; startsAt: string } | null;
}

/** Slot templates: a preview of what a template makes, and its generation in one transaction. */
export function createTemplates(deps: {
  db: Db;
  audit: AuditLog;
  repository: ScheduleRepository;
  municipalities: MunicipalitiesRepository;
}) {
  const { db, repository: repo } = deps;

  async function plan(code: string, input: TemplateInput) {
    const municipality = await deps.municipalities.find(code);
    if (!municipality) throw new AppError('municipality-not-found');
    const planned = planTemplate(input, municipality.timeZone);
    if (!planned.ok) throw new AppError('invalid-request', { errors: planned.errors });
    return planned;
  }

  /** Each planned slot beside the venue's existing slot it would meet, if any. */
  async function compare(executor: Executor, venueId: number, slots: PlannedSlot[], overbookingPercent: number): Promise<PreviewSlot[]> {
    if (slots.length === 0) return [];
    const last = slots[slots.length - 1]!;
    const existing = (
      await repo.slotsAround(executor, venueId, slots[0]!.startsAt, new Date(last.startsAt.getTime() + last.durationMinutes * 60_000))
    ).map((s) => ({ id: s.id, startsAt: s.starts_at, durationMinutes: s.duration_minutes }));
    return slots.map((slot) => {
      const overlap = overlapOf(slot, existing);
      return {
        startsAt: slot.startsAt.toISOString(),
        durationMinutes: slot.durationMinutes,
        capacity: slot.capacity,
        extraPlaces: extraPlacesFor(slot.capacity, overbookingPercent),
        opensAt: slot.opensAt.toISOString(),
        closesAt: slot.closesAt.toISOString(),
        overlap: overlap ? { kind: overlap.kind, slotId: overlap.existing.id, startsAt: overlap.existing.startsAt.toISOString() } : null,
      };
    });
  }

  const summary = (slots: PreviewSlot[]) => ({
    total: slots.length,
    new: slots.filter((s) => s.overlap === null).length,
    overlapping: slots.filter((s) => s.overlap !== null).length,
  });

  return {
    async list(code: string, venueId: number) {
      if (!(await repo.findVenue(code, venueId))) throw new AppError('not-found');
      return (await repo.listTemplates(venueId)).map((t) => ({
        id: t.id,
        definition: t.definition as unknown as TemplateInput,
        createdCount: t.created_count,
        skippedCount: t.skipped_count,
        createdBy: t.created_by,
        createdAt: t.created_at.toISOString(),
      }));
    },

    async preview(code: string, venueId: number, input: TemplateInput) {
      const venue = await repo.findVenue(code, venueId);
      if (!venue) throw new AppError('not-found');
      const { slots } = await plan(code, input);
      const compared = await compare(db, venueId, slots, venue.overbooking_percent);
      return { summary: summary(compared), slots: compared };
    },

    /**
     * Makes the template's slots that meet none of the venue's, in one transaction under the
     * venue's lock, and keeps the template. Idempotent: running it again finds every slot at its
     * start already and makes none (the unique key on venue and start is the last word).
     */
    async generate(code: string, venueId: number, input: TemplateInput, by: StaffBy) {
      const { slots } = await plan(code, input);
      return inTransaction(db, async (tx) => {
        const venue = await repo.lockVenue(tx, code, venueId);
        if (!venue) throw new AppError('not-found');
        const compared = await compare(tx, venueId, slots, venue.overbooking_percent);
        const template = await repo.insertTemplate(tx, venueId, input, by.accountId);
        const fresh = compared.filter((s) => s.overlap === null);
        const inserted = await repo.insertSlots(
          tx,
          fresh.map((s) => ({
            venue_id: venueId,
            starts_at: new Date(s.startsAt),
            duration_minutes: s.durationMinutes,
            capacity: s.capacity,
            extra_places: s.extraPlaces,
            opens_at: new Date(s.opensAt),
            closes_at: new Date(s.closesAt),
            template_id: template.id,
          })),
        );
        const skipped = compared.filter((s) => s.overlap !== null);
        await repo.setTemplateCounts(tx, template.id, inserted.length, compared.length - inserted.length);
        await deps.audit.record(
          {
            actorKind: 'staff',
            actorId: String(by.accountId),
            action: 'schedule.generate',
            subjectResidentId: null,
            municipalityCode: code,
            ip: by.ip,
            detail: { venueId, templateId: template.id, created: inserted.length, skipped: compared.length - inserted.length },
          },
          tx,
        );
        return {
          templateId: template.id,
          created: inserted.length,
          skipped: skipped.map((s) => ({ startsAt: s.startsAt, overlap: s.overlap! })),
        };
      });
    },
  };
}

export type Templates = ReturnType<typeof createTemplates>;
