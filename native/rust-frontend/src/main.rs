// hgym's Rust front end: "does this file parse" and "do two versions of a file differ only in comments, doc
// comments included" decided by syn, the parser of Rust's grammar the ecosystem uses (it is not rustc itself:
// rustc's parser is not callable on stable Rust), on rustc's own token rules (proc-macro2's lexer), plus the few
// checks rustc's parser makes that syn does not (see extra_rustc_errors).
//
// Protocol (src/lang/frontend/rust.ts): one JSON request per line on stdin, one JSON answer per line on stdout,
// matched by "id":
//   {"op":"version"}                         -> {"version":"..."}
//   {"op":"check","src":TEXT}                -> {"ok":true} | {"ok":false,"line":N,"message":"..."}
//   {"op":"compare","before":T,"after":T}    -> {"equal":true} | {"equal":false,"line":N,"reason":"..."}
//                                               | {"error":"start-does-not-parse"|"parse-error","line":N,"message":"..."}
//   {"op":"parseOnly","paths":[...]}         -> {"files":N,"bytes":N,"failed":N,"seconds":S}  (benchmark: parse time
//                                               only, the files are read before the clock starts)
// An internal failure answers {"fatal":"..."}.

mod compare;
mod json;

use std::io::{BufRead, Write};
use std::time::Instant;

use json::{quote, Value};

// proc-macro2 keeps every parsed text in a process-wide source map (that is how spans know their lines), so a
// long-lived helper grows with what it has parsed. Past this many bytes it exits after answering; the client
// starts a fresh one on the next request.
const RESTART_AFTER_BYTES: usize = 512 * 1024 * 1024;

fn answer(id: &str, body: &str) -> String {
    if body.is_empty() {
        format!("{{\"id\":{}}}", id)
    } else {
        format!("{{\"id\":{},{}}}", id, body)
    }
}

fn field<'a>(req: &'a Value, key: &str) -> Result<&'a str, String> {
    req.get(key).and_then(Value::as_str).ok_or_else(|| format!("the request has no string field {:?}", key))
}

fn handle(req: &Value, parsed_bytes: &mut usize) -> Result<String, String> {
    let op = field(req, "op")?;
    match op {
        "version" => Ok(format!("\"version\":{}", quote(compare::PARSER_NAME))),
        "check" => {
            let src = field(req, "src")?;
            *parsed_bytes += src.len();
            Ok(match compare::check(src) {
                Ok(()) => "\"ok\":true".to_string(),
                Err(e) => format!("\"ok\":false,\"line\":{},\"message\":{}", e.line, quote(&e.message)),
            })
        }
        "compare" => {
            let before = field(req, "before")?;
            let after = field(req, "after")?;
            *parsed_bytes += before.len() + after.len();
            Ok(match compare::compare(before, after) {
                compare::Verdict::Equal => "\"equal\":true".to_string(),
                compare::Verdict::Different { line, reason } => format!("\"equal\":false,\"line\":{},\"reason\":{}", line, quote(&reason)),
                compare::Verdict::StartError(e) => format!("\"error\":\"start-does-not-parse\",\"line\":{},\"message\":{}", e.line, quote(&e.message)),
                compare::Verdict::ParseError(e) => format!("\"error\":\"parse-error\",\"line\":{},\"message\":{}", e.line, quote(&e.message)),
            })
        }
        "parseOnly" => {
            let paths = match req.get("paths") {
                Some(Value::Array(items)) => items.iter().map(|v| v.as_str().map(str::to_string).ok_or("paths must be strings")).collect::<Result<Vec<_>, _>>()?,
                _ => return Err("the request has no array field \"paths\"".into()),
            };
            let mut texts = Vec::with_capacity(paths.len());
            for p in &paths {
                texts.push(std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {}", p, e))?);
            }
            let bytes: usize = texts.iter().map(String::len).sum();
            *parsed_bytes += bytes;
            let start = Instant::now();
            let failed = texts.iter().filter(|t| syn::parse_file(t).is_err()).count();
            let seconds = start.elapsed().as_secs_f64();
            Ok(format!("\"files\":{},\"bytes\":{},\"failed\":{},\"seconds\":{}", texts.len(), bytes, failed, seconds))
        }
        other => Err(format!("unknown op {:?}", other)),
    }
}

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut parsed_bytes = 0usize;
    for line in stdin.lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(_) => break,
        };
        if line.trim().is_empty() {
            continue;
        }
        let (id, out) = match json::parse(&line) {
            Ok(req) => {
                let id = match req.get("id") {
                    Some(Value::Number(n)) => format!("{}", *n as i64),
                    _ => "null".to_string(),
                };
                // A panic inside syn on some input must not take the helper down with requests in flight.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(&req, &mut parsed_bytes)));
                let body = match result {
                    Ok(Ok(body)) => body,
                    Ok(Err(msg)) => format!("\"fatal\":{}", quote(&msg)),
                    Err(_) => "\"fatal\":\"the Rust front end panicked on this input\"".to_string(),
                };
                (id, body)
            }
            Err(msg) => ("null".to_string(), format!("\"fatal\":{}", quote(&format!("bad request: {}", msg)))),
        };
        let mut handle = stdout.lock();
        if writeln!(handle, "{}", answer(&id, &out)).and_then(|_| handle.flush()).is_err() {
            break;
        }
        if parsed_bytes > RESTART_AFTER_BYTES {
            break;
        }
    }
}
