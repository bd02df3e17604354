// Parse checks and the comments-only comparison.
//
// Texts are first read the way rustc loads a source file: "\r\n" becomes "\n" (rustc_span's normalize_newlines),
// a leading byte-order mark is dropped, and a first line "#!..." that is not the start of an inner attribute
// (`#![...]`) is a shebang (syn::parse_file strips both, and so does rustc).
//
// Two versions are "comments only" apart when their token streams are equal once doc comments are dropped.
// proc-macro2 (like rustc) turns `/// x`, `//! x`, `/** x */`, `/*! x */` into `#[doc = " x"]` / `#![doc = ...]`
// tokens; those are comments for the reward, but an attribute written as code, `#[doc = "x"]` or `#[doc(hidden)]`,
// is code. The two are told apart by the source text at the `#` token's position: a sugared doc comment's tokens
// all carry the span of the comment, which starts with `/`. Inside a macro invocation's token tree (`m!(..)`,
// `m!{..}`, `macro_rules! m {..}`) a doc comment is a token the macro receives (`stringify!` shows it), so there it
// is code.

use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};
use std::str::FromStr;
use syn::visit::Visit;

pub const PARSER_NAME: &str = "syn";

pub struct ParseError {
    pub line: usize,
    pub message: String,
}

pub enum Verdict {
    Equal,
    Different { line: usize, reason: String },
    StartError(ParseError),
    ParseError(ParseError),
}

// The text rustc parses, plus the shebang line (compared as text) and what was cut off the front.
struct Source {
    shebang: Option<String>,
    body: String,      // what the tokens come from; line numbers are the file's own
    line_starts: Vec<usize>, // char offset of each line of `body`
    chars: Vec<char>,
}

fn load(text: &str) -> Source {
    let normalized = text.replace("\r\n", "\n");
    let mut content: &str = &normalized;
    if let Some(rest) = content.strip_prefix('\u{feff}') {
        content = rest;
    }
    let mut shebang = None;
    let mut body = content.to_string();
    // As syn::parse_file (and rustc_lexer::strip_shebang): `#!` not followed (after whitespace and comments) by `[`.
    if content.starts_with("#!") {
        let after = skip_trivia(&content[2..]);
        if !after.starts_with('[') {
            let end = content.find('\n').unwrap_or(content.len());
            shebang = Some(content[..end].to_string());
            // Keep the line count: the shebang line becomes an empty line.
            body = content[end..].to_string();
        }
    }
    let chars: Vec<char> = body.chars().collect();
    let mut line_starts = vec![0];
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            line_starts.push(i + 1);
        }
    }
    Source { shebang, body, line_starts, chars }
}

// Whitespace and non-doc comments, as rustc_lexer skips them when it looks for `[` after `#!`.
fn skip_trivia(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(rest) = t.strip_prefix("//") {
            if rest.starts_with('/') && !rest.starts_with("//") || rest.starts_with('!') {
                return t;
            }
            s = rest.find('\n').map(|i| &rest[i..]).unwrap_or("");
        } else if t.starts_with("/*") && !(t.starts_with("/**") && !t.starts_with("/**/") && !t.starts_with("/***")) && !t.starts_with("/*!") {
            match block_comment_end(t) {
                Some(end) => s = &t[end..],
                None => return t,
            }
        } else {
            return t;
        }
    }
}

// Byte length of a (nested) block comment at the start of `s`.
fn block_comment_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

impl Source {
    // The first character at a span's start: `/` for a token made from a doc comment.
    fn char_at(&self, span: Span) -> Option<char> {
        let lc = span.start();
        let start = *self.line_starts.get(lc.line.checked_sub(1)?)?;
        self.chars.get(start + lc.column).copied()
    }
    fn is_sugared_doc(&self, span: Span) -> bool {
        self.char_at(span) == Some('/')
    }
}

fn error_line(e: &syn::Error) -> usize {
    e.span().start().line.max(1)
}

fn parse(src: &Source) -> Result<syn::File, ParseError> {
    // proc-macro2's lexer rejects what rustc's does (a NUL or bare CR outside comments, a bare CR in a doc
    // comment or string); syn then says only "lex error", without a position.
    let file = syn::parse_file(&src.body).map_err(|e| {
        let message = e.to_string();
        let message = if message == "lex error" { "lex error: a character, literal or comment rustc's lexer rejects (an unterminated literal or block comment, a bare CR, a NUL)".to_string() } else { message };
        ParseError { line: error_line(&e), message }
    })?;
    let mut extra = ExtraChecks { src, first: None };
    extra.visit_file(&file);
    if let Some(e) = extra.first {
        return Err(e);
    }
    Ok(file)
}

// Checks rustc's parser makes that syn does not.
struct ExtraChecks<'a> {
    src: &'a Source,
    first: Option<ParseError>,
}

impl<'a> ExtraChecks<'a> {
    fn doc_on_parameter(&mut self, attrs: &[syn::Attribute]) {
        if self.first.is_some() {
            return;
        }
        for a in attrs {
            if a.path.is_ident("doc") && self.src.is_sugared_doc(a.pound_token.span) {
                self.first = Some(ParseError {
                    line: a.pound_token.span.start().line.max(1),
                    message: "documentation comments cannot be applied to function parameters (rustc rejects them)".into(),
                });
                return;
            }
        }
    }
}

