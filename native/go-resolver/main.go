// go-resolver answers dep-search's question "which declaration runs when this call executes?" for one Go
// repository with go/types, reading JSON lines on stdin and writing one JSON answer per line on stdout:
//
//	{"id":1,"op":"resolve","requests":[{"file":"pkg/a.go","line":3,"column":8}]}
//	{"id":1,"results":[{"status":"resolved","targets":[{"file":"pkg/b.go","line":9,"column":5,"inRepo":true}]}]}
//
// Columns are 0-based UTF-16 code units (the code index's coordinates), lines 1-based. The repository root is the
// only argument. Packages are directories; import paths come from the go.mod files (a repository without one at
// its root maps an import path to the directory of the same relative path). Packages of the repository are
// type-checked from source; the standard library comes from the toolchain's export data; any other import is a
// package that is not installed and becomes an empty package, so what is reached through it is external.
//
// Build constraints: every package is checked once per primary platform (linux/amd64, windows/amd64,
// darwin/arm64) that builds the calling file, and the answers must agree; an in-repository target must also be
// built on every platform (of `go tool dist list`, cgo on and off) that builds the calling file. Otherwise the
// binding is platform dependent and the answer is ambiguous.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type request struct {
	ID       json.RawMessage `json:"id"`
	Op       string          `json:"op"`
	Requests []position      `json:"requests"`
}

type position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	InRepo bool   `json:"inRepo"`
}

