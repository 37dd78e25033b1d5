export * from './socket-path.js';
export * from './socket-server.js';
export * from './socket-fetch.js';
export * from './data-dir-socket.js';
