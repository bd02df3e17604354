// A small, forgiving parser of the shell commands agents send: enough of POSIX sh to cut a command line into its
// simple commands (split at `&&`, `||`, `;`, `|`, `&`, newlines and parentheses), with quotes and escapes
// resolved, here-document bodies and command substitutions kept out of the command words, redirections set
// apart, and wrappers removed (env assignments, `env`, `sudo`, `time`, `timeout N`, `nohup`, `xargs`, `bash -c
// '...'` which is parsed again). It never fails: text it cannot make sense of ends up as plain words.

export interface Redirect {
  op: string; // ">", ">>", "<", "<<", "<<<", "&>", "2>", ...
  target: string; // the file, or the here-document's delimiter
  body?: string; // a here-document's text
}

export interface SimpleCommand {
  program: string; // first word after wrappers; "" when the command was only assignments or redirections
  args: string[];
  redirects: Redirect[];
  text: string; // the words joined by spaces (for reports), with the original program name
}

type RedirectToken = { kind: "redirect"; op: string; target: string; body?: string };
type Token = { kind: "word"; value: string } | { kind: "op"; value: string } | RedirectToken;

const SEPARATORS = new Set(["&&", "||", ";", "|", "&", "\n", "(", ")", "|&", ";;"]);
// Words that open or continue shell syntax rather than name a program; the command is what follows them.
const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac", "in"]);
const MAX_DEPTH = 4; // bash -c "bash -c '...'" nesting

