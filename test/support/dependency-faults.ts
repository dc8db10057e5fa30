/**
 * Faults made real on the preview's real dependencies (scripts/preview/dependencies.ts), driven the
 * way an application would cause them: Redis filled past `maxmemory`, a lock held while another
 * statement waits for it, a deadlock between two transactions, connections opened up to
 * `max_connections`, a table left with mostly dead tuples. Each returns how to undo it.
 */
import { pgConnect, type PgSession, type PgTarget, type QueryResult } from "../../scripts/preview/pg-wire";
import { PREVIEW_POSTGRES } from "../../scripts/preview/dependencies";
import { redisCommands } from "../../scripts/preview/redis-wire";

/** The superuser session target of the preview's Postgres on `port`. */
export function pgTarget(port: number): PgTarget {
  return { host: "127.0.0.1", port, ...PREVIEW_POSTGRES };
}

/** Runs `sql`; throws with the server's message if it fails. */
export async function exec(session: PgSession, sql: string): Promise<QueryResult> {
  const result = await session.query(sql);
  if (result.error) throw new Error(`${sql}: ${result.error.message} (${result.error.code})`);
  return result;
}

/**
 * Writes `keys` keys of `valueBytes` each (pipelined SETs), more than `maxmemory` holds: with
 * `allkeys-lru` Redis evicts older keys to make room (new names only: overwriting a key of the same
 * size evicts nothing). Resolves with the replies that were errors.
 */
export async function fillRedis(port: number, keys = 12_000, valueBytes = 1024, prefix = "e2e:fill"): Promise<string[]> {
  const value = "x".repeat(valueBytes);
  const commands = Array.from({ length: keys }, (_, i) => ["SET", `${prefix}:${i}`, value]);
  const replies = await redisCommands(port, commands, 30_000);
  return replies.filter((r) => r.startsWith("-"));
}

/** Empties Redis (the eviction fault's undo). */
export async function flushRedis(port: number): Promise<void> {
  await redisCommands(port, [["FLUSHALL"]]);
}

/** A held fault: `release()` undoes it and closes its sessions. */
export interface HeldFault {
  release(): Promise<void>;
}

/**
 * One session takes an ACCESS EXCLUSIVE lock on a table and keeps its transaction open; a second
 * session's SELECT on the table waits for it until `release()` commits the first.
 */
export async function holdConflictingLock(target: PgTarget): Promise<HeldFault> {
  const holder = await pgConnect(target);
  const waiter = await pgConnect(target);
  await exec(holder, "CREATE TABLE IF NOT EXISTS e2e_lock (id int)");
  await exec(holder, "BEGIN; LOCK TABLE e2e_lock IN ACCESS EXCLUSIVE MODE");
  const waiting = waiter.query("SELECT count(*) FROM e2e_lock");
  return {
    release: async () => {
      await exec(holder, "COMMIT");
      await waiting;
      await Promise.all([holder.close(), waiter.close()]);
    },
  };
}

/**
 * Two transactions update the same two rows in opposite orders: Postgres detects the deadlock
 * after `deadlock_timeout` and aborts one of them with SQLSTATE 40P01. Resolves with the errors
 * the two sessions got (one deadlock, the other none).
 */
export async function forceDeadlock(target: PgTarget): Promise<string[]> {
  const a = await pgConnect(target);
  const b = await pgConnect(target);
  try {
    await exec(a, "CREATE TABLE IF NOT EXISTS e2e_deadlock (id int PRIMARY KEY, v int); INSERT INTO e2e_deadlock VALUES (1, 0), (2, 0) ON CONFLICT DO NOTHING");
    await exec(a, "BEGIN; UPDATE e2e_deadlock SET v = v + 1 WHERE id = 1");
    await exec(b, "BEGIN; UPDATE e2e_deadlock SET v = v + 1 WHERE id = 2");
    const first = a.query("UPDATE e2e_deadlock SET v = v + 1 WHERE id = 2");
    const second = b.query("UPDATE e2e_deadlock SET v = v + 1 WHERE id = 1");
    const results = await Promise.all([first, second]);
    await Promise.all([a.query("ROLLBACK"), b.query("ROLLBACK")]);
    return results.flatMap((r) => (r.error ? [r.error.code] : []));
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/**
 * Opens sessions until Postgres refuses one ("sorry, too many clients already"): every slot of
 * `max_connections` is then taken (a superuser may use the reserved ones). Resolves with how many
 * it opened and the refusal.
 */
export async function openConnectionsToLimit(target: PgTarget, atMost = 200): Promise<HeldFault & { opened: number; refusal: string }> {
  const sessions: PgSession[] = [];
  let refusal = "";
  while (sessions.length < atMost) {
    try {
      sessions.push(await pgConnect(target));
    } catch (error) {
      refusal = error instanceof Error ? error.message : String(error);
      break;
    }
  }
  return { opened: sessions.length, refusal, release: async () => void (await Promise.all(sessions.map((s) => s.close()))) };
}

/**
 * A table whose autovacuum is off, filled with `rows` rows of which `deadShare` are then deleted:
 * its dead tuples stay until `release()` vacuums it.
 */
export async function bloatTable(target: PgTarget, rows = 1000, deadShare = 0.9): Promise<HeldFault> {
  const session = await pgConnect(target);
  await exec(session, "DROP TABLE IF EXISTS e2e_bloat; CREATE TABLE e2e_bloat (id int) WITH (autovacuum_enabled = false)");
  await exec(session, `INSERT INTO e2e_bloat SELECT generate_series(1, ${rows})`);
  await exec(session, `DELETE FROM e2e_bloat WHERE id <= ${Math.round(rows * deadShare)}`);
  // An idle backend flushes its table statistics only every 10 s; one that exits flushes them at once.
  await session.close();
  return {
    release: async () => {
      const vacuum = await pgConnect(target);
      await exec(vacuum, "VACUUM e2e_bloat");
      await vacuum.close();
    },
  };
}