type result struct {
	Status  string     `json:"status"`
	Targets []location `json:"targets,omitempty"`
	Via     string     `json:"via,omitempty"`
	Kind    string     `json:"kind,omitempty"`
	Reason  string     `json:"reason,omitempty"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-resolver <repository root>")
		os.Exit(2)
	}
	root, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	r := newRepo(root)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<30)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintf(os.Stderr, "bad request line: %v\n", err)
			continue
		}
		answer := map[string]interface{}{"id": req.ID}
		switch req.Op {
		case "resolve":
			results := make([]result, len(req.Requests))
			for i, p := range req.Requests {
				results[i] = r.resolve(p)
			}
			answer["results"] = results
		case "version":
			answer["version"] = "go-resolver 1"
		default:
			answer["fatal"] = fmt.Sprintf("unknown op %q", req.Op)
		}
		if err := enc.Encode(answer); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out.Flush()
	}
}

// ---- platforms

type platform struct {
	goos, goarch string
	cgo          bool
}

func (p platform) String() string {
	c := ""
	if !p.cgo {
		c = " (cgo off)"
	}
	return p.goos + "/" + p.goarch + c
}

var primary = []platform{{"linux", "amd64", true}, {"windows", "amd64", true}, {"darwin", "arm64", true}}

// `go tool dist list` of Go 1.19; every one with cgo on and off.
var distList = strings.Fields("aix/ppc64 android/386 android/amd64 android/arm android/arm64 darwin/amd64 darwin/arm64 dragonfly/amd64 freebsd/386 freebsd/amd64 freebsd/arm freebsd/arm64 freebsd/riscv64 illumos/amd64 ios/amd64 ios/arm64 js/wasm linux/386 linux/amd64 linux/arm linux/arm64 linux/loong64 linux/mips linux/mips64 linux/mips64le linux/mipsle linux/ppc64 linux/ppc64le linux/riscv64 linux/s390x netbsd/386 netbsd/amd64 netbsd/arm netbsd/arm64 openbsd/386 openbsd/amd64 openbsd/arm openbsd/arm64 openbsd/mips64 plan9/386 plan9/amd64 plan9/arm solaris/amd64 windows/386 windows/amd64 windows/arm windows/arm64")

func allPlatforms() []platform {
	var ps []platform
	for _, d := range distList {
		parts := strings.SplitN(d, "/", 2)
		ps = append(ps, platform{parts[0], parts[1], true}, platform{parts[0], parts[1], false})
	}
	return ps
}

// ---- the repository

type sourceFile struct {
	rel      string // repository-relative, forward slashes
	text     []byte
	ast      *ast.File
	lines    []int // byte offset of each line start
	callOf   map[*ast.Ident]*ast.CallExpr
	idents   map[int]*ast.Ident  // byte offset -> identifier
	assigned map[*ast.Ident]bool // identifiers assigned (left of = or op=) or address-taken
	imports  map[string]bool     // import paths
}

type pkgKey struct {
	plat    platform
	dir     string // repository-relative directory ("." for the root)
	variant string // "base", "test" (with in-package tests), "xtest" (the _test package)
	name    string // the package clause's name ("" for the directory's most common one)
}

type checked struct {
	pkg     *types.Package
	info    *types.Info
	missing bool   // this package or a repository package it imports has an import that is not available
	broken  string // why the toolchain could not give a standard-library import, if it could not
}

type repo struct {
	root     string
	fset     *token.FileSet
	modules  map[string]string // repository-relative dir of a go.mod -> module path
	files    map[string]*sourceFile
	matchers map[platform]*build.Context
	matched  map[string]bool // platform + "|" + rel -> built
	std      types.Importer
	stdPkgs  map[string]*types.Package
	fakes    map[string]*types.Package
	pkgs     map[pkgKey]*checked
	busy     map[pkgKey]bool
	all      []platform
}

func newRepo(root string) *repo {
	r := &repo{
		root: root, fset: token.NewFileSet(), modules: map[string]string{}, files: map[string]*sourceFile{},
		matchers: map[platform]*build.Context{}, matched: map[string]bool{}, stdPkgs: map[string]*types.Package{},
		fakes: map[string]*types.Package{}, pkgs: map[pkgKey]*checked{}, busy: map[pkgKey]bool{}, all: allPlatforms(),
	}
	r.std = importer.ForCompiler(r.fset, "gc", nil)
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		name := info.Name()
		if info.IsDir() && p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		if !info.IsDir() && name == "go.mod" {
			if mod := modulePath(p); mod != "" {
				r.modules[r.relOf(filepath.Dir(p))] = mod
			}
		}
		return nil
	})
	return r
}

func modulePath(gomod string) string {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

func (r *repo) relOf(abs string) string {
	rel, err := filepath.Rel(r.root, abs)
	if err != nil {
		return abs
	}
	return filepath.ToSlash(rel)
}

// The repository directory holding an import path, or "" when the path is not the repository's.
func (r *repo) dirOf(importPath string) string {
	best, bestMod := "", ""
	for dir, mod := range r.modules {
		if (importPath == mod || strings.HasPrefix(importPath, mod+"/")) && len(mod) > len(bestMod) {
			best, bestMod = dir, mod
		}
	}
	if bestMod != "" {
		d := path.Join(best, strings.TrimPrefix(strings.TrimPrefix(importPath, bestMod), "/"))
		if r.hasGoFiles(d) {
			return d
		}
		return ""
	}
	if _, rootModule := r.modules["."]; !rootModule && r.hasGoFiles(importPath) {
		return path.Clean(importPath)
	}
	return ""
}

func (r *repo) hasGoFiles(dir string) bool {
	entries, err := os.ReadDir(filepath.Join(r.root, filepath.FromSlash(dir)))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			return true
		}
	}
	return false
}

func (r *repo) file(rel string) (*sourceFile, error) {
	if f, ok := r.files[rel]; ok {
		if f == nil {
			return nil, fmt.Errorf("%s cannot be read or parsed", rel)
		}
		return f, nil
	}
	r.files[rel] = nil
	abs := filepath.Join(r.root, filepath.FromSlash(rel))
	text, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseFile(r.fset, abs, text, parser.SkipObjectResolution)
	if f == nil {
		return nil, err
	}
	sf := &sourceFile{rel: rel, text: text, ast: f, callOf: map[*ast.Ident]*ast.CallExpr{}, idents: map[int]*ast.Ident{}, imports: map[string]bool{}, assigned: map[*ast.Ident]bool{}}
	sf.lines = []int{0}
	for i, b := range text {
		if b == '\n' {
			sf.lines = append(sf.lines, i+1)
		}
	}
	base := r.fset.File(f.Pos()).Base()
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			sf.idents[int(n.Pos())-base] = n
		case *ast.CallExpr:
			if id := calleeIdent(n.Fun); id != nil {
				sf.callOf[id] = n
			}
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := unparen(l).(*ast.Ident); ok {
						sf.assigned[id] = true
					}
				}
			}
		case *ast.UnaryExpr:
			if id, ok := unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				sf.assigned[id] = true
			}
		}
		return true
	})
	for _, imp := range f.Imports {
		sf.imports[strings.Trim(imp.Path.Value, "`\"")] = true
	}
	r.files[rel] = sf
	return sf, nil
}

