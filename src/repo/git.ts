// Running the system git: one helper that collects stdout as bytes, so callers can parse -z output and raw blobs.

import { spawn } from "node:child_process";

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitRunOptions {
  cwd?: string;
  input?: Buffer | string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

// Environment for git runs that must not prompt (no terminal here) and should give stable, English messages.
export function quietGitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes -o ConnectTimeout=15",
    LC_ALL: "C",
    ...extra,
  };
}

export function runGit(args: string[], opts: GitRunOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: opts.cwd,
      env: opts.env ?? quietGitEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    }
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`could not run git (${e.message}); is git installed and on PATH?`));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const stderr = Buffer.concat(err).toString("utf8");
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(out),
        stderr: signal ? `${stderr}\n(git was killed by ${signal}${timer ? ", time limit reached" : ""})` : stderr,
      });
    });
    child.stdin.on("error", () => {
      /* git may exit before reading all input; the exit code tells what happened */
    });
    child.stdin.end(opts.input ?? "");
  });
}

// Runs git and returns stdout as text, throwing with git's own message when it fails.
export async function gitText(args: string[], opts: GitRunOptions = {}): Promise<string> {
  const r = await runGit(args, opts);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout.toString("utf8");
}

export interface CatFileObject {
  oid: string;
  type: string;
  content: Buffer | null; // null when git reported the object missing
}

// Reads many objects with one `git cat-file --batch`, in the order asked.
export async function catFileBatch(gitDir: string, oids: readonly string[], env?: NodeJS.ProcessEnv): Promise<CatFileObject[]> {
  if (oids.length === 0) return [];
  const r = await runGit(["--git-dir", gitDir, "cat-file", "--batch"], { input: oids.join("\n") + "\n", env });
  if (r.code !== 0) throw new Error(`git cat-file --batch failed in ${gitDir}: ${r.stderr.trim()}`);
  const out: CatFileObject[] = [];
  const buf = r.stdout;
  let pos = 0;
  for (const oid of oids) {
    const nl = buf.indexOf(10, pos);
    if (nl === -1) throw new Error(`git cat-file --batch: output ended early in ${gitDir}`);
    const header = buf.subarray(pos, nl).toString("utf8");
    pos = nl + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      out.push({ oid, type: "missing", content: null });
      continue;
    }
    const [, type = "", sizeText = "0"] = header.split(" ");
    const size = Number(sizeText);
    out.push({ oid, type, content: Buffer.from(buf.subarray(pos, pos + size)) });
    pos += size + 1; // content is followed by a newline
  }
  return out;
}
