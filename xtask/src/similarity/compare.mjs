// Compares every pair of a class's submissions of each lab with Dolos (@dodona/dolos-lib),
// leaving out what the lab's shipped stub already holds, and prints what it found as JSON:
//
//   node compare.mjs JOB.json
//   JOB.json: {"labs": [{"lab": "01-ports", "files": ["alice.rs", ...], "ignore": "stub.rs"}]}
//   stdout:   {"pairs": [{"lab", "left", "right", "similarity", "longest", "overlap",
//              "fragments": [{"kgrams", "left": {startRow, startCol, endRow, endCol}, "right": {...}}]}],
//              "warnings": [...]}
//
// Written into target/tools/dolos/ by `cargo xtask similarity`, beside the Dolos it installs.
import { readFileSync } from "node:fs";
import { Dolos } from "@dodona/dolos-lib";

const region = (selection) => ({
  startRow: selection.startRow,
  startCol: selection.startCol,
  endRow: selection.endRow,
  endCol: selection.endCol,
});

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const pairs = [];
const warnings = [];
for (const lab of job.labs) {
  if (lab.files.length < 2) {
    continue;
  }
  const dolos = new Dolos({ language: "rust" });
  const report = await dolos.analyzePaths(lab.files, lab.ignore);
  warnings.push(...report.warnings.map((warning) => `${lab.lab}: ${warning}`));
  for (const pair of report.allPairs()) {
    pairs.push({
      lab: lab.lab,
      left: pair.leftFile.path,
      right: pair.rightFile.path,
      similarity: pair.similarity,
      longest: pair.longest,
      overlap: pair.overlap,
      fragments: pair.buildFragments().map((fragment) => ({
        kgrams: fragment.pairs.length,
        left: region(fragment.leftSelection),
        right: region(fragment.rightSelection),
      })),
    });
  }
}
process.stdout.write(JSON.stringify({ pairs, warnings }));