func calleeIdent(fun ast.Expr) *ast.Ident {
	for {
		switch e := fun.(type) {
		case *ast.ParenExpr:
			fun = e.X
		case *ast.IndexExpr:
			fun = e.X
		case *ast.IndexListExpr:
			fun = e.X
		case *ast.Ident:
			return e
		case *ast.SelectorExpr:
			return e.Sel
		default:
			return nil
		}
	}
}

func (r *repo) builds(p platform, rel string) bool {
	key := p.String() + "|" + rel
	if v, ok := r.matched[key]; ok {
		return v
	}
	ctx := r.matchers[p]
	if ctx == nil {
		c := build.Default
		c.GOOS, c.GOARCH, c.CgoEnabled = p.goos, p.goarch, p.cgo
		ctx = &c
		r.matchers[p] = ctx
	}
	dir, name := path.Split(rel)
	ok, err := ctx.MatchFile(filepath.Join(r.root, filepath.FromSlash(dir)), name)
	v := err == nil && ok
	r.matched[key] = v
	return v
}

// The files of a package variant on a platform.
func (r *repo) packageFiles(k pkgKey, pkgName string) []*sourceFile {
	entries, _ := os.ReadDir(filepath.Join(r.root, filepath.FromSlash(k.dir)))
	var files []*sourceFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		rel := path.Join(k.dir, name)
		isTest := strings.HasSuffix(name, "_test.go")
		if (k.variant == "base" && isTest) || (k.variant == "xtest" && !isTest) || !r.builds(k.plat, rel) {
			continue
		}
		f, err := r.file(rel)
		if err != nil {
			continue
		}
		if pkgName != "" && f.ast.Name.Name != pkgName {
			continue
		}
		files = append(files, f)
	}
	return files
}

// The package name of a directory's non-test files on a platform (the most common one, ties by name).
func (r *repo) baseName(p platform, dir string) string {
	counts := map[string]int{}
	for _, f := range r.packageFiles(pkgKey{p, dir, "base", ""}, "") {
		counts[f.ast.Name.Name]++
	}
	best := ""
	for n, c := range counts {
		if best == "" || c > counts[best] || (c == counts[best] && n < best) {
			best = n
		}
	}
	return best
}

func (r *repo) importPathOf(dir string) string {
	best, bestMod := "", ""
	for d, mod := range r.modules {
		if (d == "." || dir == d || strings.HasPrefix(dir, d+"/")) && (bestMod == "" || len(d) > len(best)) {
			best, bestMod = d, mod
		}
	}
	if bestMod == "" {
		return dir
	}
	if best == "." {
		return path.Join(bestMod, dir)
	}
	return path.Join(bestMod, strings.TrimPrefix(dir, best))
}

