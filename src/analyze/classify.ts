// The rule table that puts each action of a trajectory into one component. Deterministic and documented rule by
// rule in docs/ANALYSIS.md: a shell command line is cut into its simple commands (analyze/shell-parse.ts), each
// simple command takes the first rule that matches it, and the line as a whole takes the component of its most
// meaningful part (implementation > verification > exploration > navigation > other), so `cd src && pytest -x`
// is verification and `grep -n foo a.py | head` exploration. Other tools are matched by tool name and arguments.
// Callers add rules in front of the built-in ones (AnalyzeOptions.rules).

import { parseShell, type SimpleCommand } from "./shell-parse.js";
import type { ActionClass, ActionInput, ActionRule, Component } from "./types.js";

// Which part of a compound command line speaks for it.
const LINE_PRIORITY: Component[] = ["implementation", "verification", "exploration", "navigation", "other"];

const PYTHON = /^(python|python[23](\.\d+)?|pypy3?|py)$/;
const NODE_RUNNERS = new Set(["node", "ts-node", "tsx", "deno", "bun", "ruby", "Rscript", "php", "java", "go"]);
const TEST_PROGRAMS = new Set(["pytest", "py.test", "tox", "nox", "jest", "vitest", "mocha", "ava", "tap", "karma", "nosetests", "nose2", "trial", "ctest"]);
const CHECK_PROGRAMS = new Set(["tsc", "mypy", "pyright", "flake8", "ruff", "pylint", "pyflakes", "eslint", "prettier", "black", "isort", "pycodestyle", "shellcheck", "gcc", "g++", "clang", "javac"]);
const TEST_MODULES = new Set(["pytest", "unittest", "doctest", "nose", "nose2", "tox", "py.test"]);
const CHECK_MODULES = new Set(["mypy", "py_compile", "compileall", "pyflakes", "flake8", "pylint", "ruff", "pyright", "black", "isort", "tabnanny"]);
const LIST_PROGRAMS = new Set(["ls", "ll", "dir", "tree", "find", "fd", "fdfind", "du", "locate"]);
const SEARCH_PROGRAMS = new Set(["grep", "egrep", "fgrep", "rg", "ag", "ack", "ack-grep", "zgrep"]);
const READ_PROGRAMS = new Set([
  "cat", "head", "tail", "less", "more", "nl", "bat", "batcat", "sed", "awk", "gawk", "wc", "file", "stat", "od", "xxd", "hexdump",
  "strings", "diff", "cmp", "sort", "uniq", "cut", "tr", "jq", "column", "view", "vi", "vim", "nano", "colordiff",
]);
const LOCATE_PROGRAMS = new Set(["which", "whereis", "type", "realpath", "readlink", "dirname", "basename"]);
const FILE_OPS = new Set(["cp", "mv", "rm", "rmdir", "mkdir", "touch", "chmod", "chown", "ln", "truncate", "install", "unzip", "tar", "rsync"]);
const WRITERS = new Set(["cat", "echo", "printf", ""]); // "" = a bare redirection (`> f`)
const INSTALLERS = new Set(["pip", "pip3", "uv", "poetry", "conda", "mamba", "apt", "apt-get", "yum", "apk", "brew", "gem", "cargo-install"]);
const SHELL_SETUP = new Set(["export", "set", "unset", "source", ".", "alias", "ulimit", "umask", "shopt", "true", "false", ":", "sleep", "clear", "history", "wait", "kill", "exit", "read"]);
const GIT_NAVIGATION = new Set(["status", "log", "diff", "show", "branch", "rev-parse", "remote", "reflog", "describe", "shortlog", "tag"]);
const GIT_EXPLORATION = new Set(["grep", "ls-files", "blame", "ls-tree", "cat-file"]);
const GIT_WRITES = new Set(["apply", "am", "checkout", "restore", "reset", "stash", "mv", "rm", "cherry-pick", "revert", "merge", "rebase", "clean"]);
const NULL_SINKS = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "&1", "&2", "-"]);

// `git -C dir --no-pager diff` -> "diff".
function gitSubcommand(args: string[]): string {
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if (a === "-C" || a === "-c" || a === "--git-dir" || a === "--work-tree") k++;
    else if (!a.startsWith("-")) return a;
  }
  return "";
}

