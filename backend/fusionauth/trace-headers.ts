/**
 * Sent by the FusionAuth client with ACTOR_HEADER: the id of the trace exchange it records for the call, so the
 * embedded identity server can tie its internal events to that exchange. A real FusionAuth ignores it.
 */
export const EXCHANGE_HEADER = 'x-loginscope-exchange';
