/** Demo switches that weaken the apps on purpose, to show why a defence matters. Both start safe. */
export interface DemoSwitches {
  /** A compromised script include on the app pages sends `location.hash` to attacker.localhost. */
  injectedScript: boolean;
  /** The start-session API checks that the JWT's `aud` is this app's client id. */
  audienceCheck: boolean;
}

export const safeSwitches = (): DemoSwitches => ({ injectedScript: false, audienceCheck: true });
