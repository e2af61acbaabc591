import type { WorkflowId } from '../api.js';
import { createImplicitSession } from './implicit-session.js';
import { createNativeRefresh } from './native-refresh.js';
import type { BrowserWorkflowFactory } from './types.js';

/** One entry per workflow the backend can announce; a new workflow is one file plus one line here. */
export const browserWorkflows: Record<WorkflowId, BrowserWorkflowFactory> = {
  'native-refresh': createNativeRefresh,
  'implicit-session': createImplicitSession,
};