// How python is invoked: `-m <module>`, `-c <code>`, a script, `-` (code on stdin) or the REPL.
function pythonMode(args: string[]): { mode: "module" | "code" | "script" | "stdin" | "repl"; value: string } {
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if (a === "-m") return { mode: "module", value: args[k + 1] ?? "" };
    if (a.startsWith("-m") && a.length > 2) return { mode: "module", value: a.slice(2) };
    if (a === "-c") return { mode: "code", value: args[k + 1] ?? "" };
    if (a === "-") return { mode: "stdin", value: "" };
    if (a === "-W" || a === "-X") k++;
    else if (!a.startsWith("-")) return { mode: "script", value: a };
  }
  return { mode: "repl", value: "" };
}

// Code that writes a file: open(..., "w"/"a"), write_text, writeFileSync, ...
const WRITES_FILE_CODE = /open\([^)]*,\s*(mode\s*=\s*)?['"][wax]b?\+?['"]|\.write_text\(|\.write_bytes\(|writeFileSync\(|writeFile\(|appendFileSync\(|shutil\.(copy|move)|os\.(remove|rename|replace)\(/;

function hereDocText(cmd: SimpleCommand): string {
  return cmd.redirects.map((r) => r.body ?? "").join("\n");
}

// stdout (not stderr alone) sent into a real file: `> f`, `>> f`, `1> f`, `&> f`.
function writesToFile(cmd: SimpleCommand): boolean {
  return cmd.redirects.some((r) => /^(1|&)?(>|>>|>\|)$/.test(r.op) && !NULL_SINKS.has(r.target));
}

// Test and check runs through a package manager or toolchain: npm/yarn/pnpm/bun test, npm run test*, npx <test or
// check tool>, node --test / --check, deno test, go test/vet/build, cargo test/check/build, make.
function isToolchainTest(cmd: SimpleCommand): boolean {
  const [sub, script] = cmd.args;
  if (cmd.program === "npm" || cmd.program === "yarn" || cmd.program === "pnpm" || cmd.program === "bun") {
    if (sub === "test" || sub === "t" || sub === "tst") return true;
    if (sub === "run" || sub === "run-script") return /test|spec|check|lint|typecheck/.test(script ?? "");
    if (cmd.program !== "npm" && /^(test|check|lint|typecheck)/.test(sub ?? "")) return true; // `yarn test:unit`
  }
  if (cmd.program === "npx" || cmd.program === "pnpx" || ((cmd.program === "pnpm" || cmd.program === "yarn") && (sub === "exec" || sub === "dlx"))) {
    const tool = cmd.args.find((a, k) => !a.startsWith("-") && !(k === 0 && (a === "exec" || a === "dlx"))) ?? "";
    return TEST_PROGRAMS.has(tool) || CHECK_PROGRAMS.has(tool);
  }
  if (cmd.program === "node" || cmd.program === "deno" || cmd.program === "bun") return cmd.args.includes("--test") || cmd.args[0] === "test" || cmd.args.includes("--check");
  if (cmd.program === "go" || cmd.program === "cargo") return cmd.args[0] === "test" || cmd.args[0] === "vet" || cmd.args[0] === "check" || cmd.args[0] === "build";
  if (cmd.program === "make") return true;
  return false;
}

// The built-in rules, in the order they are tried. Ids are stable: reports and docs/ANALYSIS.md name them.
export const BUILTIN_RULES: ActionRule[] = [
  // --- tools other than the shell
  { id: "tool.think", component: "reasoning", description: "the think tool", step: (s) => s.tool === "think" },
  { id: "reply.no-tool", component: "reasoning", description: "an assistant reply without a tool call (free text)", step: (s) => s.tool === "(none)" },
  { id: "tool.finish", component: "submission", description: "the finish tool", step: (s) => s.tool === "finish" },
  { id: "editor.view", component: "exploration", description: "str_replace_editor view (a file or a folder listing)", step: (s) => s.tool === "str_replace_editor" && s.arguments?.command === "view" },
  { id: "editor.create", component: "implementation", description: "str_replace_editor create", step: (s) => s.tool === "str_replace_editor" && s.arguments?.command === "create" },
  { id: "editor.str_replace", component: "implementation", description: "str_replace_editor str_replace", step: (s) => s.tool === "str_replace_editor" && s.arguments?.command === "str_replace" },
  { id: "editor.insert", component: "implementation", description: "str_replace_editor insert", step: (s) => s.tool === "str_replace_editor" && s.arguments?.command === "insert" },
  { id: "editor.undo_edit", component: "implementation", description: "str_replace_editor undo_edit", step: (s) => s.tool === "str_replace_editor" && s.arguments?.command === "undo_edit" },
  { id: "shell.input", component: "other", description: "execute_bash with is_input (keys or input sent to a running process)", step: (s) => s.tool === "execute_bash" && (s.arguments?.is_input === true || s.arguments?.is_input === "true") },
  { id: "tool.unreadable", component: "other", description: "a tool call that could not be read (bad JSON or text format)", step: (s) => s.tool === "(unreadable)" || (s.arguments === null && s.tool !== "(none)") },

  // --- simple shell commands: implementation (files change)
  { id: "shell.write-redirect", component: "implementation", description: "cat/echo/printf (or a bare redirection) writing into a file: `cat > f <<EOF`, `echo x >> f`", shell: (c) => WRITERS.has(c.program) && writesToFile(c) },
  { id: "shell.sed-in-place", component: "implementation", description: "sed -i / perl -i / awk -i inplace", shell: (c) => ((c.program === "sed" || c.program === "perl") && c.args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith("--in-place"))) || ((c.program === "awk" || c.program === "gawk") && c.args.includes("inplace")) },
  { id: "shell.tee", component: "implementation", description: "tee into a file", shell: (c) => c.program === "tee" && c.args.some((a) => !a.startsWith("-") && !NULL_SINKS.has(a)) },
  { id: "shell.patch", component: "implementation", description: "patch, or git apply/am/checkout/restore/reset/stash/... (the working tree changes)", shell: (c) => c.program === "patch" || (c.program === "git" && GIT_WRITES.has(gitSubcommand(c.args))) },
  { id: "shell.file-ops", component: "implementation", description: "cp, mv, rm, mkdir, touch, chmod, ln, tar, ... (files are created, moved or removed)", shell: (c) => FILE_OPS.has(c.program) },
  { id: "shell.script-writes-file", component: "implementation", description: "python/node code (-c or a here-document) that writes a file (open(..., 'w'), write_text, writeFileSync, ...)", shell: (c) => (PYTHON.test(c.program) || c.program === "node") && WRITES_FILE_CODE.test(`${c.args.join(" ")}\n${hereDocText(c)}`) },

  // --- verification (tests, type checks, running code)
  { id: "shell.test-runner", component: "verification", description: "a test runner: pytest, tox, jest, vitest, mocha, python -m pytest/unittest/doctest, npm/yarn/pnpm test, node --test, go/cargo test, make", shell: (c) => TEST_PROGRAMS.has(c.program) || (PYTHON.test(c.program) && pythonMode(c.args).mode === "module" && TEST_MODULES.has(pythonMode(c.args).value)) || isToolchainTest(c) },
  { id: "shell.static-check", component: "verification", description: "a compiler, type checker or linter: tsc, mypy, pyright, flake8, ruff, eslint, python -m py_compile/compileall/mypy", shell: (c) => CHECK_PROGRAMS.has(c.program) || (PYTHON.test(c.program) && pythonMode(c.args).mode === "module" && CHECK_MODULES.has(pythonMode(c.args).value)) },
  { id: "shell.install", component: "other", description: "installing packages: pip, python -m pip, npm/yarn/pnpm install/add/ci, apt-get, conda", shell: (c) => INSTALLERS.has(c.program) || (PYTHON.test(c.program) && pythonMode(c.args).mode === "module" && ["pip", "ensurepip", "venv", "virtualenv"].includes(pythonMode(c.args).value)) || (["npm", "yarn", "pnpm", "bun"].includes(c.program) && ["install", "i", "ci", "add", "remove", "uninstall", "init"].includes(c.args[0] ?? "")) },
  { id: "shell.run-code", component: "verification", description: "running a script or code: python x.py / -c / -m / heredoc, node x.js, ts-node, deno run, go run, cargo run, bash x.sh, ./x, npm run <script>", shell: (c) => PYTHON.test(c.program) || NODE_RUNNERS.has(c.program) || ((c.program === "bash" || c.program === "sh") && c.args.length > 0) || c.program.startsWith("./") || (["npm", "yarn", "pnpm", "npx"].includes(c.program) && c.args.length > 0) || (c.program === "cargo" && c.args[0] === "run") },

  // --- exploration (reading the repository)
  { id: "shell.list", component: "exploration", description: "listing files: ls, tree, find, fd, du, git ls-files", shell: (c) => LIST_PROGRAMS.has(c.program) || (c.program === "git" && ["ls-files", "ls-tree"].includes(gitSubcommand(c.args))) },
  { id: "shell.search", component: "exploration", description: "searching: grep, rg, ag, ack, git grep", shell: (c) => SEARCH_PROGRAMS.has(c.program) || (c.program === "git" && gitSubcommand(c.args) === "grep") },
  { id: "shell.read", component: "exploration", description: "reading files: cat, head, tail, sed -n, awk, nl, wc, less, diff, git blame/cat-file", shell: (c) => READ_PROGRAMS.has(c.program) || (c.program === "git" && GIT_EXPLORATION.has(gitSubcommand(c.args))) },
  { id: "shell.locate", component: "exploration", description: "locating programs and paths: which, type, realpath, readlink", shell: (c) => LOCATE_PROGRAMS.has(c.program) },

  // --- navigation (where am I, what changed)
  { id: "shell.cd", component: "navigation", description: "cd, pushd, popd, pwd", shell: (c) => ["cd", "pushd", "popd", "pwd"].includes(c.program) },
  { id: "shell.git-inspect", component: "navigation", description: "git status/log/diff/show/branch/rev-parse", shell: (c) => c.program === "git" && GIT_NAVIGATION.has(gitSubcommand(c.args)) },

  // --- other
  { id: "shell.setup", component: "other", description: "shell set-up: export, source, set, alias, sleep, kill, ...", shell: (c) => SHELL_SETUP.has(c.program) },
  { id: "shell.echo", component: "other", description: "echo/printf to the terminal", shell: (c) => c.program === "echo" || c.program === "printf" },
];

