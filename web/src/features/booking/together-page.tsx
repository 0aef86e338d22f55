import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import type { Me } from '../../api/types';
import { ErrorSummary, FORM, SubmitButton, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';

/**
 * Booking several people at once (a couple, a parent and a grown child): choose who comes, then
 * one venue, date and time with room for all. Only people with a dose to book can be chosen;
 * a booking of all of them is made or none (POST /reservations/together).
 */
export function TogetherPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const people = [me.account, ...me.family].filter((p) => p.nextDose);
  const [chosen, setChosen] = useState<number[]>(people.map((p) => p.id));
  const [errors, setErrors] = useState<FormErrors>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen.length < 2) {
      setErrors({ [FORM]: t('together.chooseTwo') });
      return;
    }
    const [first, ...others] = people.filter((p) => chosen.includes(p.id));
    navigate(`/book?for=${first!.id}&with=${others.map((p) => p.id).join(',')}`);
  }

  return (
    <Page title={t('together.title')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/reservations" />
      <ErrorSummary errors={errors} />
      <p>{t('together.intro')}</p>
      <form onSubmit={submit} noValidate>
        <fieldset className="field">
          <legend className="label">{t('together.who')}</legend>
          {people.map((person) => (
            <div key={person.id} className="checkbox">
              <input
                type="checkbox"
                id={`with-${person.id}`}
                checked={chosen.includes(person.id)}
                onChange={(event) =>
                  setChosen((now) => (event.target.checked ? [...now, person.id] : now.filter((id) => id !== person.id)))
                }
              />
              <label htmlFor={`with-${person.id}`}>{t('together.person', { name: person.nameKanji, dose: person.nextDose!.dose })}</label>
            </div>
          ))}
        </fieldset>
        <SubmitButton busy={false}>{t('common.continue')}</SubmitButton>
      </form>
    </Page>
  );
}
