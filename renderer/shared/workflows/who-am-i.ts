import { api } from '../api.js';
import type { StartUpResult } from './types.js';

/** Every workflow's first question: does the application backend already have a session for this browser? */
export async function whoAmI(): Promise<StartUpResult> {
  const res = await api.me();
  if (res.ok) return { status: 'logged-in', user: res.data.user };
  if (res.status === 404) return { status: 'logged-out' };
  return { status: 'failed', message: res.error.message };
}
