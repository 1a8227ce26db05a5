import type { ModelEntry } from "@/lib/queries/types";

/*
 * Which versions the Models page shows, from the version list alone (so the server, which
 * hydrates their details, and the browser, which refetches them after an action, agree).
 */

export interface CompareSelection {
  /** the version whose confusion matrix and coefficients are shown: `?version=`, else the deployed one, else the newest scored one */
  selectedVersion: number | null;
  /** the deployed version, else the newest */
  primary: ModelEntry | null;
  /** `?version=` when it names another listed version, else the newest other one; null with fewer than two versions */
  other: ModelEntry | null;
  /** versions to compare with, newest first */
  choices: number[];
  /** ids (not version numbers) of the versions whose details (GET /api/models/{id}) the page shows */
  detailIds: number[];
}

export function compareSelection(models: readonly ModelEntry[], picked: number | null): CompareSelection {
  const newestFirst = [...models].reverse();
  const deployed = models.find((m) => m.deployed) ?? null;
  const primary = deployed ?? newestFirst[0] ?? null;
  const pickedOther = picked !== null && picked !== deployed?.version ? models.find((m) => m.version === picked) : undefined;
  const other = pickedOther ?? newestFirst.find((m) => m.id !== primary?.id) ?? null;
  const selectedVersion = picked ?? deployed?.version ?? newestFirst.find((m) => m.f1 != null)?.version ?? null;
  const selected = models.find((m) => m.version === selectedVersion);
  const detailIds = [...new Set([primary?.id, other?.id, selected?.id].filter((id): id is number => id != null))];
  return { selectedVersion, primary, other, choices: newestFirst.map((m) => m.version), detailIds };
}

/** `?version=` as a version number, or null when absent or not a number. */
export function parseVersionParam(version: string | undefined): number | null {
  return version && /^\d{1,9}$/.test(version) ? Number(version) : null;
}
