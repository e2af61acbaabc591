/** The demo user of the seed (assets/seed/identity.json), as the pages show it and "log the user in first" uses it. */
export const DEMO_USER = { email: 'demo@example.com', password: 'demo-password' } as const;

/** The query an inspector link adds to an app's URL to have the page log the demo user in, for real, on arrival. */
export const LOG_IN_QUERY = { name: 'loginscope', value: 'log-in' } as const;

/** Whether this page was opened to log the user in; the query is removed at once so a reload does not repeat it. */
export function takeLogInRequest(): boolean {
  const url = new URL(location.href);
  if (url.searchParams.get(LOG_IN_QUERY.name) !== LOG_IN_QUERY.value) return false;
  url.searchParams.delete(LOG_IN_QUERY.name);
  history.replaceState(history.state, '', url.href);
  return true;
}
