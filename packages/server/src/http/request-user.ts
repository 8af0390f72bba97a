import type { FastifyRequest } from 'fastify';

/** Roles, weakest first: a viewer reads, a responder also acts on incidents and silences, an admin manages users and tokens. */
export type Role = 'viewer' | 'responder' | 'admin';

/** Who made a request, as the auth layer established it (session cookie or API token). */
export interface RequestUser {
  /** Login name, or `token:<name>` for an API token; shown as the actor in incident timelines. */
  readonly username: string;
  readonly role: Role;
  /** How the request authenticated. */
  readonly via: 'session' | 'token' | 'anonymous';
}

const users = new WeakMap<FastifyRequest, RequestUser>();

/**
 * Records the authenticated user of a request (called by the auth layer's onRequest hook). Kept in a
 * WeakMap so that features read it without depending on how auth is implemented.
 */
export function setRequestUser(request: FastifyRequest, user: RequestUser): void {
  users.set(request, user);
}

/** The authenticated user of a request, or undefined when auth is off or the route is public. */
export function getRequestUser(request: FastifyRequest): RequestUser | undefined {
  return users.get(request);
}

/** The actor name to record for an action made by this request (`anonymous` when nobody is logged in). */
export function requestActor(request: FastifyRequest): string {
  return users.get(request)?.username ?? 'anonymous';
}

const rank: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

/** Whether `role` is at least `needed`. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}
