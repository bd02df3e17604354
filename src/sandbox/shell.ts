// The persistent shell every backend uses: one `bash --noprofile --norc` per episode, fed through a pipe. Each
// command is sent as `eval '<command>'; printf '<marker with exit code>'; <restore fds>` on one logical line, so
// bash parses the marker before the command runs: a command that reads stdin (`read x`, `input()`) then reads what
// the agent sends later with isInput, never the marker. `cd` and `export` persist because eval runs in the shell
// itself. The marker goes to a copy of the output pipe on a dedicated descriptor (MARKER_FD), and stdin, stdout
// and stderr are restored from copies after every command, so a command that closes or redirects its own streams
// (`exec 1>&-`, `exec >/dev/null 2>&1`, `exec </dev/null`) cannot make the shell lose the marker or its input.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants } from "node:os";
import { CappedOutput } from "./output.js";
import type { CommandResult, RunOptions } from "./types.js";

// How a backend lets the shell act on the processes of the running command.
export interface ProcessControl {
  // SIGINT to the shell's foreground process group (the shell traps INT and survives; `cmd &` jobs ignore it).
  interrupt(): Promise<void>;
  // SIGKILL every process below the shell; the shell itself survives.
  killCommands(): Promise<void>;
  // True when some process of the command sleeps in read() on the shell's stdin, i.e. it waits for the agent.
  waitingForInput(): Promise<boolean>;
}

export interface ShellHost {
  // Start a fresh bash (inside the backend's isolation) with stdin/stdout/stderr piped.
  spawn(): ChildProcessWithoutNullStreams;
  // Called once the shell reported its pid as seen in its own namespace.
  attach(child: ChildProcessWithoutNullStreams, shellPid: number): Promise<ProcessControl>;
  // Kill everything this shell instance started and make sure it is gone.
  destroy(child: ChildProcessWithoutNullStreams): Promise<void>;
}

export interface ShellSettings {
  maxOutputBytes: number;
  commandTimeoutMs: number;
  startTimeoutMs?: number;
  workspacePath?: string; // where a restarted shell starts, named in the note that tells the agent
  // CPU time of one command (all its processes): the command is stopped like a timed-out one when it goes over.
  cpuSecondsPerCommand?: number;
  cpuSeconds?: () => number | null; // CPU time used by the episode so far, or null when not measurable
}

interface Instance {
  child: ChildProcessWithoutNullStreams;
  control: ProcessControl;
  exited: boolean;
  exitCode: number | null;
}

type WaitOutcome = "done" | "timeout" | "cpu" | "input" | "exited";

// Copies of the shell's output pipe and input pipe, made once at start. High numbers, so they do not collide with
// the descriptors scripts pick for themselves (3-9, or bash's own from 10 up for `{var}>`).
const MARKER_FD = 197;
const INPUT_FD = 198;

const INTERRUPT_GRACE_MS = 1500;
const KILL_GRACE_MS = 1500;
const POLL_MS = 100;
const INPUT_QUIET_MS = 300;

