// The Go front end of hgym: Go's own parser and scanner (go/parser, go/scanner: what gofmt -e and go vet read)
// judge "does this file parse" and "do these two versions differ only in comments". One request per line on
// stdin, one answer per line on stdout, matched by id (src/lang/frontend/go.ts is the client):
//
//	{"id":1,"op":"version"}                                   -> {"id":1,"version":"go1.19.8"}
//	{"id":2,"op":"check","path":"a.go","src":"..."}           -> {"id":2,"ok":true} | {"id":2,"ok":false,"line":3,"message":"..."}
//	{"id":3,"op":"compare","path":"a.go","before":"...","after":"..."}
//	    -> {"id":3,"equal":true} | {"id":3,"equal":false,"line":7,"reason":"..."}
//	     | {"id":3,"error":"start-does-not-parse"|"parse-error","line":1,"message":"..."}
//	{"id":4,"op":"parseOnly","paths":["/x/a.go",...]} or {"texts":["...",...]}
//	    -> {"id":4,"files":2,"bytes":12345,"seconds":0.0012,"errors":0}
//	{"id":5,"op":"docs","path":"a.go","src":"..."}
//	    -> {"id":5,"docs":[{"name":"T.M","line":12,"doc":"M does ..."|null},...]}: the doc comments go/ast attaches
//	       to top-level functions, methods and types (CommentGroup.Text), to check the index against
//
// "Only comments changed" = the token streams the scanner produces without comments are equal, automatic
// semicolons included (a /* */ comment holding a newline, or a // comment, ends a line and may insert one), with
// string and rune literals compared by value (the scanner already drops carriage returns from raw strings) and
// every other token by its text. Comments that are code are tokens too: directives (//go:build, //go:generate,
// //go:linkname, //line, //export, //extern, `// +build` constraints) and the cgo preamble (the comment directly
// above `import "C"`, which is C source).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

type request struct {
	ID     int64    `json:"id"`
	Op     string   `json:"op"`
	Path   string   `json:"path"`
	Src    *string  `json:"src"`
	Before *string  `json:"before"`
	After  *string  `json:"after"`
	Paths  []string `json:"paths"`
	Texts  []string `json:"texts"`
}

const parseMode = parser.ParseComments | parser.SkipObjectResolution

// lineAt is the 1-based line of byte offset `off` in src, counted on the raw bytes: positions from the parser are
// adjusted by //line directives, which would let a file lie about where its error is.
func lineAt(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(src[:off], []byte("\n")) + 1
}

// parseErr is go/parser's first error on the exact bytes (scanner errors such as NUL bytes, invalid UTF-8 and a
// byte order mark after the start are parser errors too), or nil.
func parseFile(path string, src []byte) (*ast.File, *token.FileSet, map[string]any) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parseMode)
	if err == nil {
		return f, fset, nil
	}
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		e := list[0]
		return nil, nil, map[string]any{"line": lineAt(src, e.Pos.Offset), "message": e.Msg}
	}
	return nil, nil, map[string]any{"line": 1, "message": err.Error()}
}

// isDirective is go/ast's rule (Go 1.19) on the text after "//", plus `+build` constraint lines.
func isDirective(comment string) bool {
	if strings.HasPrefix(comment, "/*") {
		return strings.HasPrefix(comment, "/*line ")
	}
	c := strings.TrimPrefix(comment, "//")
	if strings.HasPrefix(strings.TrimLeft(c, " \t"), "+build") {
		return true
	}
	if strings.HasPrefix(c, "line ") || strings.HasPrefix(c, "extern ") || strings.HasPrefix(c, "export ") {
		return true
	}
	colon := strings.Index(c, ":")
	if colon <= 0 || colon+1 >= len(c) {
		return false
	}
	for i := 0; i <= colon+1; i++ {
		if i == colon {
			continue
		}
		b := c[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9') {
			return false
		}
	}
	return true
}

// codeComments are the byte offsets of comments that are code: the cgo preamble (as cmd/cgo finds it: the import
// spec's doc, or the declaration's doc when it holds only that spec).
func codeComments(f *ast.File, fset *token.FileSet) map[int]bool {
	out := map[int]bool{}
	for _, decl := range f.Decls {
		d, ok := decl.(*ast.GenDecl)
		if !ok || d.Tok != token.IMPORT {
			continue
		}
		for _, spec := range d.Specs {
			s, ok := spec.(*ast.ImportSpec)
			if !ok || s.Path == nil || s.Path.Value != `"C"` {
				continue
			}
			cg := s.Doc
			if cg == nil && len(d.Specs) == 1 {
				cg = d.Doc
			}
			if cg == nil {
				continue
			}
			for _, c := range cg.List {
				out[fset.Position(c.Slash).Offset] = true
			}
		}
	}
	return out
}

type tok struct {
	tok    token.Token
	value  string // literal value (strings and runes cooked), the text otherwise
	offset int
}

// tokens is the file as the parser reads it: every token with automatic semicolons (their text is not kept:
// `;` and a newline are the same semicolon), comments only when they are code.
func tokens(src []byte, code map[int]bool) []tok {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	out := make([]tok, 0, len(src)/4)
	for {
		pos, t, lit := s.Scan()
		off := file.Offset(pos)
		switch t {
		case token.EOF:
			out = append(out, tok{t, "", off})
			return out
		case token.COMMENT:
			if code[off] || isDirective(lit) {
				out = append(out, tok{t, lit, off})
			}
			continue
		case token.SEMICOLON:
			out = append(out, tok{t, "", off})
			continue
		case token.STRING, token.CHAR:
			if v, err := strconv.Unquote(lit); err == nil {
				out = append(out, tok{t, v, off})
				continue
			}
		}
		if lit == "" {
			lit = t.String()
		}
		out = append(out, tok{t, lit, off})
	}
}

