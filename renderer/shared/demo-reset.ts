/** What an app origin streams at `/loginscope/events` (backend/app/demo-events.ts). */
interface Hello {
  generation: number;
  forgetUrl: string | null;
}

/**
 * A Reset (or a workflow switch) in the inspector means a clean start for the browser too. The page hears of it from
 * its own backend, has that backend expire this origin's cookies (HttpOnly ones only the server can delete), drops
 * its own storage, and reloads into the new workflow through the identity server's forget page, which expires the
 * SSO cookie the same way. A page that was disconnected during a Reset sees a new generation when it reconnects.
 */
export function followResets(): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource('/loginscope/events');
  let generation: number | undefined;
  let leaving = false;
  const startOver = async (forgetUrl: string | null) => {
    if (leaving) return;
    leaving = true;
    source.close();
    try {
      await fetch('/api/loginscope/forget', { method: 'POST', credentials: 'same-origin' });
    } catch {
      // The backend is gone or restarting: the reload below shows that by itself.
    }
    sessionStorage.clear();
    localStorage.clear();
    location.replace(forgetUrl ?? '/');
  };
  source.addEventListener('hello', (e) => {
    const hello = JSON.parse((e as MessageEvent<string>).data) as Hello;
    if (generation === undefined) generation = hello.generation;
    else if (hello.generation !== generation) void startOver(hello.forgetUrl);
  });
  source.addEventListener('reset', (e) => void startOver((JSON.parse((e as MessageEvent<string>).data) as Hello).forgetUrl));
  return () => source.close();
}
