/** What an application backend keeps in a server-side session (the seed: "the User object (or JWT)"). */
export interface SessionUser {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  fullName: string;
}

/** How the session came to be; the trace and the inspector show it. */
export type SessionOrigin = 'login' | 'refresh' | 'start-session';

/** Who opened the session: the user agent and the client address of the login request. */
export interface SessionClient {
  userAgent: string;
  address: string;
}

declare module 'express-session' {
  interface SessionData {
    user: SessionUser;
    jwt: string;
    origin: SessionOrigin;
    /** The client that logged in (the client-binding defence compares each request with it). */
    client: SessionClient;
  }
}
