import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import ts from "typescript";

/*
 * The longest functions of the source (tests and generated code excluded), by lines from the
 * declaration to its closing brace. `npm run check:structure` fails when one is longer than
 * MAX_LINES, so a step of the pipeline or a handler stays readable in one screen.
 *   tsx scripts/function-lengths.ts [--top N] [--max LINES]
 */

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TOP = flag("--top", 10);
const MAX_LINES = flag("--max", Infinity);

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "app", "components", "lib", "scripts"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith("lib/db/generated"));

interface Fn {
  file: string;
  name: string;
  line: number;
  lines: number;
}

const found: Fn[] = [];
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // deleted but still in the index
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file, name: nameOf(node), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function nameOf(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isCallExpression(parent)) {
    const decl = parent.parent;
    if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) return decl.name.text;
  }
  return "(anonymous)";
}

found.sort((a, b) => b.lines - a.lines);
for (const f of found.slice(0, TOP)) console.log(`${String(f.lines).padStart(4)} lines  ${f.name}  ${f.file}:${f.line}`);
const tooLong = found.filter((f) => f.lines > MAX_LINES);
if (tooLong.length > 0) {
  console.error(`\n${tooLong.length} function(s) longer than ${MAX_LINES} lines: split them into named steps.`);
  process.exit(1);
}
