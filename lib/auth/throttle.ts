import { AppError } from "../errors";
import type { WithHeaders } from "./request-headers";

/*
 * Wrong credentials are slowed down, per client address and per user name.
 *
 * Per client: after WRONG_ALLOWED wrong tokens, keys, forged cookies or wrong passwords from one
 * client within WINDOW_S, every attempt of that client that carries a credential is answered 429
 * with Retry-After until the window has passed — without checking it, so the answer says nothing
 * about the guess.
 *
 * Per user: after USER_WRONG_ALLOWED wrong passwords for one name within WINDOW_S, from any
 * number of clients, the clients that sent one of those wrong passwords are refused for that name
 * until the window has passed; a client that has not failed for that name still signs in. So a
 * guesser spread over many addresses gets about one guess per address and window, and a
 * throttled client cannot lock anybody else out.
 *
 * The client is the first X-Forwarded-For entry: the server (scripts/serve.ts) sets it to the peer
 * address, overwriting what the client sent, unless TRUST_PROXY says a reverse proxy in front sets it.
 */
export const WRONG_ALLOWED = 5;
export const USER_WRONG_ALLOWED = 10;
export const WINDOW_S = 60;
const MAX_KEYS = 10_000;

interface State {
  clients: Map<string, number[]>;
  users: Map<string, { at: number; client: string }[]>;
}
const state: State = ((globalThis as unknown as { __draThrottle?: State }).__draThrottle ??= { clients: new Map(), users: new Map() });

export function clientOf(request: WithHeaders): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0].trim() || "unknown";
}

function recent<T>(list: T[] | undefined, at: (t: T) => number, now: number): T[] {
  return (list ?? []).filter((t) => now - at(t) < WINDOW_S * 1000);
}

function tooMany(code: "too_many_requests:token" | "too_many_requests:sign_in", first: number, now: number, what: string): AppError {
  const retryAfterSeconds = (first + WINDOW_S * 1000 - now) / 1000;
  return new AppError(code, `${what}; try again in ${Math.ceil(retryAfterSeconds)} s.`, undefined, { retryAfterSeconds });
}

/** Throws 429 too_many_requests:token while this client is throttled. */
export function checkThrottle(request: WithHeaders, now = Date.now(), code: "too_many_requests:token" | "too_many_requests:sign_in" = "too_many_requests:token"): void {
  const client = clientOf(request);
  const list = recent(state.clients.get(client), (t) => t, now);
  if (list.length === 0) state.clients.delete(client);
  else state.clients.set(client, list);
  if (list.length >= WRONG_ALLOWED) throw tooMany(code, list[0], now, "Too many wrong credentials from this client");
}

/** Throws 429 too_many_requests:sign_in while `name` is under attack and this client took part in it. */
export function checkUserThrottle(request: WithHeaders, name: string, now = Date.now()): void {
  const key = name.toLowerCase();
  const list = recent(state.users.get(key), (f) => f.at, now);
  if (list.length === 0) state.users.delete(key);
  else state.users.set(key, list);
  const client = clientOf(request);
  if (list.length >= USER_WRONG_ALLOWED && list.some((f) => f.client === client)) {
    throw tooMany("too_many_requests:sign_in", list[0].at, now, `Too many wrong passwords for ${name}, some of them from this client`);
  }
}

function bound<K, V>(map: Map<K, V>): void {
  // a flood of made-up client addresses or names must not grow the maps without bound
  if (map.size > MAX_KEYS) map.delete(map.keys().next().value as K);
}

/**
 * Count a wrong credential against this client (and against `name` for a wrong password). The
 * function returned takes it back: a password check counts as wrong from its start and is
 * forgiven when it turns out right, so that guesses sent at once all count at once (a burst of
 * concurrent sign-ins would otherwise all be checked before the first failure was recorded).
 */
export function recordFailure(request: WithHeaders, { name, now = Date.now() }: { name?: string; now?: number } = {}): () => void {
  const client = clientOf(request);
  state.clients.set(client, [...(state.clients.get(client) ?? []), now]);
  bound(state.clients);
  const key = name?.toLowerCase();
  const entry = { at: now, client };
  if (key !== undefined) {
    state.users.set(key, [...(state.users.get(key) ?? []), entry]);
    bound(state.users);
  }
  let forgiven = false;
  return () => {
    if (forgiven) return;
    forgiven = true;
    const times = state.clients.get(client);
    const i = times?.indexOf(now) ?? -1;
    if (times && i >= 0) state.clients.set(client, times.filter((_, j) => j !== i));
    const failures = key !== undefined ? state.users.get(key) : undefined;
    if (failures) state.users.set(key!, failures.filter((f) => f !== entry));
  };
}

/** Forget every failure (each test starts from a clean slate). */
export function forgetFailures(): void {
  state.clients.clear();
  state.users.clear();
}
