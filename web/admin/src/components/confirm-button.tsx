import { useEffect, useId, useRef, useState } from 'react';

/**
 * A button for an action that takes effect at once and hurts when pressed by mistake (disabling
 * an account ends its sessions on the spot). The first press only asks, in words, what will
 * happen; the action runs on the second button. Focus goes to the question, so a screen reader
 * reads it, and back to the first button when the person keeps things as they are.
 */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  confirmLabel,
  keepLabel,
  disabled,
  small,
  quiet,
  onConfirm,
}: {
  label: string;
  ariaLabel?: string;
  question: string;
  confirmLabel: string;
  keepLabel: string;
  disabled?: boolean;
  small?: boolean;
  /** The first button as a secondary one (in a column of them); the confirming button is always the warning one. */
  quiet?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const questionId = useId();
  const questionRef = useRef<HTMLParagraphElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const size = small ? ' button-small' : '';

  useEffect(() => {
    if (asking) questionRef.current?.focus();
    else if (returnFocus.current) buttonRef.current?.focus();
    returnFocus.current = false;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={buttonRef}
        type="button"
        className={`button ${quiet ? 'button-secondary' : 'button-warning'}${size}`}
        disabled={disabled}
        aria-label={ariaLabel}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <div className="confirm notice notice-warning" role="group" aria-labelledby={questionId}>
      <p id={questionId} ref={questionRef} tabIndex={-1}>
        {question}
      </p>
      <div className="actions">
        <button
          type="button"
          className={`button button-warning${size}`}
          disabled={disabled}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button
          type="button"
          className={`button button-secondary${size}`}
          onClick={() => {
            returnFocus.current = true;
            setAsking(false);
          }}
        >
          {keepLabel}
        </button>
      </div>
    </div>
  );
}