func (r *repo) check(k pkgKey, pkgName string) *checked {
	k.name = pkgName
	if c, ok := r.pkgs[k]; ok {
		return c
	}
	if r.busy[k] {
		return nil // an import cycle
	}
	r.busy[k] = true
	defer delete(r.busy, k)
	files := r.packageFiles(k, pkgName)
	c := &checked{info: &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}}
	imp := &repoImporter{r: r, plat: k.plat, owner: c}
	conf := types.Config{Importer: imp, FakeImportC: true, Error: func(error) {}, GoVersion: "", Sizes: types.SizesFor("gc", k.plat.goarch)}
	asts := make([]*ast.File, len(files))
	for i, f := range files {
		asts[i] = f.ast
	}
	ipath := r.importPathOf(k.dir)
	if k.variant == "xtest" {
		ipath += "_test"
	}
	c.pkg, _ = conf.Check(ipath, r.fset, asts, c.info)
	r.pkgs[k] = c
	return c
}

type repoImporter struct {
	r     *repo
	plat  platform
	owner *checked
}

func (im *repoImporter) Import(p string) (*types.Package, error) {
	r := im.r
	if p == "unsafe" {
		return types.Unsafe, nil
	}
	if dir := r.dirOf(p); dir != "" {
		c := r.check(pkgKey{im.plat, dir, "base", ""}, r.baseName(im.plat, dir))
		if c != nil && c.pkg != nil {
			if c.missing {
				im.owner.missing = true
			}
			if c.broken != "" && im.owner.broken == "" {
				im.owner.broken = c.broken
			}
			return c.pkg, nil
		}
		return nil, fmt.Errorf("import cycle through %s", p)
	}
	if pkg, ok := r.stdPkgs[p]; ok {
		return pkg, nil
	}
	pkg, err := r.std.Import(p)
	if err == nil {
		r.stdPkgs[p] = pkg
		return pkg, nil
	}
	if !strings.Contains(strings.Split(p, "/")[0], ".") {
		// A standard-library path (no dot in its first element) the toolchain cannot give: a broken or foreign
		// toolchain, not a missing module. Never stand an empty package in for it (its calls would become external).
		im.owner.broken = fmt.Sprintf("the standard library package %q cannot be imported (%v)", p, err)
		return nil, err
	}
	im.owner.missing = true
	return r.fake(p), nil
}

