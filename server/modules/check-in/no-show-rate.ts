/** A reservation of the day as the figures count it. */
export interface DayEntry {
  status: 'booked' | 'attended' | 'no_show';
  /** The end of its slot: a booking still 'booked' after it is a person who did not come (yet unmarked). */
  endsAt: Date;
}

export interface DayFigures {
  attended: number;
  noShow: number;
  /** Booked and their time not over yet: still expected. */
  expected: number;
  /** Booked, their time over, not marked: counted as not come. */
  overdue: number;
  /** no-show ÷ (attended + no-show + overdue), from 0 to 1; null before anyone was due. */
  noShowRate: number | null;
}

/**
 * The day's counts and its no-show rate: those marked no-show among everyone whose time has come.
 * A booking whose time is over and that nobody marked is among those due (its time came) but not
 * among the no-shows (nobody said so: they may be in the queue, or a tap was forgotten), and stays
 * apart in the counts, so staff see what they have not marked yet.
 */
export function dayFigures(entries: readonly DayEntry[], now: Date): DayFigures {
  let attended = 0;
  let noShow = 0;
  let expected = 0;
  let overdue = 0;
  for (const entry of entries) {
    if (entry.status === 'attended') attended++;
    else if (entry.status === 'no_show') noShow++;
    else if (entry.endsAt.getTime() <= now.getTime()) overdue++;
    else expected++;
  }
  const due = attended + noShow + overdue;
  return { attended, noShow, expected, overdue, noShowRate: due === 0 ? null : noShow / due };
}
