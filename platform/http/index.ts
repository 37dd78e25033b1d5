/** HTTP plumbing: the services' problem+json errors and JSON bodies; calls with a deadline. */
export {
  problemResponse,
  protocolProblem,
  serviceProblem,
  SERVICE_CODE,
  type ProblemBody,
} from './problem-response.js';
export {
  problemErrorHandler,
  problemNotFound,
  type ProblemErrorHandlerOptions,
} from './error-handler.js';
export { jsonBodyLimit, readJsonBody, readRequestBody } from './json-body.js';
export {
  closeServer,
  DEFAULT_SERVER_LIMITS,
  listen,
  type ListeningServer,
  type ServerLimits,
} from './listen.js';
export {
  agencyAuth,
  authenticatedAgency,
  type AgencyAuthOptions,
  type AgencyDirectory,
  type AuthenticatedAgency,
} from './agency-auth.js';
export { readBodyText, withDeadline, type BodyText } from './deadline.js';
