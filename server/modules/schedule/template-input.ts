import { addDays, isIsoDate } from '../../../shared/dates.js';
import { planSlots, timesBetween, type PlannedSlot, type ScheduleTemplate } from '../venues/index.js';

/** A template as staff fill it in: times as a list, or from a start to an end every N minutes. */
export interface TemplateInput {
  from: string;
  to: string;
  weekdays: number[];
  times?: string[];
  startTime?: string;
  endTime?: string;
  intervalMinutes?: number;
  durationMinutes: number;
  capacity: number;
  opensDaysBefore: number;
  opensAtTime: string;
  closesDaysBefore: number;
  closesAtTime: string;
}

export interface FieldError {
  field: string;
  rule: string;
}

/** The most one template may make: a year of a busy venue, and a preview a page can show. */
export const MAX_TEMPLATE_DAYS = 366;
export const MAX_TEMPLATE_SLOTS = 5000;

const isTime = (t: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(t);

/**
 * Checks a template and plans its slots in the municipality's time zone. Pure: the preview and
 * the generation plan with the same function, so what staff saw is what is made.
 */
export function planTemplate(
  input: TemplateInput,
  timeZone: string,
): { ok: true; template: ScheduleTemplate; slots: PlannedSlot[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, rule: string) => errors.push({ field: `body.${field}`, rule });
  if (!isIsoDate(input.from)) fail('from', 'format');
  if (!isIsoDate(input.to)) fail('to', 'format');
  if (isIsoDate(input.from) && isIsoDate(input.to)) {
    if (input.to < input.from) fail('to', 'range');
    else if (addDays(input.from, MAX_TEMPLATE_DAYS - 1) < input.to) fail('to', 'maximum');
  }
  const listed = input.times !== undefined && input.times.length > 0;
  const stepped = input.startTime !== undefined || input.endTime !== undefined || input.intervalMinutes !== undefined;
  let times: string[] = [];
  if (listed === stepped) fail('times', 'oneOf');
  else if (listed) {
    input.times!.forEach((t, i) => isTime(t) || fail(`times/${i}`, 'format'));
    times = [...new Set(input.times)];
  } else {
    const { startTime = '', endTime = '', intervalMinutes } = input;
    if (!isTime(startTime)) fail('startTime', 'format');
    if (!isTime(endTime)) fail('endTime', 'format');
    if (intervalMinutes === undefined) fail('intervalMinutes', 'required');
    if (isTime(startTime) && isTime(endTime) && endTime <= startTime) fail('endTime', 'range');
    if (errors.length === 0) times = timesBetween(startTime, endTime, intervalMinutes!);
  }
  if (!isTime(input.opensAtTime)) fail('opensAtTime', 'format');
  if (!isTime(input.closesAtTime)) fail('closesAtTime', 'format');
  // Booking must open before it closes: compared as minutes before the slot's day.
  const minutesBefore = (days: number, time: string) => days * 1440 - (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)));
  if (
    errors.length === 0 &&
    minutesBefore(input.opensDaysBefore, input.opensAtTime) <= minutesBefore(input.closesDaysBefore, input.closesAtTime)
  ) {
    fail('closesAtTime', 'window');
  }
  if (errors.length > 0) return { ok: false, errors };
  const template: ScheduleTemplate = {
    from: input.from,
    to: input.to,
    weekdays: [...new Set(input.weekdays)].sort(),
    times,
    durationMinutes: input.durationMinutes,
    capacity: input.capacity,
    opensDaysBefore: input.opensDaysBefore,
    opensAtTime: input.opensAtTime,
    closesDaysBefore: input.closesDaysBefore,
    closesAtTime: input.closesAtTime,
    timeZone,
  };
  if (template.weekdays.length * times.length * MAX_TEMPLATE_DAYS > MAX_TEMPLATE_SLOTS) {
    // Only count when it could be too many: planning a year of every minute is itself the cost.
    const days = Math.round((Date.parse(input.to) - Date.parse(input.from)) / 86_400_000) + 1;
    if (Math.ceil((days * template.weekdays.length) / 7 + 1) * times.length > MAX_TEMPLATE_SLOTS) {
      return { ok: false, errors: [{ field: 'body.times', rule: 'maxItems' }] };
    }
  }
  const slots = planSlots(template);
  if (slots.length > MAX_TEMPLATE_SLOTS) return { ok: false, errors: [{ field: 'body.times', rule: 'maxItems' }] };
  return { ok: true, template, slots };
}
