/**
 * The rule of a resident's choice: e-mail (alone or with SMS) needs an address. The field error
 * names `email`, so the page puts the message beside the address field.
 */
export function preferencesProblem(choice: {
  channel: 'sms' | 'email' | 'both';
  email: string | null;
}): { field: string; rule: string } | undefined {
  if (choice.channel !== 'sms' && !choice.email) return { field: 'email', rule: 'required' };
  return undefined;
}
