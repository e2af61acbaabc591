import { implicitSession } from './implicit-session/index.js';
import { nativeRefresh } from './native-refresh/index.js';
import type { Workflow, WorkflowId } from './types.js';

/** Every workflow Loginscope can show. Adding one is adding its folder and one entry here. */
export const WORKFLOWS: Record<WorkflowId, Workflow> = {
  'native-refresh': nativeRefresh,
  'implicit-session': implicitSession,
};

export function isWorkflowId(id: unknown): id is WorkflowId {
  return typeof id === 'string' && Object.hasOwn(WORKFLOWS, id);
}