// Splits `text` into tokens. Here-document bodies are attached to their redirection, not read as commands.
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pendingHeredocs: { delimiter: string; stripTabs: boolean; token: RedirectToken }[] = [];
  let i = 0;
  const n = text.length;

  const readWord = (): string => {
    let out = "";
    while (i < n) {
      const c = text[i] as string;
      if (c === "\\") {
        if (text[i + 1] === "\n") i += 2;
        else {
          out += text[i + 1] ?? "";
          i += 2;
        }
      } else if (c === "'") {
        const end = text.indexOf("'", i + 1);
        const stop = end === -1 ? n : end;
        out += text.slice(i + 1, stop);
        i = stop + 1;
      } else if (c === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < n && '"\\$`\n'.includes(text[i + 1] as string)) {
            out += text[i + 1];
            i += 2;
          } else if (text[i] === "$" && text[i + 1] === "(") {
            out += skipBalanced();
          } else {
            out += text[i];
            i++;
          }
        }
        i++;
      } else if (c === "$" && text[i + 1] === "(") {
        out += skipBalanced();
      } else if (c === "`") {
        const end = text.indexOf("`", i + 1);
        const stop = end === -1 ? n : end;
        out += text.slice(i, stop + 1);
        i = stop + 1;
      } else if (c === " " || c === "\t" || c === "\n" || c === "\r" || "|&;()<>".includes(c)) {
        break;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };

  // `$( ... )` with nesting, kept as literal text in the word.
  const skipBalanced = (): string => {
    const start = i;
    let depth = 0;
    while (i < n) {
      const c = text[i];
      if (c === "(") depth++;
      else if (c === ")") {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (c === "'") {
        const end = text.indexOf("'", i + 1);
        i = end === -1 ? n - 1 : end;
      }
      i++;
    }
    return text.slice(start, i);
  };

  const skipHeredocBodies = (): void => {
    for (const h of pendingHeredocs) {
      const body: string[] = [];
      while (i < n) {
        const eol = text.indexOf("\n", i);
        const lineEnd = eol === -1 ? n : eol;
        let line = text.slice(i, lineEnd);
        if (h.stripTabs) line = line.replace(/^\t+/, "");
        i = lineEnd + 1;
        if (line === h.delimiter) break;
        body.push(line);
      }
      h.token.body = body.join("\n");
    }
    pendingHeredocs.length = 0;
  };

  while (i < n) {
    const c = text[i] as string;
    if (c === "\n") {
      tokens.push({ kind: "op", value: "\n" });
      i++;
      if (pendingHeredocs.length > 0) skipHeredocBodies();
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#") {
      // A word starting with # is a comment up to the end of the line (readWord keeps a # inside a word).
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    // Redirections, with an optional file-descriptor number or & in front.
    const redir = (c >= "0" && c <= "9") || c === "&" || c === "<" || c === ">" ? /^(\d*|&)(>>|>&|>\||>|<<<|<<-|<<|<&|<>|<)/.exec(text.slice(i, i + 6)) : null;
    if (redir && (redir[1] === "" || /[\s;|&()]/.test(text[i - 1] ?? " "))) {
      i += redir[0].length;
      while (i < n && (text[i] === " " || text[i] === "\t")) i++;
      const target = readWord();
      const op = redir[2] as string;
      const token: RedirectToken = { kind: "redirect", op: (redir[1] ?? "") + op, target };
      if (op === "<<" || op === "<<-") pendingHeredocs.push({ delimiter: target, stripTabs: op === "<<-", token });
      tokens.push(token);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "&&" || two === "||" || two === "|&" || two === ";;") {
      tokens.push({ kind: "op", value: two });
      i += 2;
      continue;
    }
    if ("|&;()".includes(c)) {
      tokens.push({ kind: "op", value: c });
      i++;
      continue;
    }
    const before = i;
    const word = readWord();
    if (i === before) i++; // a character no rule consumed: skip it rather than loop
    tokens.push({ kind: "word", value: word });
  }
  return tokens;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

// Removes wrappers in front of the real program: assignments, env, sudo, time, timeout, nohup, nice, exec,
// command, stdbuf, xargs (with their options).
function stripWrappers(words: string[]): string[] {
  let w = words;
  for (let guard = 0; guard < 10 && w.length > 0; guard++) {
    const first = w[0] as string;
    if (ASSIGNMENT.test(first) || KEYWORDS.has(first)) {
      w = w.slice(1);
      continue;
    }
    if (first === "env") {
      let k = 1;
      while (k < w.length && (ASSIGNMENT.test(w[k] as string) || (w[k] as string).startsWith("-"))) k += /^-[uCS]$/.test(w[k] as string) ? 2 : 1;
      w = w.slice(k);
      continue;
    }
    if (first === "sudo" || first === "nohup" || first === "exec" || first === "command" || first === "builtin" || first === "time" || first === "nice" || first === "stdbuf" || first === "xargs") {
      let k = 1;
      while (k < w.length && (w[k] as string).startsWith("-")) {
        // options with a separate value
        if (first === "xargs" && /^-[IdLnPs]$/.test(w[k] as string)) k++;
        if (first === "sudo" && /^-[ugC]$/.test(w[k] as string)) k++;
        if (first === "nice" && w[k] === "-n") k++;
        k++;
      }
      w = w.slice(k);
      continue;
    }
    if (first === "timeout") {
      let k = 1;
      while (k < w.length && (w[k] as string).startsWith("-")) k += /^-[sk]$/.test(w[k] as string) ? 2 : 1;
      w = w.slice(k + 1); // the duration
      continue;
    }
    break;
  }
  return w;
}

function basenameOf(program: string): string {
  const slash = program.lastIndexOf("/");
  return slash >= 0 && !program.startsWith("./") ? program.slice(slash + 1) : program;
}

// Parses a command line into its simple commands, in order. `bash -c 'x'` / `sh -c "x"` become the commands of x.
export function parseShell(text: string, depth = 0): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let redirects: Redirect[] = [];
  const flush = (): void => {
    if (words.length > 0 || redirects.length > 0) {
      const stripped = stripWrappers(words);
      const program = stripped[0] ?? "";
      const name = basenameOf(program);
      if ((name === "bash" || name === "sh" || name === "zsh" || name === "dash") && depth < MAX_DEPTH) {
        const c = stripped.findIndex((a, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(a));
        if (c > 0 && stripped[c + 1] !== undefined) {
          out.push(...parseShell(stripped[c + 1] as string, depth + 1));
          words = [];
          redirects = [];
          return;
        }
      }
      out.push({ program: name, args: stripped.slice(1), redirects, text: stripped.join(" ") });
    }
    words = [];
    redirects = [];
  };
  for (const t of tokenize(text)) {
    if (t.kind === "op") {
      if (SEPARATORS.has(t.value)) flush();
    } else if (t.kind === "redirect") {
      redirects.push(t.body === undefined ? { op: t.op, target: t.target } : { op: t.op, target: t.target, body: t.body });
    } else {
      words.push(t.value);
    }
  }
  flush();
  return out.filter((c) => c.program !== "" || c.redirects.length > 0);
}
