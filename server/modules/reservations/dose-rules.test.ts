import { afterEach, describe, expect, it } from 'vitest';
import { campaignPolicy, defaultPolicy } from './campaign-policy.js';
import { decideDose, doseWindow, earliestDateAfter, nextDoseNumber, type DoseEntry, type DoseRequest } from './dose-rules.js';

const given = (dose: number, date: string, vaccine = 'pfizer'): DoseEntry => ({ dose, date, vaccine, booked: false });
const booking = (dose: number, date: string, vaccine: string, reservationId: number): DoseEntry => ({
  dose,
  date,
  vaccine,
  booked: true,
  reservationId,
});

/** An adult with no doses, unless the case says otherwise. */
function decide(request: Partial<DoseRequest> & Pick<DoseRequest, 'slotDate' | 'vaccine'>, policy = defaultPolicy) {
  return decideDose({ birthDate: '1970-01-01', eligible: true, history: [], ...request }, policy);
}

describe('nextDoseNumber', () => {
  it('is one past the highest dose received or booked', () => {
    expect(nextDoseNumber([])).toBe(1);
    expect(nextDoseNumber([given(1, '2021-07-01'), booking(2, '2021-07-22', 'pfizer', 5)])).toBe(3);
    expect(nextDoseNumber([booking(2, '2021-07-22', 'pfizer', 5), given(1, '2021-07-01')])).toBe(3);
  });
});

describe('earliestDateAfter', () => {
  it('waits 21 days after Pfizer and 28 after Moderna for dose 2', () => {
    expect(earliestDateAfter(given(1, '2021-07-01', 'pfizer'), 2, defaultPolicy)).toBe('2021-07-22');
    expect(earliestDateAfter(given(1, '2021-07-01', 'moderna'), 2, defaultPolicy)).toBe('2021-07-29');
  });

  it('waits the booster interval in calendar months, clamped at month end', () => {
    expect(earliestDateAfter(given(2, '2021-06-15'), 3, defaultPolicy)).toBe('2021-12-15');
    expect(earliestDateAfter(given(2, '2021-08-31'), 3, defaultPolicy)).toBe('2022-02-28');
    expect(earliestDateAfter(given(2, '2023-08-31'), 3, defaultPolicy)).toBe('2024-02-29');
    expect(earliestDateAfter(given(2, '2021-03-31'), 3, defaultPolicy)).toBe('2021-09-30');
  });
});

describe('decideDose: dose 1 and dose 2', () => {
  it('refuses anyone the register no longer lists before any other rule, whatever their history', () => {
    expect(decide({ slotDate: '2021-07-01', vaccine: 'pfizer', eligible: false })).toEqual({ ok: false, code: 'resident-ineligible' });
    expect(decide({ slotDate: '2021-07-29', vaccine: 'pfizer', eligible: false, history: [given(1, '2021-07-01')] })).toEqual({
      ok: false,
      code: 'resident-ineligible',
    });
    expect(decide({ slotDate: '2021-07-29', vaccine: 'pfizer', history: [given(1, '2021-07-01')] })).toEqual({ ok: true, dose: 2 });
  });

  it('gives dose 1 to someone with no doses', () => {
    expect(decide({ slotDate: '2021-07-01', vaccine: 'pfizer' })).toEqual({ ok: true, dose: 1 });
  });

  it('books Pfizer dose 2 from day 21, not day 20', () => {
    const history = [given(1, '2021-07-01', 'pfizer')];
    expect(decide({ history, slotDate: '2021-07-21', vaccine: 'pfizer' })).toEqual({
      ok: false,
      code: 'interval-too-short',
      details: { earliestDate: '2021-07-22' },
    });
    expect(decide({ history, slotDate: '2021-07-22', vaccine: 'pfizer' })).toEqual({ ok: true, dose: 2 });
  });

  it('books Moderna dose 2 from day 28, not day 27', () => {
    const history = [given(1, '2021-07-01', 'moderna')];
    expect(decide({ history, slotDate: '2021-07-28', vaccine: 'moderna' })).toMatchObject({ ok: false, code: 'interval-too-short' });
    expect(decide({ history, slotDate: '2021-07-29', vaccine: 'moderna' })).toEqual({ ok: true, dose: 2 });
  });

  it('counts the interval from a dose 1 that is only booked', () => {
    const history = [booking(1, '2021-07-01', 'pfizer', 7)];
    expect(decide({ history, slotDate: '2021-07-21', vaccine: 'pfizer' })).toMatchObject({ ok: false, code: 'interval-too-short' });
    expect(decide({ history, slotDate: '2021-07-22', vaccine: 'pfizer' })).toEqual({ ok: true, dose: 2 });
  });

  it('requires the dose 1 product for dose 2, however long after', () => {
    const history = [given(1, '2021-07-01', 'pfizer')];
    expect(decide({ history, slotDate: '2021-09-01', vaccine: 'moderna' })).toEqual({
      ok: false,
      code: 'wrong-vaccine',
      details: { requiredVaccine: 'pfizer' },
    });
  });

  it('books a second booking for the next dose, so nobody holds two dose 1 bookings', () => {
    const history = [booking(1, '2021-07-01', 'pfizer', 7)];
    expect(decide({ history, slotDate: '2021-07-05', vaccine: 'pfizer' })).toMatchObject({ ok: false, code: 'interval-too-short' });
  });
});

