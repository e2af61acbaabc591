/**
 * The application backend's API as the SPAs see it: same-origin calls only (each page talks to the origin
 * that served it), cookies ride along on their own and are never read by script.
 * The store's and forum's data types come from the backend's contract module (types only); the rest are the
 * login endpoints' shapes.
 */

import type { CartItem, CartResponse, PartialLogoutResponse, Post, PostsResponse, Product, ProductsResponse, RenderedView, UiEventRequest } from '../../backend/app/api-contract.js';

export type { CartItem, CartResponse, Post, PostsResponse, Product, ProductsResponse, RenderedView, UiEventRequest };

export type WorkflowId = 'native-refresh' | 'implicit-session';

/** Where and how to start the implicit grant; only given for `implicit-session`. */
export interface AuthorizeInfo {
  /** Absolute URL of the identity server's `/oauth2/authorize`. */
  url: string;
  clientId: string;
  redirectUri: string;
}

/** The identity server's end-session endpoint (`/oauth2/logout`); only given where an SSO session can exist. */
export interface EndSessionInfo {
  url: string;
}

export interface WorkflowInfo {
  id: WorkflowId;
  title: string;
  authorize?: AuthorizeInfo;
  endSession?: EndSessionInfo;
}

export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  fullName: string;
}

export interface MeResponse {
  user: User;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  user: User;
}

export interface StartSessionRequest {
  /** The JWT taken from the redirect URI's fragment. */
  token: string;
}

export interface StartSessionResponse {
  user: User;
}

/** Every error crosses the wire in this one shape. */
export interface ApiError {
  code: string;
  message: string;
}

export interface ApiErrorBody {
  error: ApiError;
}

/** A call either worked (with typed data) or failed with a status and the server's error; it never throws. */
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

/** Status 0 stands for "no answer at all" (server down, connection refused). */
export const NETWORK_ERROR_STATUS = 0;

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as ApiError).message === 'string';
}

async function readError(res: Response): Promise<ApiError> {
  const fallback: ApiError = { code: `http_${res.status}`, message: `The server answered ${res.status} ${res.statusText}`.trim() };
  try {
    const body: unknown = await res.json();
    return isErrorBody(body) ? { code: String(body.error.code), message: body.error.message } : fallback;
  } catch {
    return fallback;
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    return { ok: false, status: NETWORK_ERROR_STATUS, error: { code: 'network_error', message: 'The application backend did not answer.' } };
  }
  if (!res.ok) return { ok: false, status: res.status, error: await readError(res) };
  // 204 (logout) has no body; callers of such endpoints ask for `void`.
  if (res.status === 204) return { ok: true, status: res.status, data: undefined as T };
  try {
    return { ok: true, status: res.status, data: (await res.json()) as T };
  } catch {
    return { ok: false, status: res.status, error: { code: 'bad_response', message: 'The server answered with something that is not JSON.' } };
  }
}

export const api = {
  workflow: () => call<WorkflowInfo>('GET', '/api/workflow'),
  me: () => call<MeResponse>('GET', '/api/me'),
  login: (credentials: LoginRequest) => call<LoginResponse>('POST', '/api/login', credentials),
  startSession: (request: StartSessionRequest) => call<StartSessionResponse>('POST', '/api/session', request),
  products: () => call<ProductsResponse>('GET', '/api/products'),
  cart: () => call<CartResponse>('GET', '/api/cart'),
  posts: () => call<PostsResponse>('GET', '/api/posts'),
  logout: () => call<PartialLogoutResponse | undefined>('POST', '/api/logout'),
  uiEvent: (event: UiEventRequest) => call<void>('POST', '/api/ui-events', event),
};
