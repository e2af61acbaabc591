const phrase = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/** "3 hours ago" style wording for a post's time (epoch ms), relative to `now`. */
export function timeAgo(then: number, now: number): string {
  const elapsed = then - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size) return phrase.format(Math.round(elapsed / size), unit);
  }
  return 'just now';
}
