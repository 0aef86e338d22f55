import { useEffect, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

/** Field id → message. `_form` holds a message that belongs to no single field. */
export type FormErrors = Record<string, string>;
export const FORM = '_form';

/** The id of the input for a field path of the API (`vaccines.pfizer.maxAgeYears`). */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^a-zA-Z0-9-]/g, '-')}`;
}

/**
 * The list of problems at the top of a form (GOV.UK's error summary): it takes focus when it
 * appears so the person hears or sees at once what to fix, and each entry jumps to its field.
 */
export function ErrorSummary({ errors }: { errors: FormErrors }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  useEffect(() => {
    if (entries.length > 0) box.current?.focus();
  }, [errors]); // eslint-disable-line react-hooks/exhaustive-deps
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={box} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('errors.summaryTitle')}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>{field === FORM ? message : <a href={`#${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p className="field-error" id={`${id}-error`}>
      <span className="visually-hidden">{t('errors.prefix')} </span>
      {message}
    </p>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  onChange: (value: string) => void;
  width?: 'narrow' | 'medium' | 'full';
}

export function TextField({ id, label, hint, error, onChange, width = 'full', className, ...input }: TextFieldProps) {
  return (
    <div className={`field${error ? ' field-has-error' : ''}`}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <FieldError id={id} message={error} />
      <input
        id={id}
        name={id}
        className={`input input-${width}${className ? ` ${className}` : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.value)}
        {...input}
      />
    </div>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}

export function SelectField({ id, label, hint, error, options, onChange, ...select }: SelectFieldProps) {
  return (
    <div className={`field${error ? ' field-has-error' : ''}`}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <FieldError id={id} message={error} />
      <select
        id={id}
        name={id}
        className="select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.value)}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One checkbox with its label beside it; the whole row is the target. */
export function Checkbox({
  id,
  label,
  hint,
  checked,
  onChange,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="checkbox">
      <input
        id={id}
        name={id}
        type="checkbox"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <div className="hint checkbox-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}

/** A group of related fields under one question (a legend screen readers announce with each). */
export function Fieldset({
  legend,
  hint,
  error,
  id,
  children,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  id?: string;
  children: ReactNode;
}) {
  return (
    <fieldset className={`field${error ? ' field-has-error' : ''}`} id={id} aria-describedby={id && error ? `${id}-error` : undefined}>
      <legend className="label">{legend}</legend>
      {hint && <div className="hint">{hint}</div>}
      {id && <FieldError id={id} message={error} />}
      {children}
    </fieldset>
  );
}

export function SubmitButton({ busy, children, variant }: { busy: boolean; children: ReactNode; variant?: 'warning' | 'secondary' }) {
  const { t } = useTranslation();
  return (
    <button type="submit" className={`button${variant ? ` button-${variant}` : ''}`} disabled={busy} aria-disabled={busy}>
      {busy ? t('common.sending') : children}
    </button>
  );
}