describe('decideDose: boosters', () => {
  const primary = [given(1, '2021-07-01', 'pfizer'), given(2, '2021-08-31', 'pfizer')];

  it('books a booster from the same day N months later, month end clamped', () => {
    expect(decide({ history: primary, slotDate: '2022-02-27', vaccine: 'pfizer' })).toEqual({
      ok: false,
      code: 'interval-too-short',
      details: { earliestDate: '2022-02-28' },
    });
    expect(decide({ history: primary, slotDate: '2022-02-28', vaccine: 'pfizer' })).toEqual({ ok: true, dose: 3 });
  });

  it('allows any product for a booster', () => {
    expect(decide({ history: primary, slotDate: '2022-03-01', vaccine: 'moderna' })).toEqual({ ok: true, dose: 3 });
  });

  it('follows the campaign’s interval (8 months in December 2021, 3 later)', () => {
    const eight = campaignPolicy({ boosterIntervalMonths: 8 });
    expect(decide({ history: primary, slotDate: '2022-04-29', vaccine: 'pfizer' }, eight)).toMatchObject({
      details: { earliestDate: '2022-04-30' },
    });
    expect(decide({ history: primary, slotDate: '2022-04-30', vaccine: 'pfizer' }, eight)).toEqual({ ok: true, dose: 3 });
    const three = campaignPolicy({ boosterIntervalMonths: 3 });
    expect(decide({ history: primary, slotDate: '2021-11-30', vaccine: 'pfizer' }, three)).toEqual({ ok: true, dose: 3 });
  });

  it('counts a later booster from the booster before it', () => {
    const history = [...primary, given(3, '2022-03-15', 'moderna')];
    expect(decide({ history, slotDate: '2022-09-14', vaccine: 'pfizer' })).toMatchObject({ details: { earliestDate: '2022-09-15' } });
    expect(decide({ history, slotDate: '2022-09-15', vaccine: 'pfizer' })).toEqual({ ok: true, dose: 4 });
  });

  it('asks for the same product within a longer primary series', () => {
    const policy = campaignPolicy({ primaryDoses: 3 });
    expect(decide({ history: primary, slotDate: '2022-03-01', vaccine: 'moderna' }, policy)).toMatchObject({
      ok: false,
      code: 'wrong-vaccine',
    });
  });
});

describe('decideDose: age on the slot date', () => {
  it('admits a 12-year-old from the 12th birthday itself', () => {
    expect(decide({ birthDate: '2009-07-01', slotDate: '2021-06-30', vaccine: 'pfizer' })).toEqual({
      ok: false,
      code: 'not-eligible-age',
      details: { minAgeYears: 12 },
    });
    expect(decide({ birthDate: '2009-07-01', slotDate: '2021-07-01', vaccine: 'pfizer' })).toEqual({ ok: true, dose: 1 });
  });

  it('counts a 29 February birthday on 29 February in a leap year and from 1 March in a common one', () => {
    expect(decide({ birthDate: '2008-02-29', slotDate: '2020-02-28', vaccine: 'pfizer' })).toMatchObject({ code: 'not-eligible-age' });
    expect(decide({ birthDate: '2008-02-29', slotDate: '2020-02-29', vaccine: 'pfizer' })).toEqual({ ok: true, dose: 1 });
    expect(decide({ birthDate: '2016-02-29', slotDate: '2021-02-28', vaccine: 'pfizer-pediatric' })).toMatchObject({
      code: 'not-eligible-age',
    });
    expect(decide({ birthDate: '2016-02-29', slotDate: '2021-03-01', vaccine: 'pfizer-pediatric' })).toEqual({ ok: true, dose: 1 });
  });

  it('gives the 5–11 product from the 5th birthday until the day before the 12th', () => {
    expect(decide({ birthDate: '2017-03-01', slotDate: '2022-02-28', vaccine: 'pfizer-pediatric' })).toMatchObject({
      code: 'not-eligible-age',
    });
    expect(decide({ birthDate: '2017-03-01', slotDate: '2022-03-01', vaccine: 'pfizer-pediatric' })).toEqual({ ok: true, dose: 1 });
    expect(decide({ birthDate: '2010-05-10', slotDate: '2022-05-09', vaccine: 'pfizer-pediatric' })).toEqual({ ok: true, dose: 1 });
    expect(decide({ birthDate: '2010-05-10', slotDate: '2022-05-10', vaccine: 'pfizer-pediatric' })).toMatchObject({
      code: 'not-eligible-age',
    });
  });

  it('refuses a product the campaign does not know', () => {
    expect(decide({ slotDate: '2021-07-01', vaccine: 'unknown-vaccine' })).toMatchObject({ ok: false, code: 'not-eligible-age' });
  });
});

