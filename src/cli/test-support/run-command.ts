// Runs `hgym <args>` in this process with only the given command modules registered (as main.ts would), and
// returns what the command printed on stdout. Commander's own output is silenced and its exits become exceptions,
// so a test sees a bad option as a thrown error rather than a dead test process.
import { Command } from "commander";

export interface CommandModule {
  register(program: Command): void;
}

export async function runCommand(modules: readonly CommandModule[], args: readonly string[]): Promise<string> {
  const program = new Command();
  program.exitOverride();
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const m of modules) m.register(program);
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(["node", "hgym", ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out.join("");
}
