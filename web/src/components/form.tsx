import { useEffect, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Field id → message. `_form` holds a message that belongs to no single field. */
export type FormErrors = Record<string, string>;
export const FORM = '_form';

/**
 * The list of problems at the top of a form: it takes focus when it appears so the person hears
 * or sees at once what to fix, and each entry jumps to its field.
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

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  onChange: (value: string) => void;
  width?: 'narrow' | 'medium' | 'full';
}

export function TextField({ id, label, hint, error, onChange, width = 'full', className, ...input }: TextFieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
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
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
        {...input}
      />
    </div>
  );
}

export function SubmitButton({ busy, children }: { busy: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <button type="submit" className="button" disabled={busy} aria-disabled={busy}>
      {busy ? t('common.sending') : children}
    </button>
  );
}