impl<'a, 'ast> Visit<'ast> for ExtraChecks<'a> {
    fn visit_fn_arg(&mut self, arg: &'ast syn::FnArg) {
        match arg {
            syn::FnArg::Receiver(r) => self.doc_on_parameter(&r.attrs),
            syn::FnArg::Typed(t) => self.doc_on_parameter(&t.attrs),
        }
        syn::visit::visit_fn_arg(self, arg);
    }
    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        for p in &c.inputs {
            match p {
                syn::Pat::Ident(x) => self.doc_on_parameter(&x.attrs),
                syn::Pat::Type(x) => self.doc_on_parameter(&x.attrs),
                syn::Pat::Wild(x) => self.doc_on_parameter(&x.attrs),
                syn::Pat::Tuple(x) => self.doc_on_parameter(&x.attrs),
                syn::Pat::Reference(x) => self.doc_on_parameter(&x.attrs),
                _ => {}
            }
        }
        syn::visit::visit_expr_closure(self, c);
    }
}

pub fn check(text: &str) -> Result<(), ParseError> {
    parse(&load(text)).map(|_| ())
}

#[derive(PartialEq, Debug)]
enum Tok {
    Open(char),
    Close(char),
    Ident(String),
    Punct(char, bool),
    Literal(String),
}

struct Item {
    tok: Tok,
    line: usize,
}

fn delimiter_chars(d: Delimiter) -> (char, char) {
    match d {
        Delimiter::Parenthesis => ('(', ')'),
        Delimiter::Brace => ('{', '}'),
        Delimiter::Bracket => ('[', ']'),
        Delimiter::None => ('∅', '∅'),
    }
}

// The token stream as a flat list, doc comments outside macro token trees left out.
fn flatten(ts: TokenStream, src: &Source, in_macro: bool, out: &mut Vec<Item>) {
    let trees: Vec<TokenTree> = ts.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        let tt = &trees[i];
        let line = tt.span().start().line;
        match tt {
            TokenTree::Punct(p) if p.as_char() == '#' && !in_macro && src.is_sugared_doc(p.span()) => {
                i += 1;
                if let Some(TokenTree::Punct(bang)) = trees.get(i) {
                    if bang.as_char() == '!' && src.is_sugared_doc(bang.span()) {
                        i += 1;
                    }
                }
                if let Some(TokenTree::Group(_)) = trees.get(i) {
                    i += 1;
                }
                continue;
            }
            TokenTree::Group(g) => {
                let (open, close) = delimiter_chars(g.delimiter());
                out.push(Item { tok: Tok::Open(open), line });
                let macro_tree = in_macro || is_macro_tree(&trees, i);
                flatten(g.stream(), src, macro_tree, out);
                out.push(Item { tok: Tok::Close(close), line: g.span().end().line });
            }
            TokenTree::Ident(id) => out.push(Item { tok: Tok::Ident(id.to_string()), line }),
            TokenTree::Punct(p) => out.push(Item { tok: Tok::Punct(p.as_char(), p.spacing() == Spacing::Joint), line }),
            TokenTree::Literal(l) => out.push(Item { tok: Tok::Literal(l.to_string()), line }),
        }
        i += 1;
    }
}

// `name!( .. )` or `macro_rules! name { .. }`: the group at `i` is a macro's token tree. (`return !(x)` also
// matches; treating that group as a macro tree only makes doc comments inside it count as code, which there
// cannot parse anyway.)
fn is_macro_tree(trees: &[TokenTree], i: usize) -> bool {
    let bang = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == '!');
    let ident = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Ident(_)));
    let prev = |k: usize| if i >= k { trees.get(i - k) } else { None };
    (bang(prev(1)) && ident(prev(2))) || (ident(prev(1)) && bang(prev(2)) && ident(prev(3)))
}

fn describe(t: Option<&Item>) -> String {
    match t.map(|x| &x.tok) {
        None => "the end of the file".into(),
        Some(Tok::Open(c)) | Some(Tok::Close(c)) => format!("`{}`", c),
        Some(Tok::Ident(s)) | Some(Tok::Literal(s)) => {
            let short: String = s.chars().take(40).collect();
            format!("`{}`", short)
        }
        Some(Tok::Punct(c, _)) => format!("`{}`", c),
    }
}

pub fn compare(before: &str, after: &str) -> Verdict {
    let b = load(before);
    if let Err(e) = parse(&b) {
        return Verdict::StartError(e);
    }
    let a = load(after);
    if let Err(e) = parse(&a) {
        return Verdict::ParseError(e);
    }
    if b.shebang != a.shebang {
        return Verdict::Different { line: 1, reason: "the #! line changed".into() };
    }
    let mut bt = Vec::new();
    let mut at = Vec::new();
    // Both parsed, so both lex.
    flatten(TokenStream::from_str(&b.body).expect("parsed text lexes"), &b, false, &mut bt);
    flatten(TokenStream::from_str(&a.body).expect("parsed text lexes"), &a, false, &mut at);
    for i in 0..bt.len().max(at.len()) {
        let x = bt.get(i);
        let y = at.get(i);
        if x.map(|t| &t.tok) != y.map(|t| &t.tok) {
            let line = y.or(x).map(|t| t.line).unwrap_or(1).max(1);
            let reason = match (x, y) {
                (Some(Item { tok: Tok::Punct(c1, _), .. }), Some(Item { tok: Tok::Punct(c2, _), .. })) if c1 == c2 => format!("the spacing around `{}` changed (a comment between two joined symbols splits them)", c1),
                _ => format!("code differs: {} became {}", describe(x), describe(y)),
            };
            return Verdict::Different { line, reason };
        }
    }
    Verdict::Equal
}