// Appends a bracketed note for the agent, on its own line.
function withNote(output: string, note: string): string {
  if (output === "") return note;
  return output.endsWith("\n") ? output + note : `${output}\n${note}`;
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class PersistentShell {
  private readonly nonce = randomBytes(8).toString("hex");
  private readonly markerStart: string;
  private readonly markerRe: RegExp;
  private inst: Instance | null = null;
  private seq = 0;
  private pendingSeq: number | null = null;
  private finished = new Map<number, number>(); // seq -> exit code, for markers seen
  private carry = "";
  private output: CappedOutput;
  private lastOutputAt = 0;
  private wake: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private startupStderr = "";

  constructor(
    private readonly host: ShellHost,
    private readonly settings: ShellSettings,
  ) {
    this.markerStart = `\n__HGYM_${this.nonce}_`;
    this.markerRe = new RegExp(`\\n__HGYM_${this.nonce}_(\\d+)_(\\d+)__\\n`);
    this.output = new CappedOutput(settings.maxOutputBytes);
  }

  async start(): Promise<void> {
    await this.launch();
  }

  run(command: string, opts: RunOptions = {}): Promise<CommandResult> {
    // Commands are strictly sequential: one shell, one foreground command.
    const next = this.queue.then(() => this.runNow(command, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const inst = this.inst;
    this.inst = null;
    if (inst) await this.host.destroy(inst.child);
    this.wakeUp();
  }

  private async launch(): Promise<void> {
    const child = this.host.spawn();
    this.carry = "";
    this.finished.clear();
    this.pendingSeq = null;
    this.startupStderr = "";
    const inst: Instance = { child, control: NO_CONTROL, exited: false, exitCode: null };
    this.inst = inst;
    child.stdout.on("data", (chunk: Buffer) => {
      if (this.inst === inst) this.onData(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      // Only the wrapper (bwrap, docker) writes here; the shell's own stderr is redirected to stdout at start.
      if (this.startupStderr.length < 8192) this.startupStderr += chunk.toString("utf8");
    });
    child.on("exit", (code, sig) => {
      inst.exited = true;
      inst.exitCode = code ?? (sig ? 128 + (constants.signals[sig] ?? 0) : null); // as a shell reports a signal death
      this.wakeUp();
    });
    child.on("error", (err) => {
      this.startupStderr += String(err);
      inst.exited = true;
      this.wakeUp();
    });
    child.stdin.on("error", () => undefined); // EPIPE when the shell died; noticed through "exit"
    // stderr joins stdout so output interleaves like a terminal; INT is trapped so Ctrl-C stops the command, not
    // the shell; prompts are empty so nothing but command output comes back.
    const init = [
      `exec 2>&1 ${MARKER_FD}>&1 ${INPUT_FD}<&0`,
      "trap ':' INT",
      "PS1=''; PS2=''; PS4='+ '; unset PROMPT_COMMAND",
      `printf '\\n__HGYM_${this.nonce}_0_%s__\\n' "$$"`,
    ].join("\n");
    child.stdin.write(init + "\n");
    const deadline = Date.now() + (this.settings.startTimeoutMs ?? 20_000);
    const outcome = await this.waitFor(0, deadline, false);
    if (outcome !== "done") {
      await this.host.destroy(child);
      const why = outcome === "exited" ? `exited with code ${inst.exitCode}` : "did not start in time";
      throw new Error(`sandbox shell ${why}: ${this.startupStderr.trim() || "(no error output)"}`);
    }
    const shellPid = this.finished.get(0) as number;
    this.finished.delete(0);
    this.output = new CappedOutput(this.settings.maxOutputBytes); // drop the handshake's blank line
    inst.control = await this.host.attach(child, shellPid);
  }

  private async restart(): Promise<void> {
    const old = this.inst;
    this.inst = null;
    if (old) await this.host.destroy(old.child);
    await this.launch();
  }

  // Kills everything the shell runs and starts a fresh one (used after the episode hit its process limit).
  async reset(): Promise<void> {
    const next = this.queue.then(async () => {
      if (!this.closed) await this.restart();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private restartedNote(what: string): string {
    const where = this.settings.workspacePath ? ` in ${this.settings.workspacePath}` : "";
    return `[${what}; a new shell was started${where}: environment variables, the working directory and background processes were reset (files are kept).]`;
  }

  private onData(chunk: Buffer): void {
    this.lastOutputAt = Date.now();
    // latin1 maps bytes 1:1 to chars, so marker search and slicing never split or alter UTF-8 sequences.
    let s = this.carry + chunk.toString("latin1");
    while (true) {
      const m = this.markerRe.exec(s);
      if (!m) break;
      this.output.push(Buffer.from(s.slice(0, m.index), "latin1"));
      this.finished.set(Number(m[1]), Number(m[2]));
      s = s.slice(m.index + m[0].length);
    }
    const keep = this.partialMarkerStart(s);
    this.output.push(Buffer.from(s.slice(0, keep), "latin1"));
    this.carry = s.slice(keep);
    this.wakeUp();
  }

  // Index where a possibly incomplete marker begins at the end of `s` (s.length when there is none).
  private partialMarkerStart(s: string): number {
    const maxMarker = this.markerStart.length + 24;
    for (let i = Math.max(0, s.length - maxMarker); i < s.length; i++) {
      if (s[i] !== "\n") continue;
      const rest = s.slice(i);
      if (this.markerStart.startsWith(rest) || rest.startsWith(this.markerStart)) return i;
    }
    return s.length;
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private sleepOrWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async waitFor(seq: number, deadline: number, detectInput: boolean, cpuStart: number | null = null): Promise<WaitOutcome> {
    const inst = this.inst;
    const cpuLimit = this.settings.cpuSecondsPerCommand;
    let inputVotes = 0;
    while (true) {
      if (this.finished.has(seq)) return "done";
      if (!inst || inst.exited || this.inst !== inst) return "exited";
      const now = Date.now();
      if (now >= deadline) return "timeout";
      await this.sleepOrWake(Math.min(POLL_MS, deadline - now));
      if (this.finished.has(seq)) return "done";
      if (cpuStart !== null && cpuLimit !== undefined && (this.settings.cpuSeconds?.() ?? cpuStart) - cpuStart > cpuLimit) return "cpu";
      if (detectInput && Date.now() - this.lastOutputAt >= INPUT_QUIET_MS) {
        // Two consecutive sightings, so a shell briefly between reads of a long command line is not mistaken.
        inputVotes = (await inst.control.waitingForInput()) ? inputVotes + 1 : 0;
        if (inputVotes >= 2 && !this.finished.has(seq)) return "input";
      } else inputVotes = 0;
    }
  }

  private takeOutput(): string {
    const flushed = this.partialMarkerStart(this.carry);
    if (flushed > 0) {
      this.output.push(Buffer.from(this.carry.slice(0, flushed), "latin1"));
      this.carry = this.carry.slice(flushed);
    }
    const text = this.output.text();
    this.output = new CappedOutput(this.settings.maxOutputBytes);
    return text;
  }

  private async runNow(command: string, opts: RunOptions): Promise<CommandResult> {
    const started = Date.now();
    const result = (output: string, exitCode: number | null, timedOut = false): CommandResult => ({
      output,
      exitCode,
      timedOut,
      durationMs: Date.now() - started,
    });
    if (this.closed) return result("[The sandbox episode is closed; no more commands can run.]", null);
    let diedBefore = "";
    if (!this.inst || this.inst.exited) {
      const code = this.inst?.exitCode;
      if (this.inst) diedBefore = this.restartedNote(`The shell exited (code ${code ?? "unknown"}) after the previous command`) + "\n";
      this.pendingSeq = null;
      await this.restart();
      if (opts.isInput) return result(`${diedBefore}[No command is running, so there is nothing to send input to.]`, null);
    }
    const inst = this.inst as Instance;
    const timeoutMs = opts.timeoutMs ?? this.settings.commandTimeoutMs;

    let seq: number;
    if (opts.isInput) {
      if (this.pendingSeq === null) {
        return result("[No command is running, so there is nothing to send input to. Run it as a normal command (is_input=false).]", null);
      }
      seq = this.pendingSeq;
      if (command.trim() === "C-c") await inst.control.interrupt();
      else if (command !== "") inst.child.stdin.write(command + "\n");
    } else {
      if (this.pendingSeq !== null) {
        return result(
          "[The previous command is still running (waiting for input). Send its input with is_input=true, or send `C-c` with is_input=true to interrupt it, before running a new command.]",
          null,
        );
      }
      seq = ++this.seq;
      this.pendingSeq = seq;
      this.lastOutputAt = Date.now();
      const clean = command.replace(/\0/g, "");
      const marker = `printf '\\n__HGYM_${this.nonce}_${seq}_%s__\\n' "$?" >&${MARKER_FD}`;
      inst.child.stdin.write(`eval ${shellQuote(clean)}; ${marker}; exec 1>&${MARKER_FD} 2>&1 0<&${INPUT_FD}\n`);
    }

    const cpuStart = this.settings.cpuSeconds?.() ?? null;
    let outcome = await this.waitFor(seq, started + timeoutMs, true, cpuStart);
    if (outcome === "done") {
      const r = this.finish(seq, result);
      return diedBefore ? { ...r, output: diedBefore + r.output } : r;
    }
    if (outcome === "input") {
      return result(
        withNote(this.takeOutput(), `[The command is still running and waiting for input. Send the input with is_input=true (or \`C-c\` with is_input=true to interrupt it).]`),
        null,
      );
    }
    if (outcome === "exited") return this.afterExit(inst, result);

    // Timed out (or over its CPU time): Ctrl-C first (keeps the shell and its state), then SIGKILL the command's
    // processes, and only if the shell itself is stuck (a busy builtin loop) replace it.
    const secs = Math.round(timeoutMs / 100) / 10;
    const stopped = outcome === "cpu" ? `Command used more than ${this.settings.cpuSecondsPerCommand} s of CPU time` : `Command timed out after ${secs} s`;
    await inst.control.interrupt();
    outcome = await this.waitFor(seq, Date.now() + INTERRUPT_GRACE_MS, false);
    if (outcome === "done") {
      this.pendingSeq = null;
      this.finished.delete(seq);
      return result(
        withNote(this.takeOutput(), `[${stopped} and was interrupted with SIGINT (Ctrl-C). The shell is still usable; its working directory and environment are kept.]`),
        null,
        true,
      );
    }
    if (outcome === "timeout") {
      await inst.control.interrupt();
      await inst.control.killCommands();
      outcome = await this.waitFor(seq, Date.now() + KILL_GRACE_MS, false);
      if (outcome === "done") {
        this.pendingSeq = null;
        this.finished.delete(seq);
        return result(
          withNote(this.takeOutput(), `[${stopped}; it ignored SIGINT, so its processes (including background processes started from this shell) were killed with SIGKILL. The shell is still usable; its working directory and environment are kept.]`),
          null,
          true,
        );
      }
    }
    const output = this.takeOutput();
    if (this.closed) return result(withNote(output, `[The sandbox episode was closed while the command ran.]`), null, true);
    await this.restart();
    return result(
      withNote(output, `[${stopped} and could not be stopped, so the shell was restarted: the working directory, environment variables and background processes were lost (files are kept).]`),
      null,
      true,
    );
  }

  private finish(seq: number, result: (o: string, c: number | null) => CommandResult): CommandResult {
    const code = this.finished.get(seq) as number;
    this.finished.delete(seq);
    this.pendingSeq = null;
    return result(this.takeOutput(), code);
  }

  private async afterExit(inst: Instance, result: (o: string, c: number | null) => CommandResult): Promise<CommandResult> {
    const output = this.takeOutput();
    if (this.closed) return result(withNote(output, `[The sandbox episode was closed.]`), null);
    const code = inst.exitCode;
    this.pendingSeq = null;
    await this.restart();
    return result(withNote(output, this.restartedNote(`The shell exited (code ${code ?? "unknown"}), e.g. because of \`exit\`, \`set -e\` or a killed shell`)), code);
  }
}

const NO_CONTROL: ProcessControl = {
  interrupt: async () => undefined,
  killCommands: async () => undefined,
  waitingForInput: async () => false,
};
