/*
 * The import rules for tests (the main rules in .dependency-cruiser.cjs skip test files):
 * a test under lib/ tests lib code and imports nothing from app/ or components/ — a test of a
 * route handler lives next to that route in app/api.
 */
const main = require("./.dependency-cruiser.cjs");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "lib-tests-are-framework-free",
      comment: "A test under lib/ imports nothing from app/ or components/; route tests live in app/api.",
      severity: "error",
      from: { path: "^lib/.*\\.test\\.tsx?$" },
      to: { path: "^(app|components)/" },
    },
  ],
  options: { ...main.options, exclude: { path: ["^lib/db/generated", "^\\.next/", "^node_modules/"] } },
};
