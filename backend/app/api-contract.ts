/**
 * The application backends' data as it crosses the wire, shared with the SPAs (nothing of Node in here).
 */

export interface Product {
  id: string;
  name: string;
  description: string;
  priceCents: number;
  imageEmoji: string;
}

export interface ProductsResponse {
  products: Product[];
}

export interface CartItem {
  productId: string;
  name: string;
  priceCents: number;
  quantity: number;
  imageEmoji: string;
}

export interface CartResponse {
  items: CartItem[];
  totalCents: number;
}

export interface Post {
  id: string;
  title: string;
  author: string;
  body: string;
  /** Epoch milliseconds. */
  createdAt: number;
  replies: number;
}

export interface PostsResponse {
  posts: Post[];
}

/** What the page has just shown; the trace needs it for steps that happen only in the browser ("shows the login form"). */
/** `logged-out`: the page after the user's own logout (not the seed's "show the login form again", which follows a 401). */
export const RENDERED_VIEWS = ['login-form', 'cart', 'posts', 'session-ended', 'logged-out'] as const;
export type RenderedView = (typeof RENDERED_VIEWS)[number];

export interface UiEventRequest {
  view: RenderedView;
}

/**
 * `POST /api/logout`: 204 when everything ended; 200 with this body when the session ended here but the identity
 * server could not be told (its refresh token may still work until it expires): never a clean logout that was not one.
 */
export interface PartialLogoutResponse {
  identityServerTold: false;
  message: string;
}
