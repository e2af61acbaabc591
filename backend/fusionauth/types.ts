/**
 * FusionAuth's wire types, with the field names of the official `@fusionauth/typescript-client` (1.69),
 * trimmed to what Loginscope sends and reads. Optional where FusionAuth may leave a field out.
 */
export type UUID = string;

export interface ErrorEntry {
  code?: string;
  message?: string;
  data?: Record<string, unknown>;
}

/** FusionAuth's Errors object (every 400 from /api/*). */
export interface Errors {
  fieldErrors?: Record<string, ErrorEntry[]>;
  generalErrors?: ErrorEntry[];
}

export interface UserRegistration {
  applicationId?: UUID;
  id?: UUID;
  insertInstant?: number;
  lastLoginInstant?: number;
  roles?: string[];
  username?: string;
  verified?: boolean;
}

export interface User {
  active?: boolean;
  email?: string;
  firstName?: string;
  fullName?: string;
  id?: UUID;
  insertInstant?: number;
  lastLoginInstant?: number;
  lastName?: string;
  passwordChangeRequired?: boolean;
  passwordLastUpdateInstant?: number;
  registrations?: UserRegistration[];
  tenantId?: UUID;
  username?: string;
  verified?: boolean;
}

export interface LoginRequest {
  loginId: string;
  password: string;
  applicationId?: UUID;
  ipAddress?: string;
  noJWT?: boolean;
  metaData?: { device?: { description?: string; name?: string; type?: string } };
}

export interface LoginResponse {
  changePasswordId?: string;
  changePasswordReason?: string;
  emailVerificationId?: string;
  methods?: unknown[];
  refreshToken?: string;
  refreshTokenId?: UUID;
  registrationVerificationId?: string;
  token?: string;
  tokenExpirationInstant?: number;
  twoFactorId?: string;
  user?: User;
}

/** 2xx answers of the Login API; 404 (bad credentials), 423 (locked), 400 and 401 are thrown as FusionAuthError. */
export type LoginResult =
  /** Authenticated and registered: the user, and a token unless `noJWT`. */
  | { status: 200; response: LoginResponse & { user: User } }
  /** Authenticated but not registered for the application: no refresh token. */
  | { status: 202; response: LoginResponse & { user: User } }
  /** Password change (203), unverified email (212) or registration (213), two-factor challenge (242). */
  | { status: 203 | 212 | 213 | 242; response: LoginResponse };

export interface JWTRefreshResponse {
  refreshToken: string;
  refreshTokenId: UUID;
  token: string;
}

export interface RefreshToken {
  applicationId?: UUID;
  id?: UUID;
  insertInstant?: number;
  metaData?: { device?: { lastAccessedInstant?: number; name?: string; type?: string }; scopes?: string[] };
  startInstant?: number;
  tenantId?: UUID;
  token?: string;
  userId?: UUID;
}

/** One of the ways FusionAuth revokes refresh tokens (DELETE /api/jwt/refresh). */
export type RefreshTokenRevocation = { tokenId: UUID } | { token: string } | { userId: UUID; applicationId?: UUID } | { applicationId: UUID };

export interface UserResponse {
  user: User;
}

/** The decoded claims `/api/jwt/validate` returns. */
export interface JWT {
  aud?: string | string[];
  exp?: number;
  iat?: number;
  iss?: string;
  jti?: string;
  nbf?: number;
  sub?: string;
  [claim: string]: unknown;
}

