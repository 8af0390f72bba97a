export { createHttpServer } from './server.js';
export type { HttpServerOptions } from './server.js';
export { setRequestUser, getRequestUser, requestActor, roleAtLeast } from './request-user.js';
export type { Role, RequestUser } from './request-user.js';