const FALLBACK_SHELL = { id: "shell.unknown", component: "other" as Component, description: "a shell command no rule knows" };
const FALLBACK_TOOL = { id: "tool.unknown", component: "other" as Component, description: "a tool no rule knows" };

// Every rule id with its component and description, fallbacks included (for reports and --json).
export function ruleTable(extra: ActionRule[] = []): { id: string; component: Component; description: string }[] {
  return [...extra, ...BUILTIN_RULES, FALLBACK_SHELL, FALLBACK_TOOL, { id: "shell.empty", component: "other" as Component, description: "an empty command (or only comments)" }].map(({ id, component, description }) => ({ id, component, description }));
}

function classifySimple(cmd: SimpleCommand, rules: readonly ActionRule[]): { component: Component; rule: string } {
  for (const r of rules) if (r.shell?.(cmd)) return { component: r.component, rule: r.id };
  return { component: FALLBACK_SHELL.component, rule: FALLBACK_SHELL.id };
}

// Shell lines seen before, per rule list: agents repeat the same commands (ls, git diff, pytest) across thousands
// of rollouts, and a line's class depends only on its text and the rules. Bounded; cleared when full.
const lineCache = new WeakMap<readonly ActionRule[], Map<string, ActionClass>>();
const LINE_CACHE_MAX = 10_000;