// An empty, complete package standing for one that is not installed: everything reached through it is external.
func (r *repo) fake(p string) *types.Package {
	if pkg, ok := r.fakes[p]; ok {
		return pkg
	}
	parts := strings.Split(p, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && len(name) >= 2 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = parts[len(parts)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 {
		name = name[:i]
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "go-"), "go.")
	name = strings.TrimSuffix(strings.TrimSuffix(name, "-go"), ".go")
	name = strings.Map(func(c rune) rune {
		if c == '-' || c == '.' {
			return '_'
		}
		return c
	}, name)
	pkg := types.NewPackage(p, name)
	pkg.MarkComplete()
	r.fakes[p] = pkg
	return pkg
}

func (r *repo) isFake(p string) bool {
	_, ok := r.fakes[p]
	return ok
}

// ---- resolution

func (r *repo) resolve(p position) result {
	f, err := r.file(p.File)
	if err != nil {
		return result{Status: "unresolved", Reason: fmt.Sprintf("cannot read %s: %v", p.File, err)}
	}
	if p.Line < 1 || p.Line > len(f.lines) {
		return result{Status: "unresolved", Reason: fmt.Sprintf("%s has no line %d", p.File, p.Line)}
	}
	off := byteOffset(f, p.Line, p.Column)
	id := f.idents[off]
	if id == nil {
		return result{Status: "unresolved", Reason: fmt.Sprintf("no identifier at %s:%d:%d", p.File, p.Line, p.Column)}
	}
	dir := path.Dir(p.File)
	variant := "base"
	if strings.HasSuffix(p.File, "_test.go") {
		variant = "test"
		if strings.HasSuffix(f.ast.Name.Name, "_test") {
			variant = "xtest"
		}
	}
	var plats []platform
	for _, pl := range primary {
		if r.builds(pl, p.File) {
			plats = append(plats, pl)
		}
	}
	if len(plats) == 0 {
		for _, pl := range r.all {
			if r.builds(pl, p.File) {
				plats = append(plats, pl)
				break
			}
		}
	}
	if len(plats) == 0 {
		return result{Status: "ambiguous", Kind: "not-built", Reason: fmt.Sprintf("%s is excluded from every build (build constraints)", p.File)}
	}
	var first result
	var firstPlat platform
	for i, pl := range plats {
		c := r.check(pkgKey{pl, dir, variant, ""}, f.ast.Name.Name)
		var res result
		if c == nil || c.pkg == nil {
			res = result{Status: "unresolved", Reason: "package could not be checked"}
		} else if c.broken != "" {
			res = result{Status: "ambiguous", Kind: "toolchain-error", Reason: c.broken}
		} else {
			res = r.classify(c, f, id)
		}
		if i == 0 {
			first, firstPlat = res, pl
			continue
		}
		if !sameResult(first, res) {
			return result{Status: "ambiguous", Kind: "platform-dependent", Reason: fmt.Sprintf("`%s` at %s:%d means %s on %s but %s on %s", id.Name, p.File, p.Line, describe(first), firstPlat, describe(res), pl)}
		}
	}
	if first.Status == "resolved" {
		for _, t := range first.Targets {
			if !t.InRepo || t.File == p.File {
				continue
			}
			for _, pl := range r.all {
				if r.builds(pl, p.File) && !r.builds(pl, t.File) {
					return result{Status: "ambiguous", Kind: "platform-dependent", Reason: fmt.Sprintf("`%s` at %s:%d resolves to %s:%d, which is not built on %s where the call is", id.Name, p.File, p.Line, t.File, t.Line, pl)}
				}
			}
		}
	}
	return first
}

// Same answer: same status, kind, route and targets (reasons name the platform's types and may differ).
func sameResult(a, b result) bool {
	a.Reason, b.Reason = "", ""
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func describe(r result) string {
	switch r.Status {
	case "resolved":
		if len(r.Targets) > 0 {
			t := r.Targets[0]
			return fmt.Sprintf("%s:%d", t.File, t.Line)
		}
	case "ambiguous":
		return "ambiguous (" + r.Kind + ")"
	}
	return r.Status
}

func (r *repo) classify(c *checked, f *sourceFile, id *ast.Ident) result {
	obj := c.info.Uses[id]
	if obj == nil {
		obj = c.info.Defs[id]
	}
	switch o := obj.(type) {
	case *types.Builtin:
		return result{Status: "resolved", Via: "builtin", Targets: []location{{File: "<builtin>", Line: 1, Column: 0, InRepo: false}}}
	case *types.TypeName:
		// A conversion T(x) runs no code of T.
		return result{Status: "resolved", Via: "builtin", Targets: []location{{File: "<conversion>", Line: 1, Column: 0, InRepo: false}}}
	case *types.Func:
		fn := o.Origin()
		sig, _ := fn.Type().(*types.Signature)
		if sig != nil && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
			return result{Status: "ambiguous", Kind: "interface-method", Reason: fmt.Sprintf("`%s` is a method of the interface %s: the dynamic type decides what runs", id.Name, types.TypeString(sig.Recv().Type(), nil))}
		}
		return result{Status: "resolved", Targets: []location{r.locate(fn.Pos(), fn)}}
	case *types.Var:
		if loc, ok := r.boundFuncLit(c, f, o); ok {
			return result{Status: "resolved", Targets: []location{loc}}
		}
		return result{Status: "ambiguous", Kind: "func-value", Reason: fmt.Sprintf("`%s` is a variable, field or parameter of type %s: the function it holds decides what runs", id.Name, types.TypeString(o.Type(), nil))}
	case nil:
		return r.unresolved(c, f, id)
	default:
		return result{Status: "unresolved", Reason: fmt.Sprintf("`%s` is a %T, not a function", id.Name, obj)}
	}
}

// The callee name has no object: an attribute of a package that is not installed, of a value whose type comes
// from one, cgo's C, or a type error.
func (r *repo) unresolved(c *checked, f *sourceFile, id *ast.Ident) result {
	missingImport := false
	for p := range f.imports {
		if r.isFake(p) {
			missingImport = true
		}
	}
	call := f.callOf[id]
	var sel *ast.SelectorExpr
	if call != nil {
		fun := call.Fun
		for {
			if pe, ok := fun.(*ast.ParenExpr); ok {
				fun = pe.X
			} else if ie, ok := fun.(*ast.IndexExpr); ok {
				fun = ie.X
			} else if ie, ok := fun.(*ast.IndexListExpr); ok {
				fun = ie.X
			} else {
				break
			}
		}
		sel, _ = fun.(*ast.SelectorExpr)
	}
	external := func(why string) result {
		return result{Status: "resolved", Via: "non-repo-import", Targets: []location{{File: "<" + why + ">", Line: 1, Column: 0, InRepo: false}}}
	}
	if sel != nil && sel.Sel == id {
		if x, ok := sel.X.(*ast.Ident); ok {
			switch o := c.info.Uses[x].(type) {
			case *types.PkgName:
				ip := o.Imported().Path()
				if r.isFake(ip) {
					return external(ip)
				}
				if r.dirOf(ip) == "" {
					return external(ip) // a standard-library member this toolchain's export data lacks (another platform's API)
				}
				return result{Status: "ambiguous", Kind: "type-error", Reason: fmt.Sprintf("`%s.%s`: the repository package %s has no such member here", x.Name, id.Name, ip)}
			case nil:
				if x.Name == "C" && f.imports["C"] {
					return external("cgo")
				}
				if missingImport {
					return external("a package that is not installed")
				}
			}
		}
		if tv, ok := c.info.Types[sel.X]; !ok || lacksType(tv.Type) {
			if c.missing || missingImport || f.imports["C"] {
				return external("a value whose type comes from a package that is not installed")
			}
		}
		return result{Status: "ambiguous", Kind: "type-error", Reason: fmt.Sprintf("go/types cannot place `%s` at %s (a type error)", id.Name, f.rel)}
	}
	for _, imp := range f.ast.Imports {
		if imp.Name != nil && imp.Name.Name == "." && r.isFake(strings.Trim(imp.Path.Value, "`\"")) {
			return external("a dot-imported package that is not installed")
		}
	}
	return result{Status: "ambiguous", Kind: "type-error", Reason: fmt.Sprintf("go/types cannot place `%s` at %s (a type error)", id.Name, f.rel)}
}

func (r *repo) locate(pos token.Pos, fn *types.Func) location {
	if !pos.IsValid() {
		return location{File: "<universe>", Line: 1, Column: 0, InRepo: false}
	}
	tp := r.fset.Position(pos)
	abs := tp.Filename
	if strings.HasPrefix(abs, r.root+string(filepath.Separator)) {
		rel := r.relOf(abs)
		if sf, err := r.file(rel); err == nil && tp.Line >= 1 && tp.Line <= len(sf.lines) {
			return location{File: rel, Line: tp.Line, Column: utf16Column(sf, tp.Line, tp.Column-1), InRepo: true}
		}
		return location{File: rel, Line: tp.Line, Column: tp.Column - 1, InRepo: true}
	}
	return location{File: abs, Line: tp.Line, Column: tp.Column - 1, InRepo: false}
}

func byteOffset(f *sourceFile, line, col16 int) int {
	start := f.lines[line-1]
	end := len(f.text)
	if line < len(f.lines) {
		end = f.lines[line]
	}
	units := 0
	i := start
	for i < end && units < col16 {
		ch, size := utf8.DecodeRune(f.text[i:end])
		units += len(utf16.Encode([]rune{ch}))
		i += size
	}
	return i
}

func utf16Column(f *sourceFile, line, byteCol int) int {
	start := f.lines[line-1]
	s := f.text[start : start+byteCol]
	units := 0
	for len(s) > 0 {
		ch, size := utf8.DecodeRune(s)
		units += len(utf16.Encode([]rune{ch}))
		s = s[size:]
	}
	return units
}

// A variable bound once to a function literal (`f := func(...) {...}`, `var f = func(...) {...}`) and never
// assigned again or address-taken is that function (the index names the literal after the variable). A local is
// checked with go/types' uses in its package; a package-level one must be unexported and no line of its directory
// (tests included) may assign it.
func (r *repo) boundFuncLit(c *checked, f *sourceFile, v *types.Var) (location, bool) {
	if !v.Pos().IsValid() || v.IsField() {
		return location{}, false
	}
	declFile := r.fset.File(v.Pos())
	if declFile == nil || !strings.HasPrefix(declFile.Name(), r.root+string(filepath.Separator)) {
		return location{}, false
	}
	df, err := r.file(r.relOf(declFile.Name()))
	if err != nil {
		return location{}, false
	}
	var declIdent *ast.Ident
	for id, obj := range c.info.Defs {
		if obj == v {
			declIdent = id
		}
	}
	if declIdent == nil || !isFuncLitBinding(df.ast, declIdent) {
		return location{}, false
	}
	pkgLevel := v.Parent() == v.Pkg().Scope()
	if pkgLevel {
		if v.Exported() || r.assignedInDir(path.Dir(df.rel), v.Name(), r.fset.Position(v.Pos())) {
			return location{}, false
		}
	} else {
		for id, obj := range c.info.Uses {
			if obj == v && (df.assigned[id] || f.assigned[id]) {
				return location{}, false
			}
		}
	}
	return r.locate(v.Pos(), nil), true
}

// Is id the name in `id := func...`, `var id = func...` (at the same index of the values)?
func isFuncLitBinding(file *ast.File, id *ast.Ident) bool {
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if l == id {
						_, found = unparen(n.Rhs[i]).(*ast.FuncLit)
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, name := range n.Names {
					if name == id {
						_, found = unparen(n.Values[i]).(*ast.FuncLit)
					}
				}
			}
		}
		return true
	})
	return found
}