func describe(t tok) string {
	switch t.tok {
	case token.EOF:
		return "the end of the file"
	case token.SEMICOLON:
		return "a semicolon (or a line end the language reads as one)"
	case token.COMMENT:
		return fmt.Sprintf("the comment %q (a directive or cgo preamble: code)", clip(t.value))
	}
	return fmt.Sprintf("%q", clip(t.value))
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func compare(path string, before, after []byte) map[string]any {
	fb, fsb, err := parseFile(path, before)
	if err != nil {
		err["error"] = "start-does-not-parse"
		return err
	}
	fa, fsa, err := parseFile(path, after)
	if err != nil {
		err["error"] = "parse-error"
		return err
	}
	tb := tokens(before, codeComments(fb, fsb))
	ta := tokens(after, codeComments(fa, fsa))
	n := len(tb)
	if len(ta) < n {
		n = len(ta)
	}
	for i := 0; i < n; i++ {
		b, a := tb[i], ta[i]
		if b.tok != a.tok || b.value != a.value {
			return map[string]any{"equal": false, "line": lineAt(after, a.offset), "reason": fmt.Sprintf("%s became %s", describe(b), describe(a))}
		}
	}
	if len(tb) != len(ta) {
		return map[string]any{"equal": false, "line": lineAt(after, len(after)), "reason": "the number of tokens differs"}
	}
	return map[string]any{"equal": true}
}

func parseOnly(req request) map[string]any {
	texts := make([][]byte, 0, len(req.Paths)+len(req.Texts))
	for _, p := range req.Paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return map[string]any{"fatal": err.Error()}
		}
		texts = append(texts, b)
	}
	for _, t := range req.Texts {
		texts = append(texts, []byte(t))
	}
	total, errors := 0, 0
	start := time.Now()
	for _, src := range texts {
		total += len(src)
		if _, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parseMode); err != nil {
			errors++
		}
	}
	return map[string]any{"files": len(texts), "bytes": total, "seconds": time.Since(start).Seconds(), "errors": errors}
}

// receiverType is the receiver's type name: `*T`, `T[K]`, `*T[K, V]` -> T.
func receiverType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

func docs(path string, src []byte) map[string]any {
	f, fset, err := parseFile(path, src)
	if err != nil {
		err["fatal"] = "does not parse: " + err["message"].(string)
		return err
	}
	out := []map[string]any{}
	add := func(name string, pos token.Pos, cg *ast.CommentGroup) {
		var doc any
		if cg != nil {
			if t := strings.TrimRight(cg.Text(), "\n"); t != "" {
				doc = t
			}
		}
		out = append(out, map[string]any{"name": name, "line": lineAt(src, fset.Position(pos).Offset), "doc": doc})
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				name = receiverType(d.Recv.List[0].Type) + "." + name
			}
			add(name, d.Name.Pos(), d.Doc)
		case *ast.GenDecl:
			if d.Tok != token.TYPE {
				continue
			}
			for _, spec := range d.Specs {
				s := spec.(*ast.TypeSpec)
				cg := s.Doc
				if cg == nil && !d.Lparen.IsValid() {
					cg = d.Doc
				}
				add(s.Name.Name, s.Name.Pos(), cg)
			}
		}
	}
	return map[string]any{"docs": out}
}

func text(field *string, name string) ([]byte, map[string]any) {
	if field == nil {
		return nil, map[string]any{"fatal": "missing " + name}
	}
	return []byte(*field), nil
}

func handle(req request) map[string]any {
	switch req.Op {
	case "version":
		return map[string]any{"version": runtime.Version()}
	case "check":
		src, bad := text(req.Src, "src")
		if bad != nil {
			return bad
		}
		if _, _, err := parseFile(req.Path, src); err != nil {
			err["ok"] = false
			return err
		}
		return map[string]any{"ok": true}
	case "compare":
		before, bad := text(req.Before, "before")
		if bad != nil {
			return bad
		}
		after, bad := text(req.After, "after")
		if bad != nil {
			return bad
		}
		return compare(req.Path, before, after)
	case "parseOnly":
		return parseOnly(req)
	case "docs":
		src, bad := text(req.Src, "src")
		if bad != nil {
			return bad
		}
		return docs(req.Path, src)
	}
	return map[string]any{"fatal": "unknown op " + strconv.Quote(req.Op)}
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var req request
			var answer map[string]any
			if jerr := json.Unmarshal(line, &req); jerr != nil {
				answer = map[string]any{"fatal": "bad request: " + jerr.Error()}
			} else if !utf8.Valid(line) {
				answer = map[string]any{"fatal": "request is not UTF-8"}
			} else {
				answer = handle(req)
			}
			answer["id"] = req.ID
			if eerr := enc.Encode(answer); eerr != nil {
				os.Exit(1)
			}
			if out.Flush() != nil {
				os.Exit(1)
			}
		}
		if err != nil {
			return
		}
	}
}
