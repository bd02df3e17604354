// Which test runner a func-gen `exec` test command starts, so verification can read the tests' own verdict
// instead of trusting the exit status (a body calling os._exit(0) or forcing the status at exit would otherwise
// pass). Only plain commands are understood: optional VAR=value assignments, then
//   python3 [-flags] -m unittest ARGS | python3 [-flags] -m pytest ARGS | pytest ARGS | py.test ARGS |
//   node [flags] --test ARGS | go test ARGS | cargo test ARGS  (native-runners.ts)
// Anything else (pipes, `&&`, `npm test`, other runners) is not readable: generation refuses it unless the user
// opts into exit-status verdicts (recorded in every reward). A shell word splitter, not a shell: any unquoted
// metacharacter makes the command unreadable rather than guessed at.

import { nativeTestPlan } from "./native-runners.js";

import type { TestRunner } from "./types.js";
export type { TestRunner } from "./types.js";

// Names inside the per-run directory: the key the wrapper reads and deletes, the report it writes.
export const KEY_FILE = "key";
export const REPORT_FILE = "report.json";

export const SUPPORTED_RUNNERS_TEXT = "`python3 -m unittest …`, `python3 -m pytest …` / `pytest …`, `node --test …`, `go test …`, `cargo test …`";

export interface TestCommandPlan {
  runner: TestRunner;
  env: string[]; // leading VAR=value words, as written (already shell-quoted)
  interpreter: string; // python3 / python / node (quoted word)
  interpreterFlags: string[]; // words between the interpreter and -m / --test (quoted)
  args: string[]; // the runner's own arguments (quoted)
  viaModule: boolean; // python -m pytest (cwd on sys.path) rather than the pytest script
}

// Glob characters (* ? [ ]) are allowed unquoted and passed through, so `node --test test/*.test.js` works.
const METACHARS = /[;&|<>`$(){}\n\r!#~]/;

// Splits a command into words (quotes removed). null when it holds shell syntax beyond plain words.
export function shellWords(command: string): string[] | null {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string;
    if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return null;
      cur += command.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < command.length && command[j] !== '"'; j++) {
        const c = command[j] as string;
        if (c === "$" || c === "`") return null; // expansions inside double quotes
        if (c === "\\" && j + 1 < command.length) cur += command[++j];
        else cur += c;
      }
      if (j >= command.length) return null;
      inWord = true;
      i = j;
    } else if (ch === "\\") {
      if (i + 1 >= command.length) return null;
      cur += command[++i];
      inWord = true;
    } else if (ch === " " || ch === "\t") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else if (METACHARS.test(ch)) {
      return null;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export function quoteWord(word: string): string {
  return /^[A-Za-z0-9_./:=,@%+*?[\]-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const PYTHON = /^(?:.*\/)?python(?:3(?:\.\d+)?)?$/;
const NODE = /^(?:.*\/)?node$/;
// Python interpreter options that take a value as the next word.
const PY_OPTS_WITH_VALUE = new Set(["-W", "-X", "-c"]);

// The plan for a readable command, or null.
export function parseTestCommand(command: string): TestCommandPlan | null {
  const words = shellWords(command.trim());
  if (!words || words.length === 0) return null;
  let i = 0;
  const env: string[] = [];
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] as string)) env.push(quoteWord(words[i++] as string));
  const exe = words[i];
  if (exe === undefined) return null;
  const rest = words.slice(i + 1);
  const native = nativeTestPlan(words.slice(i), env, quoteWord);
  if (native) return { runner: native.runner, env, interpreter: quoteWord(exe), interpreterFlags: [], args: native.args, viaModule: false };
  if (/^(?:.*\/)?(?:pytest|py\.test)$/.test(exe)) {
    return { runner: "pytest", env, interpreter: "python3", interpreterFlags: [], args: rest.map(quoteWord), viaModule: false };
  }
  if (PYTHON.test(exe)) {
    const flags: string[] = [];
    let j = 0;
    while (j < rest.length && (rest[j] as string).startsWith("-") && rest[j] !== "-m") {
      const flag = rest[j] as string;
      if (flag === "-c") return null;
      flags.push(flag);
      if (PY_OPTS_WITH_VALUE.has(flag)) flags.push(rest[++j] ?? "");
      j++;
    }
    if (rest[j] !== "-m") return null;
    const module = rest[j + 1];
    const runner = module === "unittest" ? "unittest" : module === "pytest" ? "pytest" : null;
    if (!runner) return null;
    return { runner, env, interpreter: quoteWord(exe), interpreterFlags: flags.map(quoteWord), args: rest.slice(j + 2).map(quoteWord), viaModule: true };
  }
  if (NODE.test(exe)) {
    const at = rest.indexOf("--test");
    if (at < 0) return null;
    // Node options before --test stay; the user's own reporters are replaced by ours (node needs one destination
    // per reporter, and the verdict must come from the reporter hgym reads).
    const keep = (w: string) => !/^--test-reporter(-destination)?(=|$)/.test(w);
    const before = rest.slice(0, at);
    const after = rest.slice(at + 1);
    const strip = (list: string[]) => {
      const out: string[] = [];
      for (let k = 0; k < list.length; k++) {
        const w = list[k] as string;
        if (!keep(w)) {
          if (!w.includes("=")) k++; // "--test-reporter spec": drop the value too
          continue;
        }
        out.push(w);
      }
      return out;
    };
    return { runner: "node-test", env, interpreter: quoteWord(exe), interpreterFlags: strip(before).map(quoteWord), args: strip(after).map(quoteWord), viaModule: false };
  }
  return null;
}

// Why exec mode cannot use `testCmd` (null: it can): its runner must be one whose per-test verdict hgym reads,
// unless the user opted into exit-status verdicts.
export function testCommandProblem(testCmd: string, exitStatusVerdict: boolean): string | null {
  if (exitStatusVerdict || parseTestCommand(testCmd) !== null) return null;
  return (
    `hgym cannot read the tests' verdict from "${testCmd}": exec mode reads each test's outcome from the runner, ` +
    `and supports plain commands of the forms ${SUPPORTED_RUNNERS_TEXT} (optionally after VAR=value). ` +
    "Rewrite the command in one of these forms, or pass --exit-status-verdict to trust the exit status alone " +
    '(weaker: a body can end the process early with status 0; every reward then records verdict_source "exit-status")'
  );
}
