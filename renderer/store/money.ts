const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Prices travel as integer cents; only the page turns them into money. */
export function formatCents(cents: number): string {
  return dollars.format(cents / 100);
}
