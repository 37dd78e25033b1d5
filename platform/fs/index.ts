/** Files and folders that must stay private to the service's user (docs/storage.md). */
export {
  assertOwnerOnly,
  groupOrOtherBits,
  isPermissionsTooOpenError,
  PermissionsTooOpenError,
  readOwnerOnlyFile,
  type PermissionsErrorCode,
} from './owner-only.js';
export {
  collectBounded,
  FileTooLargeError,
  isFileTooLargeError,
  readFileBounded,
} from './bounded-read.js';