describe('decideDose: changing a booking', () => {
  it('keeps the dose of the booking it replaces instead of conflicting with it', () => {
    const history = [booking(1, '2021-07-01', 'pfizer', 7)];
    expect(decide({ history, slotDate: '2021-07-05', vaccine: 'pfizer', replacingReservationId: 7 })).toEqual({ ok: true, dose: 1 });
  });

  it('treats an id that is not among the person’s bookings as a new booking', () => {
    const history = [booking(1, '2021-07-01', 'pfizer', 7)];
    expect(decide({ history, slotDate: '2021-07-05', vaccine: 'pfizer', replacingReservationId: 8 })).toMatchObject({
      code: 'interval-too-short',
    });
  });

  it('checks a moved dose 2 against dose 1 like a new one', () => {
    const history = [given(1, '2021-07-01', 'pfizer'), booking(2, '2021-07-25', 'pfizer', 9)];
    expect(decide({ history, slotDate: '2021-07-21', vaccine: 'pfizer', replacingReservationId: 9 })).toMatchObject({
      code: 'interval-too-short',
    });
    expect(decide({ history, slotDate: '2021-07-28', vaccine: 'moderna', replacingReservationId: 9 })).toMatchObject({
      code: 'wrong-vaccine',
    });
    expect(decide({ history, slotDate: '2021-07-22', vaccine: 'pfizer', replacingReservationId: 9 })).toEqual({ ok: true, dose: 2 });
  });

  it('refuses a change to a dose that is also recorded as given: one active booking per dose', () => {
    const history = [booking(1, '2021-07-01', 'pfizer', 7), given(1, '2021-06-30', 'pfizer')];
    expect(decide({ history, slotDate: '2021-07-05', vaccine: 'pfizer', replacingReservationId: 7 })).toEqual({
      ok: false,
      code: 'already-booked',
    });
  });

  it('refuses to move dose 2 when dose 1 is no longer there', () => {
    const history = [booking(2, '2021-07-22', 'pfizer', 9)];
    expect(decide({ history, slotDate: '2021-07-23', vaccine: 'pfizer', replacingReservationId: 9 })).toEqual({
      ok: false,
      code: 'no-dose-due',
    });
  });
});

describe('decideDose: an already-booked next dose', () => {
  const both = [booking(1, '2021-07-01', 'pfizer', 1), booking(2, '2021-07-22', 'pfizer', 2)];

  it('refuses moving dose 1 later than 21 days before the booked dose 2', () => {
    expect(decide({ history: both, slotDate: '2021-07-02', vaccine: 'pfizer', replacingReservationId: 1 })).toEqual({
      ok: false,
      code: 'conflicts-with-next-dose',
      details: { nextDoseDate: '2021-07-22' },
    });
  });

  it('allows moving dose 1 earlier, or to another time the same day', () => {
    expect(decide({ history: both, slotDate: '2021-06-28', vaccine: 'pfizer', replacingReservationId: 1 })).toEqual({ ok: true, dose: 1 });
    expect(decide({ history: both, slotDate: '2021-07-01', vaccine: 'pfizer', replacingReservationId: 1 })).toEqual({ ok: true, dose: 1 });
  });

  it('refuses moving dose 1 to another product than the booked dose 2', () => {
    expect(decide({ history: both, slotDate: '2021-06-20', vaccine: 'moderna', replacingReservationId: 1 })).toMatchObject({
      code: 'conflicts-with-next-dose',
    });
  });

  it('refuses moving dose 2 closer than the booster interval to a booked booster, of any product', () => {
    const history = [given(1, '2021-07-01', 'pfizer'), booking(2, '2021-08-31', 'pfizer', 2), booking(3, '2022-02-28', 'moderna', 3)];
    expect(decide({ history, slotDate: '2021-09-01', vaccine: 'pfizer', replacingReservationId: 2 })).toMatchObject({
      code: 'conflicts-with-next-dose',
      details: { nextDoseDate: '2022-02-28' },
    });
    expect(decide({ history, slotDate: '2021-08-25', vaccine: 'pfizer', replacingReservationId: 2 })).toEqual({ ok: true, dose: 2 });
  });
});

