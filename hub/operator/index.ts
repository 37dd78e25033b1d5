/**
 * The hub operator's commands as operations, and the operator socket through which they reach a
 * running hub (docs/hub.md, "Operator commands beside a running hub").
 */
export {
  localOperations,
  MAX_AUDIT_LIMIT,
  type AuditQuery,
  type HubOperations,
} from './operations.js';
export { operatorClient, type OperatorFetch } from './operator.client.js';
export { createOperatorApp, type OperatorAppDeps } from './operator.routes.js';
export {
  OPERATOR_SOCKET_NAME,
  operatorSocketPath,
  startOperatorSocket,
  throughRunningHub,
} from './operator-socket.js';
