import type { LoginRequest, User, WorkflowId, WorkflowInfo } from '../api.js';

/** Something to tell the user above the login UI. */
export type LoginNotice = { kind: 'session-ended' } | { kind: 'problem'; message: string };

/** Where the page stands after start-up, a login or a lost session. */
export type StartUpResult =
  | { status: 'logged-in'; user: User }
  /** `byLogout`: the user logged out here (the page reports that, not the seed's "login form again" after a 401). */
  | { status: 'logged-out'; notice?: LoginNotice; byLogout?: true }
  /** The page is navigating away (to the identity server); show nothing interactive. */
  | { status: 'leaving' }
  /** The application backend could not tell; the page offers a retry. */
  | { status: 'failed'; message: string };

export type LoginOutcome = { ok: true; user: User } | { ok: false; message: string };

/** The login UI a workflow needs; the SPAs render one component per kind. */
export type LoginUi =
  /** A form inside the page that hands credentials to the application backend. */
  | { kind: 'password-form'; submit(credentials: LoginRequest): Promise<LoginOutcome> }
  /** A control that leaves the page for the identity server's hosted login. */
  | { kind: 'identity-server'; begin(): void };

/** The browser half of one workflow: how the page starts, logs in and reacts to a lost session. */
export interface BrowserWorkflow {
  readonly id: WorkflowId;
  readonly login: LoginUi;
  startUp(): Promise<StartUpResult>;
  /** The protected data answered 401: the session is gone and the backend could not renew it. */
  sessionEnded(): StartUpResult;
  /** The protected data loaded, so the session works. */
  sessionConfirmed(): void;
  /** Only where the identity server keeps an SSO session: leave for its end-session endpoint, which ends it. */
  endSsoSession?(): void;
}

/** Builds a workflow from what `GET /api/workflow` said; throws with a user-facing message when that is unusable. */
export type BrowserWorkflowFactory = (info: WorkflowInfo) => BrowserWorkflow;