function classifyLine(text: string, rules: readonly ActionRule[]): ActionClass {
  let cache = lineCache.get(rules);
  if (!cache) lineCache.set(rules, (cache = new Map()));
  const hit = cache.get(text);
  if (hit) return hit;
  const parts = parseShell(text);
  let out: ActionClass = { component: "other", rule: "shell.empty", command: null };
  let bestRank = Infinity;
  for (const p of parts) {
    const c = classifySimple(p, rules);
    const rank = LINE_PRIORITY.indexOf(c.component);
    const r = rank === -1 ? LINE_PRIORITY.length : rank;
    if (r < bestRank) {
      bestRank = r;
      out = { ...c, command: p.text || p.redirects.map((x) => `${x.op} ${x.target}`).join(" ") };
    }
  }
  if (cache.size >= LINE_CACHE_MAX) cache.clear();
  cache.set(text, out);
  return out;
}

// The caller's rules followed by the built-in ones, made once per caller list (which must not change afterwards).
const combined = new WeakMap<readonly ActionRule[], readonly ActionRule[]>();
function rulesWith(extra: readonly ActionRule[]): readonly ActionRule[] {
  if (extra.length === 0) return BUILTIN_RULES;
  let rules = combined.get(extra);
  if (!rules) combined.set(extra, (rules = [...extra, ...BUILTIN_RULES]));
  return rules;
}

// Classifies one action. `extraRules` are tried before the built-in ones (same list = same rules: do not change
// a list after passing it).
export function classifyAction(step: ActionInput, extraRules: readonly ActionRule[] = []): ActionClass {
  const rules = rulesWith(extraRules);
  for (const r of rules) if (r.step?.(step)) return { component: r.component, rule: r.id, command: null };
  if (step.tool === "execute_bash") {
    const text = typeof step.arguments?.command === "string" ? step.arguments.command : "";
    return { ...classifyLine(text, rules) };
  }
  return { component: FALLBACK_TOOL.component, rule: FALLBACK_TOOL.id, command: null };
}
