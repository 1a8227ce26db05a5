import path from "node:path";

/**
 * The project folder. Under tsx it is this file's folder's grandparent; in the CLI bundle
 * (scripts/cli.cjs, which sets globalThis.__draRoot) every module's __dirname is the bundle's
 * folder under node_modules/.cache, so the bundle says where the project is.
 */
export const ROOT: string = (globalThis as { __draRoot?: string }).__draRoot ?? path.resolve(__dirname, "../..");
