import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../api/types';
import { Checkbox, Fieldset } from '../../components/form';

/** The five roles of a municipality, each with what it allows in a few words. */
export function RoleCheckboxes({ roles, onChange, error }: { roles: Role[]; onChange: (roles: Role[]) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t('accounts.roles')} hint={t('accounts.rolesHint')} id="f-roles" error={error}>
      {ROLES.map((role) => (
        <Checkbox
          key={role}
          id={`role-${role}`}
          label={t(`roles.${role}`)}
          hint={t(`roles.about.${role}`)}
          checked={roles.includes(role)}
          onChange={(checked) => onChange(checked ? ROLES.filter((r) => r === role || roles.includes(r)) : roles.filter((r) => r !== role))}
        />
      ))}
    </Fieldset>
  );
}
