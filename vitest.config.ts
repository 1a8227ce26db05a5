import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
    environment: "node",
    globalSetup: ["lib/testing/global-setup.ts"],
    // Integration tests share nothing but each opens its own SQLite file; keep forks for native addons.
    pool: "forks",
    // No test may depend on the public npm registry: dependency checks see a closed loopback port
    // unless a test points them at its own fake registry.
    env: { npm_config_registry: "http://127.0.0.1:9" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
