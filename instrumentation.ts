/*
 * Runs once when the Next.js server starts: validate the configuration (a bad value stops
 * start-up with a clear message) and apply pending migrations to the database DATABASE_URL
 * names, so a server pointed at a new database just works.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("./lib/server-start");
  await startServer();
}
