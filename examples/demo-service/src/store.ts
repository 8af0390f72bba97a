/**
 * The demo's data: users and orders, kept in PostgreSQL when a pool is given, in memory otherwise, with an
 * optional Redis read-through cache for the user list.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';

/** A demo user as the API returns it (no password). */
export interface DemoUser {
  id: number;
  email: string;
  name: string;
}

/** A demo order. */
export interface DemoOrder {
  id: number;
  user_id: number;
  item: string;
  quantity: number;
  created_at: string;
}

/** What the HTTP layer needs from storage. */
export interface DemoStore {
  listUsers(): Promise<DemoUser[]>;
  getUser(id: number): Promise<DemoUser | undefined>;
  verifyLogin(email: string, password: string): Promise<DemoUser | undefined>;
  listOrders(): Promise<DemoOrder[]>;
  createOrder(userId: number, item: string, quantity: number): Promise<DemoOrder>;
  /** Creates tables and seed rows (PostgreSQL mode); a no-op in memory. */
  migrate(): Promise<void>;
}

const SEED: Array<DemoUser & { password: string }> = [
  { id: 1, email: 'ada@example.com', name: 'Ada Lovelace', password: 'analytical-engine' },
  { id: 2, email: 'grace@example.com', name: 'Grace Hopper', password: 'cobol-1959' },
  { id: 3, email: 'alan@example.com', name: 'Alan Turing', password: 'enigma-1941' },
];

/** Creates the store: PostgreSQL-backed when `pool` is given (tables prefixed `vigil_demo_`), in memory otherwise. */
export function createDemoStore(options: { pool?: pg.Pool; redis?: Redis } = {}): DemoStore {
  const { pool, redis } = options;
  const orders: DemoOrder[] = [];
  const strip = ({ id, email, name }: DemoUser): DemoUser => ({ id, email, name });

  async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!redis || redis.status !== 'ready') return load();
    try {
      const hit = await redis.get(key);
      if (hit) return JSON.parse(hit) as T;
    } catch {
      // The cache is optional: fall through to the source.
    }
    const value = await load();
    redis.set(key, JSON.stringify(value), 'EX', 5).catch(() => undefined);
    return value;
  }

  if (!pool) {
    return {
      migrate: async () => undefined,
      listUsers: async () => SEED.map(strip),
      getUser: async (id) => SEED.map(strip).find((u) => u.id === id),
      verifyLogin: async (email, password) => {
        const u = SEED.find((s) => s.email === email && s.password === password);
        return u ? strip(u) : undefined;
      },
      listOrders: async () => [...orders],
      createOrder: async (userId, item, quantity) => {
        const order = {
          id: orders.length + 1,
          user_id: userId,
          item,
          quantity,
          created_at: new Date().toISOString(),
        };
        orders.push(order);
        return order;
      },
    };
  }

  return {
    async migrate() {
      await pool.query(
        `CREATE TABLE IF NOT EXISTS vigil_demo_users (id int PRIMARY KEY, email text UNIQUE NOT NULL, name text NOT NULL, password text NOT NULL)`,
      );
      await pool.query(
        `CREATE TABLE IF NOT EXISTS vigil_demo_orders (id serial PRIMARY KEY, user_id int NOT NULL, item text NOT NULL, quantity int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      );
      for (const u of SEED) {
        await pool.query(
          'INSERT INTO vigil_demo_users (id, email, name, password) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [u.id, u.email, u.name, u.password],
        );
      }
    },
    listUsers: () =>
      cached(
        'vigil-demo:users',
        async () =>
          (await pool.query<DemoUser>('SELECT id, email, name FROM vigil_demo_users ORDER BY id'))
            .rows,
      ),
    async getUser(id) {
      return (
        await pool.query<DemoUser>('SELECT id, email, name FROM vigil_demo_users WHERE id = $1', [
          id,
        ])
      ).rows[0];
    },
    async verifyLogin(email, password) {
      const r = await pool.query<DemoUser>(
        'SELECT id, email, name FROM vigil_demo_users WHERE email = $1 AND password = $2',
        [email, password],
      );
      return r.rows[0];
    },
    async listOrders() {
      const r = await pool.query<DemoOrder & { created_at: Date }>(
        'SELECT id, user_id, item, quantity, created_at FROM vigil_demo_orders ORDER BY id DESC LIMIT 100',
      );
      return r.rows.map((o) => ({ ...o, created_at: new Date(o.created_at).toISOString() }));
    },
    async createOrder(userId, item, quantity) {
      const r = await pool.query<DemoOrder & { created_at: Date }>(
        'INSERT INTO vigil_demo_orders (user_id, item, quantity) VALUES ($1, $2, $3) RETURNING id, user_id, item, quantity, created_at',
        [userId, item, quantity],
      );
      const o = r.rows[0]!;
      return { ...o, created_at: new Date(o.created_at).toISOString() };
    },
  };
}
