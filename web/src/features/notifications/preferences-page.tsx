import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../../../shared/i18n/languages';
import { api, ApiProblem } from '../../api/client';
import type { NotificationPreferences } from '../../api/types';
import { ErrorSummary, SubmitButton, TextField, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemToErrors } from '../../components/problem-message';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { Text } from '../../i18n/text';

type Channel = NotificationPreferences['channel'];
const CHANNELS: Channel[] = ['sms', 'email', 'both'];

/** A plain check of an address's form; the server checks it again. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * How booking messages reach the resident: SMS, e-mail or both, reminders or none, and the
 * language they are written in. Sign-in codes always go by SMS to the number confirmed at sign-in,
 * shown here by its last digits.
 */
export function PreferencesPage() {
  const { t } = useTranslation();
  const loaded = useResource(() => api<NotificationPreferences>('GET', '/me/notifications'), []);
  return (
    <Page title={t('messages.title')}>
      <BackLink href="/reservations" />
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'failed' && <LoadError problem={loaded.problem} onRetry={loaded.retry} />}
      {loaded.state === 'ready' && <PreferencesForm initial={loaded.data} />}
    </Page>
  );
}

function PreferencesForm({ initial }: { initial: NotificationPreferences }) {
  const { t } = useTranslation();
  const [channel, setChannel] = useState<Channel>(initial.channel);
  const [email, setEmail] = useState(initial.email ?? '');
  const [reminders, setReminders] = useState(initial.reminders);
  const [language, setLanguage] = useState<NotificationPreferences['language']>(initial.language);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const wantsEmail = channel !== 'sms';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const address = email.trim();
    if (wantsEmail && !EMAIL.test(address)) {
      setErrors({ email: t('messages.emailError') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      // An address typed and then left for SMS only is kept as it was: nothing is sent to it.
      const body = { channel, reminders, language, ...(wantsEmail ? { email: address } : {}) };
      const answer = await api<NotificationPreferences>('PATCH', '/me/notifications', body);
      setChannel(answer.channel);
      setEmail(answer.email ?? '');
      setReminders(answer.reminders);
      setLanguage(answer.language);
      setSaved(true);
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setErrors(problemToErrors(t, problem, { email: { id: 'email', message: t('messages.emailError') } }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <ErrorSummary errors={errors} />
      {saved && (
        <p className="notice notice-success" role="status">
          {t('messages.saved')}
        </p>
      )}
      <p>
        <Text k="messages.intro" />
      </p>
      <p>{initial.phoneLast4 ? <Text k="messages.phone" values={{ last4: initial.phoneLast4 }} /> : <Text k="messages.noPhone" />}</p>
      <form onSubmit={submit} noValidate>
        <fieldset className="field">
          <legend className="label">{t('messages.channelLegend')}</legend>
          {CHANNELS.map((value) => (
            <div key={value} className="checkbox">
              <input
                type="radio"
                id={`channel-${value}`}
                name="channel"
                value={value}
                checked={channel === value}
                onChange={() => setChannel(value)}
              />
              <label htmlFor={`channel-${value}`}>{t(`messages.channel.${value}`)}</label>
            </div>
          ))}
        </fieldset>
        {wantsEmail && (
          <TextField
            id="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            label={t('messages.emailLabel')}
            hint={t('messages.emailHint')}
            error={errors.email}
            value={email}
            onChange={setEmail}
            maxLength={254}
          />
        )}
        <fieldset className="field">
          <legend className="label">{t('messages.remindersLegend')}</legend>
          <div className="checkbox">
            <input type="checkbox" id="reminders" checked={reminders} onChange={(event) => setReminders(event.target.checked)} />
            <label htmlFor="reminders">{t('messages.reminders')}</label>
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="language" className="label">
            {t('messages.languageLabel')}
          </label>
          <div className="hint" id="language-hint">
            {t('messages.languageHint')}
          </div>
          <select
            id="language"
            className="select"
            aria-describedby="language-hint"
            value={language}
            onChange={(event) => setLanguage(event.target.value as NotificationPreferences['language'])}
          >
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton busy={busy}>{t('messages.save')}</SubmitButton>
      </form>
    </>
  );
}
