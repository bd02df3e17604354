// What the task families need to know about a language beyond its syntax tree: how a comment and a doc comment
// are written, what a removed body becomes, which statement is a harmless code change, the file extension of a
// new file. Plain data (no parser, no grammar) so instructions, hacks and the CLI can read it cheaply. A new
// language = one entry here + one adapter (registry.ts) + its grammar (parser.ts) + its front end
// (frontend/index.ts) + its resolver, if an exact one exists (resolve/index.ts).

import type { LanguageId } from "./types.js";

export interface LanguageProfile {
  id: LanguageId;
  displayName: string; // "Python", "Go": what instructions call the language
  lineComment: "#" | "//";
  // "indent": a body is the indented block after `:` (Python); "braces": a `{ ... }` block.
  bodyStyle: "indent" | "braces";
  // Where documentation lives: a string literal first in the body (Python), or a comment block directly above
  // the definition in the language's doc convention.
  docConvention: string; // said in the func-localize instruction
  docLine(text: string): string; // one doc-comment line (or docstring) holding `text`, without indentation
  bodyPlaceholder: string; // the statement that replaces a removed body and still compiles
  notImplemented: string; // a statement that fails at run time: the "raise NotImplementedError" hack
  // One top-level line of code that always parses and always changes the syntax tree (appended to a file).
  probeLine: string;
  newFileExtension: string; // for hacks that add a file in this language
  // Parameter text (one parameter of a signature) → its name, or null.
  parameterName(param: string): string | null;
  // `return <receiver>.<name>(<args>)`: the body of a function that only calls itself.
  selfCall(name: string, params: string[], receiver: string | null): string;
}

const ES_PARAM = /^(?:(?:public|private|protected|readonly)\s+)*(\.\.\.)?([A-Za-z_$][\w$]*)/;
const blockDoc = (text: string) => `/** ${text.replace(/\*\//g, "* /")} */`;

const python: LanguageProfile = {
  id: "python",
  displayName: "Python",
  lineComment: "#",
  bodyStyle: "indent",
  docConvention: "a string literal (triple-quoted) as the first statement of its body",
  docLine: (text) => `"""${text.replace(/"""/g, "'''")}"""`,
  bodyPlaceholder: "pass  # TODO: Implement this function",
  notImplemented: 'raise NotImplementedError("not implemented")',
  probeLine: "_hgym_probe = 0",
  newFileExtension: ".py",
  parameterName(param) {
    const m = /^(\*{0,2})([A-Za-z_]\w*)/.exec(param);
    return m ? `${m[1] ?? ""}${m[2]}` : null;
  },
  selfCall: (name, params, receiver) => `return ${receiver !== null ? `${receiver}.` : ""}${name}(${params.join(", ")})`,
};

function ecmascript(id: LanguageId, displayName: string, newFileExtension: string): LanguageProfile {
  return {
    id,
    displayName,
    lineComment: "//",
    bodyStyle: "braces",
    docConvention: "a /** ... */ JSDoc comment on the lines directly above it",
    docLine: blockDoc,
    bodyPlaceholder: 'throw new Error("TODO: implement");',
    notImplemented: 'throw new Error("not implemented");',
    probeLine: "void 0;",
    newFileExtension,
    parameterName(param) {
      const m = ES_PARAM.exec(param);
      return m ? `${m[1] ?? ""}${m[2]}` : null;
    },
    selfCall: (name, params, receiver) => `return ${receiver !== null ? `${receiver}.` : ""}${name}(${params.join(", ")});`,
  };
}

const go: LanguageProfile = {
  id: "go",
  displayName: "Go",
  lineComment: "//",
  bodyStyle: "braces",
  docConvention: "// line comments directly above it, starting with its name, as gofmt and go doc expect",
  docLine: (text) => `// ${text}`,
  bodyPlaceholder: 'panic("TODO: implement")',
  notImplemented: 'panic("not implemented")',
  probeLine: "var _ = 0",
  newFileExtension: ".go",
  // Go parameters are `name Type` (or `name ...Type`, or a bare type in an unnamed list).
  parameterName(param) {
    const m = /^([A-Za-z_]\w*)\s+\S/.exec(param);
    return m ? (m[1] as string) : null;
  },
  selfCall: (name, params, receiver) => `return ${receiver !== null ? `${receiver}.` : ""}${name}(${params.join(", ")})`,
};

const java: LanguageProfile = {
  id: "java",
  displayName: "Java",
  lineComment: "//",
  bodyStyle: "braces",
  // javac attaches a Javadoc only where the declaration starts: above its annotations, never between them and it.
  docConvention: "a /** ... */ Javadoc comment on the lines directly above it (above its annotations, if any)",
  docLine: blockDoc,
  bodyPlaceholder: 'throw new UnsupportedOperationException("TODO: implement");',
  notImplemented: 'throw new RuntimeException("not implemented");',
  probeLine: "class HgymProbe {}",
  newFileExtension: ".java",
  // `final @Ann Type name` / `Type... name`: the name is the last identifier.
  parameterName(param) {
    const m = /([A-Za-z_$][\w$]*)\s*(?:\[\s*\])*\s*$/.exec(param.trim());
    return m ? (m[1] as string) : null;
  },
  selfCall: (name, params, receiver) => `return ${receiver !== null ? `${receiver}.` : ""}${name}(${params.join(", ")});`,
};

const rust: LanguageProfile = {
  id: "rust",
  displayName: "Rust",
  lineComment: "//",
  bodyStyle: "braces",
  docConvention: "/// doc comments on the lines directly above it",
  docLine: (text) => `/// ${text}`,
  bodyPlaceholder: "todo!()",
  notImplemented: 'unimplemented!("not implemented")',
  probeLine: "const _: () = ();",
  newFileExtension: ".rs",
  // `mut name: Type`, `&self`, `self: Box<Self>`: patterns other than a plain name give no name.
  parameterName(param) {
    const p = param.trim();
    if (/^&?\s*(?:'\w+\s+)?(?:mut\s+)?self\b/.test(p)) return null;
    const m = /^(?:mut\s+)?([A-Za-z_]\w*)\s*:/.exec(p);
    return m ? (m[1] as string) : null;
  },
  selfCall: (name, params, receiver) => `${receiver !== null ? `${receiver}.` : ""}${name}(${params.join(", ")})`,
};

const PROFILES: Record<LanguageId, LanguageProfile> = {
  python,
  typescript: ecmascript("typescript", "TypeScript", ".ts"),
  tsx: ecmascript("tsx", "TypeScript", ".tsx"),
  javascript: ecmascript("javascript", "JavaScript", ".js"),
  go,
  java,
  rust,
};

export function languageProfile(language: LanguageId): LanguageProfile {
  return PROFILES[language];
}

// TypeScript, TSX and JavaScript: one compiler judges them and they share ECMAScript's rules (hoisted function
// declarations, U+2028/U+2029 as line terminators).
export function isEcmascript(language: LanguageId): boolean {
  return language === "typescript" || language === "tsx" || language === "javascript";
}
