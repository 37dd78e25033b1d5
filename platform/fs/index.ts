/** Files and folders that must stay private to the service's user (docs/storage.md). */
export {
  assertOwnerOnly,
  groupOrOtherBits,
  isPermissionsTooOpenError,
  PermissionsTooOpenError,
  readOwnerOnlyFile,
  readSecretFile,
  writeNewOwnerOnlyFile,
  type PermissionsErrorCode,
} from './owner-only.js';
export {
  keyFileErrorCode,
  readKeyFile,
  writeNewKeyFile,
  type KeyFileErrorCode,
} from './key-file.js';
export {
  collectBounded,
  FileTooLargeError,
  isFileTooLargeError,
  readFileBounded,
} from './bounded-read.js';