describe('decideDose: maximum doses', () => {
  it('has no dose due after the last one the campaign gives', () => {
    const seven = [1, 2, 3, 4, 5, 6, 7].map((dose) => given(dose, `202${dose}-01-10`));
    expect(decide({ history: seven, slotDate: '2029-01-10', vaccine: 'pfizer' })).toEqual({ ok: false, code: 'no-dose-due' });
    const twoOnly = campaignPolicy({ maxDoses: 2 });
    const history = [given(1, '2021-07-01'), given(2, '2021-07-22')];
    expect(decide({ history, slotDate: '2022-07-01', vaccine: 'pfizer' }, twoOnly)).toEqual({ ok: false, code: 'no-dose-due' });
  });
});

describe('decideDose: process time zone', () => {
  const processZone = process.env.TZ;
  afterEach(() => {
    process.env.TZ = processZone;
  });

  it('decides on calendar dates alone, so a server far east or west of UTC decides alike', () => {
    const history = [given(1, '2021-07-01', 'pfizer'), given(2, '2021-08-31', 'pfizer')];
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Tokyo']) {
      process.env.TZ = zone;
      expect(decide({ history, slotDate: '2022-02-27', vaccine: 'pfizer' }), zone).toMatchObject({
        details: { earliestDate: '2022-02-28' },
      });
      expect(decide({ birthDate: '2009-07-01', slotDate: '2021-07-01', vaccine: 'pfizer' }), zone).toEqual({ ok: true, dose: 1 });
    }
  });
});

describe('doseWindow', () => {
  it('leaves dose 1 with no previous dose unconstrained', () => {
    expect(doseWindow([], 1, defaultPolicy)).toEqual({ dose: 1 });
  });

  it('asks dose 2 for the interval after dose 1 and the same product', () => {
    expect(doseWindow([given(1, '2021-07-01', 'moderna')], 2, defaultPolicy)).toEqual({
      dose: 2,
      earliestDate: '2021-07-29',
      requiredVaccine: 'moderna',
    });
  });

  it('lets a booster be any product, months after the last primary dose', () => {
    expect(doseWindow([given(1, '2021-06-01'), given(2, '2021-06-22')], 3, defaultPolicy)).toEqual({
      dose: 3,
      earliestDate: earliestDateAfter(given(2, '2021-06-22'), 3, defaultPolicy),
    });
  });

  it('keeps a moved dose 1 before its booked dose 2 by the interval, with dose 2’s product', () => {
    const others = [booking(2, '2021-08-20', 'moderna', 7)];
    expect(doseWindow(others, 1, defaultPolicy)).toEqual({ dose: 1, latestDate: '2021-07-23', requiredVaccine: 'moderna' });
  });

  it('offers only dates and a product that decideDose accepts, at both ends of the window', () => {
    const history = [given(1, '2021-07-01', 'pfizer'), booking(2, '2021-07-25', 'pfizer', 3)];
    const others = history.filter((entry) => entry.reservationId !== 3);
    const window = doseWindow(others, 2, defaultPolicy);
    const change = (slotDate: string, vaccine: string) => decide({ history, slotDate, vaccine, replacingReservationId: 3 });
    expect(change(window.earliestDate!, window.requiredVaccine!)).toEqual({ ok: true, dose: 2 });
    expect(change('2021-07-21', window.requiredVaccine!)).toMatchObject({ ok: false, code: 'interval-too-short' });
    expect(change(window.earliestDate!, 'moderna')).toMatchObject({ ok: false, code: 'wrong-vaccine' });

    const before = [booking(1, '2021-07-01', 'pfizer', 4), booking(2, '2021-08-01', 'pfizer', 5)];
    const moveFirst = doseWindow(
      before.filter((entry) => entry.reservationId !== 4),
      1,
      defaultPolicy,
    );
    const move = (slotDate: string) => decide({ history: before, slotDate, vaccine: 'pfizer', replacingReservationId: 4 });
    expect(move(moveFirst.latestDate!)).toEqual({ ok: true, dose: 1 });
    expect(move('2021-07-12')).toMatchObject({ ok: false, code: 'conflicts-with-next-dose' });
  });
});