// Does any line of the directory's Go files other than the declaration assign `name` or take its address?
func (r *repo) assignedInDir(dir, name string, decl token.Position) bool {
	entries, _ := os.ReadDir(filepath.Join(r.root, filepath.FromSlash(dir)))
	q := regexp.QuoteMeta(name)
	assign := regexp.MustCompile(`(^|[^\w.])` + q + `\b[^=\n]*[^=!<>:+\-*/%&|^]=([^=]|$)|&\s*` + q + `\b`)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		abs := filepath.Join(r.root, filepath.FromSlash(dir), e.Name())
		data, err := os.ReadFile(abs)
		if err != nil {
			return true
		}
		for i, line := range strings.Split(string(data), "\n") {
			if abs == decl.Filename && i+1 == decl.Line {
				continue
			}
			if assign.MatchString(line) {
				return true
			}
		}
	}
	return false
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// Could go/types not give the receiver's members? An invalid type, a pointer to one, or a struct embedding one
// (a member the receiver lacks can then only come from the embedded type it could not load).
func lacksType(t types.Type) bool { return lacksTypeWithin(t, 4) }

func lacksTypeWithin(t types.Type, budget int) bool {
	for depth := 0; depth < 8 && budget > 0; depth++ {
		if t == nil || t == types.Typ[types.Invalid] {
			return true
		}
		switch u := t.(type) {
		case *types.Pointer:
			t = u.Elem()
			continue
		case *types.Named:
			if st, ok := u.Underlying().(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					if fld := st.Field(i); fld.Embedded() && lacksTypeWithin(fld.Type(), budget-1) {
						return true
					}
				}
			}
			return u.Underlying() == types.Typ[types.Invalid]
		}
		return false
	}
	return false
}
