// Which files a fix touches can be gold: source files in an indexed language, not tests, not documentation. The
// gold (gold.ts) and history mining's file count (history.ts) use this one rule, so a fix that also touches its
// docs is neither credited for them nor dropped as touching too many files.
//
// Documentation is a folder named docs/, doc/, documentation/ or website/ at any depth (a monorepo's
// packages/docs/ too): Sphinx's docs/conf.py, a Docusaurus site's website/sidebars.js or a docs app's pages are
// code, but not the project's code; a fix that adds its documentation page also edits them.

import { languageForPath } from "../common/code.js";
import { isTestPath } from "../common/test-files.js";

const DOC_DIRS = new Set(["docs", "doc", "documentation", "website"]);

export function isDocumentationPath(path: string): boolean {
  const dirs = path.split("/").slice(0, -1);
  return dirs.some((d) => DOC_DIRS.has(d.toLowerCase()));
}

// A file whose changes can be gold: indexed language, not documentation, and not a test unless tests are asked for.
export function isGoldSourcePath(path: string, includeTests = false): boolean {
  return languageForPath(path) !== null && !isDocumentationPath(path) && (includeTests || !isTestPath(path));
}
