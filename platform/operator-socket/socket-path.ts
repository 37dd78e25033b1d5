/**
 * Where a Unix domain socket may be bound. `sockaddr_un.sun_path` holds 108 bytes on Linux and
 * 104 on macOS and the BSDs, with the terminating NUL; Node does not refuse a longer path but
 * *truncates* it (seen on Node 20), binding a socket somewhere else — possibly outside the
 * private data directory. So every path is checked here before it is bound or connected to.
 * Windows has no Unix socket files under Node's `net` (it takes named pipes): none there.
 */
import { PlatformError, type OperatorSocketErrorCode } from '../errors.js';

/** The longest socket path, in bytes without the NUL, or undefined when there are none. */
export function maxSocketPathBytes(platform: string = process.platform): number | undefined {
  if (platform === 'win32') return undefined;
  return platform === 'linux' ? 107 : 103;
}

/** Throws PlatformError(code) when `socketPath` cannot be bound or reached as it is. */
export function assertSocketPath(
  code: Extract<
    OperatorSocketErrorCode,
    'OPERATOR_SOCKET_UNAVAILABLE' | 'OPERATOR_SOCKET_UNREACHABLE'
  >,
  socketPath: string,
  platform: string = process.platform,
): void {
  const max = maxSocketPathBytes(platform);
  if (max === undefined) {
    throw new PlatformError(code, 'operator sockets are not available on Windows', {
      field: 'path',
    });
  }
  const bytes = Buffer.byteLength(socketPath);
  if (bytes > max) {
    throw new PlatformError(
      code,
      `the socket path ${socketPath} is ${bytes} bytes, more than the ${max} this system allows ` +
        '(use a shorter data directory path)',
      { field: 'path' },
    );
  }
}
