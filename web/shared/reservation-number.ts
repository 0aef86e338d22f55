/** A reservation number as people read and say it: two groups of four (ABCD-2345), in both apps. */
export function formatReservationNumber(number: string): string {
  return `${number.slice(0, 4)}-${number.slice(4)}`;
}
