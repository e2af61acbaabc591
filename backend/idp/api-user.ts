import express, { type Router } from 'express';
import { checkTenantHeader, fieldError, requireApiKey, sendEmpty, UUID_PATTERN } from './fusionauth-wire.js';
import type { Idp } from './idp.js';
import type { UserRecord } from './store.js';
import { userJson } from './user-json.js';

/**
 * `GET /api/user/{id}` and `GET /api/user?userId=|email=|loginId=`, with the API key only:
 * current FusionAuth removed the JWT form (1.60), so it is not here either.
 */
export function userApi(idp: Idp): Router {
  const router = express.Router();
  const send = (res: express.Response, user: UserRecord | undefined) => (user ? res.json({ user: userJson(idp, user) }) : sendEmpty(res, 404));

  router.get('/api/user/:userId', requireApiKey(idp), checkTenantHeader(idp), (req, res) => {
    const id = String(req.params.userId);
    send(res, UUID_PATTERN.test(id) ? idp.store.userById(id) : undefined);
  });
  router.get('/api/user', requireApiKey(idp), checkTenantHeader(idp), (req, res) => {
    const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const userId = q('userId');
    const email = q('email') ?? q('loginId');
    if (userId !== undefined) {
      if (!UUID_PATTERN.test(userId)) return void res.status(400).json(fieldError('userId', 'couldNotConvert', 'Invalid [userId]: it must be a UUID.'));
      return send(res, idp.store.userById(userId));
    }
    if (email) return send(res, idp.store.userByEmail(email));
    res.status(400).json(fieldError('userId', 'missing', 'You must specify the user by [userId], [email] or [loginId].'));
  });
  return router;
}
