// The little JSON this helper needs (requests are one object per line, written by src/lang/frontend/rust.ts):
// Debian packages no serde_json, and the helper must build offline from Debian's crates only.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(map) => map.get(key),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

pub fn parse(text: &str) -> Result<Value, String> {
    let mut p = Parser { chars: text.chars().collect(), pos: 0 };
    let v = p.value()?;
    p.ws();
    if p.pos != p.chars.len() {
        return Err("trailing characters after the JSON value".into());
    }
    Ok(v)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn ws(&mut self) {
        while self.pos < self.chars.len() && matches!(self.chars[self.pos], ' ' | '\t' | '\n' | '\r') {
            self.pos += 1;
        }
    }
    fn next(&mut self) -> Result<char, String> {
        let c = *self.chars.get(self.pos).ok_or("unexpected end of JSON")?;
        self.pos += 1;
        Ok(c)
    }
    fn expect_word(&mut self, word: &str, v: Value) -> Result<Value, String> {
        for w in word.chars() {
            if self.next()? != w {
                return Err(format!("bad JSON literal (expected {})", word));
            }
        }
        Ok(v)
    }
    fn value(&mut self) -> Result<Value, String> {
        self.ws();
        match self.chars.get(self.pos).copied().ok_or("unexpected end of JSON")? {
            '{' => {
                self.pos += 1;
                let mut map = BTreeMap::new();
                self.ws();
                if self.chars.get(self.pos) == Some(&'}') {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                loop {
                    self.ws();
                    if self.next()? != '"' {
                        return Err("expected a string key".into());
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.next()? != ':' {
                        return Err("expected ':'".into());
                    }
                    let v = self.value()?;
                    map.insert(key, v);
                    self.ws();
                    match self.next()? {
                        ',' => continue,
                        '}' => return Ok(Value::Object(map)),
                        _ => return Err("expected ',' or '}'".into()),
                    }
                }
            }
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.chars.get(self.pos) == Some(&']') {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    self.ws();
                    match self.next()? {
                        ',' => continue,
                        ']' => return Ok(Value::Array(items)),
                        _ => return Err("expected ',' or ']'".into()),
                    }
                }
            }
            '"' => {
                self.pos += 1;
                Ok(Value::Str(self.string()?))
            }
            't' => self.expect_word("true", Value::Bool(true)),
            'f' => self.expect_word("false", Value::Bool(false)),
            'n' => self.expect_word("null", Value::Null),
            _ => {
                let start = self.pos;
                while self.pos < self.chars.len() && matches!(self.chars[self.pos], '-' | '+' | '.' | 'e' | 'E' | '0'..='9') {
                    self.pos += 1;
                }
                let s: String = self.chars[start..self.pos].iter().collect();
                s.parse::<f64>().map(Value::Number).map_err(|_| format!("bad JSON number {:?}", s))
            }
        }
    }
    fn hex4(&mut self) -> Result<u32, String> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = self.next()?.to_digit(16).ok_or("bad \\u escape")?;
            n = n * 16 + d;
        }
        Ok(n)
    }
    // After the opening quote. A lone surrogate (which JavaScript strings may hold) is not text Rust can parse: it
    // is refused, and the client reports the file as not UTF-8.
    fn string(&mut self) -> Result<String, String> {
        let mut out = String::new();
        loop {
            match self.next()? {
                '"' => return Ok(out),
                '\\' => match self.next()? {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hi = self.hex4()?;
                        let code = if (0xD800..0xDC00).contains(&hi) {
                            if self.next()? != '\\' || self.next()? != 'u' {
                                return Err("lone surrogate in a string (not UTF-8)".into());
                            }
                            let lo = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return Err("lone surrogate in a string (not UTF-8)".into());
                            }
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else if (0xDC00..0xE000).contains(&hi) {
                            return Err("lone surrogate in a string (not UTF-8)".into());
                        } else {
                            hi
                        };
                        out.push(char::from_u32(code).ok_or("bad \\u escape")?);
                    }
                    c => return Err(format!("bad escape \\{}", c)),
                },
                c => out.push(c),
            }
        }
    }
}

pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
