import type { AppId } from '../hosts.js';

/*
 * The guided track's shape: types only, importing nothing of Node, so the inspector page shares them with the
 * backend instead of mirroring them.
 */

/** What the guided track asks for next: something the presenter does in an app, or a press in the inspector. */
export type TrackNext =
  | {
      kind: 'app';
      app: AppId;
      /** Where and what, said to the presenter ("Log in at the store"). */
      action: string;
      /** The link opens the app to log the demo user in on arrival. */
      logIn?: true;
    }
  | { kind: 'inspector'; action: 'advance-while' | 'advance-later'; label: string }
  | {
      kind: 'inspector';
      action: 'attack';
      attack: string;
      label: string;
      /** This press only arms the attack (its first run switches the injected script on): it can run while unarmed. */
      arms?: true;
    };

/** Besides its `done` step, the effect of an inspector press that lights no step of its own. */
export type TrackEffect = 'store-session-ended' | 'store-refresh-token-expired' | 'script-armed';

/**
 * One entry of a workflow's guided track, in our own words. The current entry is the first whose `after` step has
 * been seen (0: from the start) and that is not done; an entry is done once its `done` step has been seen, or, when
 * it has one, once its `doneWhen` effect holds.
 */
export interface TrackEntry {
  after: number;
  done: number;
  doneWhen?: TrackEffect;
  /** One or two sentences for the presenter to say. */
  say: string;
  next: TrackNext;
}
