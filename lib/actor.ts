import { AsyncLocalStorage } from "node:async_hooks";
import os from "node:os";

/*
 * Who is acting: set once where a request, a CLI command, a scheduled run or a job's worker thread
 * begins, and read where something is recorded (a deployment, a run, an audit event), without
 * passing it through every function in between. The API sets it from the request's credentials
 * (lib/http/route.ts), the CLI from the OS user, the scheduler to "schedule"; a job's worker gets
 * the actor of the thread that started it (lib/jobs/run-in-worker.ts).
 */

export type ActorKind = "user" | "key" | "token" | "proxy" | "anonymous" | "schedule" | "cli" | "system";

export interface Actor {
  kind: ActorKind;
  /** the person (user, key's user, proxy user), "ADMIN_TOKEN", the OS user of the CLI, … */
  name: string;
  /** how lists show it: "alice", "alice (key ci)", "ADMIN_TOKEN", "schedule", "cli (root)" */
  label: string;
  userId?: number;
  /** the client address of an HTTP request */
  client?: string;
}

const storage: AsyncLocalStorage<Actor> = ((globalThis as unknown as { __draActorStorage?: AsyncLocalStorage<Actor> }).__draActorStorage ??= new AsyncLocalStorage<Actor>());
let processDefault: Actor = { kind: "system", name: "system", label: "system" };

export function actor(kind: ActorKind, name: string, extra: Partial<Pick<Actor, "userId" | "client" | "label">> = {}): Actor {
  const label = extra.label ?? (kind === "cli" ? `cli (${name})` : kind === "anonymous" ? "anonymous" : name);
  return { kind, name, label, ...(extra.userId !== undefined ? { userId: extra.userId } : {}), ...(extra.client ? { client: extra.client } : {}) };
}

/** The actor of the CLI: the OS user who runs it. */
export function cliActor(): Actor {
  let name = process.env.SUDO_USER || process.env.USER || "";
  try {
    name ||= os.userInfo().username;
  } catch {
    name ||= "unknown";
  }
  return actor("cli", name);
}

export const SCHEDULE_ACTOR: Actor = actor("schedule", "schedule");

/** Run `fn` with `who` as the actor of everything it records. */
export function runAsActor<T>(who: Actor, fn: () => T): T {
  return storage.run(who, fn);
}

/** The actor of this process when no request or run set one (the CLI, a worker thread). */
export function setProcessActor(who: Actor): void {
  processDefault = who;
}

export function currentActor(): Actor {
  return storage.getStore() ?? processDefault;
}
