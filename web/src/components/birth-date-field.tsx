import { useTranslation } from 'react-i18next';
import { ERAS, eraOf, toBirthDate, type BirthDateParts, type YearSystem } from '../../../shared/japanese-era';
import { localeOf } from '../i18n/format';
import { FieldError } from './form';

export const emptyBirthDate: BirthDateParts = { system: 'western', year: '', month: '', day: '' };

/** Checks the three fields; returns the date or the message to show beside the field. */
export function readBirthDate(t: (key: string) => string, parts: BirthDateParts): { date?: string; error?: string } {
  const result = toBirthDate(parts);
  if (result.ok) return { date: result.date };
  return { error: t(`birthDate.errors.${result.reason}`) };
}

/**
 * Birth date as three numeric fields in a fieldset, with the year in the Western calendar or in
 * a Japanese era (昭和25年), as many elderly residents know it. The Western date is echoed back.
 */
export function BirthDateField({
  id,
  value,
  onChange,
  error,
  legend,
}: {
  id: string;
  value: BirthDateParts;
  onChange: (value: BirthDateParts) => void;
  error?: string;
  legend?: string;
}) {
  const { t, i18n } = useTranslation();
  const set = (patch: Partial<BirthDateParts>) => onChange({ ...value, ...patch });
  const parsed = toBirthDate(value);
  const era = parsed.ok ? eraOf(parsed.date) : undefined;
  const describedBy = `${id}-hint${error ? ` ${id}-error` : ''}`;
  const part = (name: 'year' | 'month' | 'day', width: string, autoComplete: string) => (
    <div className="date-part">
      <label htmlFor={name === 'year' ? id : `${id}-${name}`} className="date-part-label">
        {t(`birthDate.${name}`)}
      </label>
      <input
        id={name === 'year' ? id : `${id}-${name}`}
        className={`input input-${width}`}
        inputMode="numeric"
        autoComplete={value.system === 'western' ? autoComplete : 'off'}
        maxLength={4}
        value={value[name]}
        aria-invalid={error ? true : undefined}
        onChange={(event) => set({ [name]: event.target.value })}
      />
    </div>
  );

  return (
    <fieldset className={`field${error ? ' field-has-error' : ''}`} aria-describedby={describedBy}>
      <legend className="label">{legend ?? t('birthDate.legend')}</legend>
      <div className="hint" id={`${id}-hint`}>
        {t('birthDate.hint')}
      </div>
      <FieldError id={id} message={error} />
      <div className="date-parts">
        <div className="date-part date-part-system">
          <label htmlFor={`${id}-system`} className="date-part-label">
            {t('birthDate.system')}
          </label>
          <select
            id={`${id}-system`}
            className="select"
            value={value.system}
            onChange={(event) => set({ system: event.target.value as YearSystem })}
          >
            <option value="western">{t('birthDate.western')}</option>
            {[...ERAS].reverse().map((e) => (
              <option key={e.id} value={e.id}>
                {t(`birthDate.eraOption.${e.id}`)}
              </option>
            ))}
          </select>
        </div>
        {/* The year field carries the fieldset's id so the error summary's link lands on it. */}
        {part('year', 'year', 'bday-year')}
        {part('month', 'two', 'bday-month')}
        {part('day', 'two', 'bday-day')}
      </div>
      {parsed.ok && (
        <p className="echo" aria-live="polite">
          {t('birthDate.echo', {
            date: new Intl.DateTimeFormat(localeOf(i18n.language), { timeZone: 'UTC', dateStyle: 'long' }).format(
              new Date(`${parsed.date}T12:00:00Z`),
            ),
            era: era
              ? t('birthDate.eraYear', {
                  era: t(`birthDate.eraName.${era.era.id}`),
                  year: era.year === 1 ? t('birthDate.firstYear') : era.year,
                })
              : '',
          })}
        </p>
      )}
    </fieldset>
  );
}
