import { nextTick, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import { api, type ApiResult, type RenderedView, type User } from './api.js';
import { browserWorkflows } from './workflows/index.js';
import type { BrowserWorkflow, BrowserWorkflowFactory, LoginNotice, LoginUi, StartUpResult } from './workflows/types.js';
import { useResource } from './use-resource.js';
import { followResets } from './demo-reset.js';
import { DEMO_USER, takeLogInRequest } from './demo-user.js';

export type SessionPhase = 'starting' | 'failed' | 'leaving' | 'logged-out' | 'logged-in';

/**
 * The life of one SPA's login, the same in the store and the forum: ask which workflow runs, let it start up,
 * then keep the protected data (cart or posts) loaded until a 401 hands control back to the workflow.
 */
export function useAppSession<T>(loadProtected: () => Promise<ApiResult<T>>, protectedView: RenderedView) {
  const phase = ref<SessionPhase>('starting');
  const problem = ref('');
  const user = shallowRef<User | null>(null);
  const notice = shallowRef<LoginNotice | null>(null);
  const login = shallowRef<LoginUi | null>(null);
  const logoutError = ref('');
  /** The workflow can also end the identity server's SSO session ("Log out everywhere"). */
  const canLogOutEverywhere = ref(false);
  const protectedData = useResource(loadProtected);
  let workflow: BrowserWorkflow | null = null;

  /** Tells the backend's trace what the user now sees; best effort, it never blocks or fails the page. */
  function reportRendered(views: RenderedView[]) {
    void nextTick(() => views.forEach((view) => void api.uiEvent({ view })));
  }

  function apply(result: StartUpResult) {
    switch (result.status) {
      case 'logged-in':
        user.value = result.user;
        notice.value = null;
        phase.value = 'logged-in';
        void refresh();
        return;
      case 'logged-out':
        user.value = null;
        protectedData.clear();
        notice.value = result.notice ?? null;
        phase.value = 'logged-out';
        reportRendered(
          result.byLogout
            ? ['logged-out']
            : [
                ...(result.notice?.kind === 'session-ended' ? ['session-ended' as const] : []),
                ...(workflow?.login.kind === 'password-form' ? ['login-form' as const] : []),
              ],
        );
        return;
      case 'leaving':
        phase.value = 'leaving';
        return;
      case 'failed':
        problem.value = result.message;
        phase.value = 'failed';
    }
  }

  function chooseWorkflow(id: string): BrowserWorkflowFactory | undefined {
    return Object.hasOwn(browserWorkflows, id) ? browserWorkflows[id as keyof typeof browserWorkflows] : undefined;
  }

  async function start() {
    phase.value = 'starting';
    const info = await api.workflow();
    if (!info.ok) return apply({ status: 'failed', message: info.error.message });
    const create = chooseWorkflow(info.data.id);
    if (!create) return apply({ status: 'failed', message: `This page does not know the workflow "${info.data.id}".` });
    try {
      workflow = create(info.data);
    } catch (error) {
      return apply({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
    login.value = workflow.login;
    canLogOutEverywhere.value = Boolean(workflow.endSsoSession);
    const started = await workflow.startUp();
    apply(started);
    if (started.status === 'logged-out' && takeLogInRequest()) await logInDemoUser(workflow);
  }

  /** The inspector's "log the user in first": the normal login of this workflow, done for the user (traced, lit). */
  async function logInDemoUser(w: BrowserWorkflow) {
    if (w.login.kind === 'identity-server') return w.login.begin();
    const outcome = await w.login.submit({ ...DEMO_USER });
    if (outcome.ok) loggedIn(outcome.user);
    else problem.value = outcome.message;
  }

  async function refresh() {
    const result = await protectedData.load();
    if (!result || !workflow) return;
    if (result.ok) {
      workflow.sessionConfirmed();
      reportRendered([protectedView]);
    }
    else if (result.status === 401) apply(workflow.sessionEnded());
  }

  function loggedIn(who: User) {
    apply({ status: 'logged-in', user: who });
  }

  /** `everywhere`: after the app's own session, the SSO session too, by leaving for the identity server's logout. */
  async function logOut(everywhere = false) {
    logoutError.value = '';
    const res = await api.logout();
    if (res.ok && everywhere && workflow?.endSsoSession) {
      apply({ status: 'leaving' });
      return workflow.endSsoSession();
    }
    // Logged out here, but the identity server may still honour the refresh token: say so, never a clean logout.
    if (res.ok) apply({ status: 'logged-out', byLogout: true, ...(res.data && { notice: { kind: 'problem', message: res.data.message } }) });
    else logoutError.value = res.error.message;
  }

  // A page restored from the bfcache (Back, Forward) shows what it showed when it was left, often "leaving" for the
  // identity server; the session may have changed since, so ask again.
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) void start();
  };
  let stopFollowingResets: () => void = () => undefined;
  onMounted(() => {
    window.addEventListener('pageshow', onPageShow);
    stopFollowingResets = followResets();
    void start();
  });
  onBeforeUnmount(() => {
    window.removeEventListener('pageshow', onPageShow);
    stopFollowingResets();
  });

  return { phase, problem, user, notice, login, logoutError, canLogOutEverywhere, protectedData, start, refresh, loggedIn, logOut };
}
