package hgym.javafrontend;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.api.BasicJavacTask;
import com.sun.tools.javac.parser.Scanner;
import com.sun.tools.javac.parser.ScannerFactory;
import com.sun.tools.javac.parser.Tokens.Token;
import com.sun.tools.javac.parser.Tokens.TokenKind;
import com.sun.tools.javac.util.Log;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

// javac as the judge, parse only (no attribution, no annotation processing):
// - check: the first error javac's parser reports on the exact text (its line and message);
// - compare: do two texts differ only in comments (Javadoc included)? Both must parse; then the token streams of
//   javac's own scanner are compared: kinds, names, and literal values as javac computes them (escapes decoded,
//   text blocks with their indentation stripped and line ends normalised, digits without underscores). The
//   scanner reads unicode escapes before anything else, so a line comment holding the escape of a newline ends
//   there (the code after it is code) and the escape of '*' followed by '/' closes a block comment, exactly as
//   the compiler sees them (the escapes cannot be written here: this file is Java too).
final class Frontend {
    private static final List<String> OPTIONS = List.of("-proc:none", "-nowarn", "-Xlint:none");

    private final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    private final StandardJavaFileManager files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);

    // Starting texts seen again (the validity gate checks several patches against one start; RL scores many
    // rollouts of each instance): their verdict and tokens, bounded by total size.
    private static final long CACHE_MAX_CHARS = 64L << 20;
    private long cachedChars = 0;
    private final LinkedHashMap<String, Parsed> cache = new LinkedHashMap<>(64, 0.75f, true);

    static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String path, String text) {
            super(uriOf(path), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    private static URI uriOf(String path) {
        try {
            return new URI("string", null, "/" + path.replace('\\', '/'), null);
        } catch (URISyntaxException e) {
            return URI.create("string:///Source.java");
        }
    }

    static final class Error {
        final long line;
        final String message;

        Error(long line, String message) {
            this.line = line;
            this.message = message;
        }
    }

    static final class Parsed {
        final Error error; // null when it parses
        final List<Token> tokens; // null when it does not parse
        final String text;

        Parsed(Error error, List<Token> tokens, String text) {
            this.error = error;
            this.tokens = tokens;
            this.text = text;
        }
    }

    String version() {
        return "javac " + System.getProperty("java.version");
    }

    // Parses `text` and, when it parses, scans it with the same compiler context.
    Parsed parse(String path, String text, boolean wantTokens) {
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        DiagnosticListener<JavaFileObject> listener = d -> {
            if (d.getKind() == Diagnostic.Kind.ERROR) errors.add(d);
        };
        Source source = new Source(path, text);
        JavacTask task = (JavacTask) compiler.getTask(null, files, listener, OPTIONS, null, List.of(source));
        try {
            task.parse();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (!errors.isEmpty()) {
            Diagnostic<? extends JavaFileObject> d = errors.get(0);
            long line = d.getLineNumber();
            return new Parsed(new Error(line > 0 ? line : 1, d.getMessage(Locale.ROOT)), null, text);
        }
        if (!wantTokens) return new Parsed(null, null, text);
        var context = ((BasicJavacTask) task).getContext();
        Log.instance(context).useSource(source);
        Scanner scanner = ScannerFactory.instance(context).newScanner(text, false);
        List<Token> tokens = new ArrayList<>();
        while (true) {
            scanner.nextToken();
            Token t = scanner.token();
            tokens.add(t);
            if (t.kind == TokenKind.EOF) break;
        }
        return new Parsed(null, tokens, text);
    }

    Error check(String path, String text) {
        return parse(path, text, false).error;
    }

    private Parsed startParse(String path, String text) {
        Parsed p = cache.get(text);
        if (p != null) return p;
        p = parse(path, text, true);
        if (text.length() <= CACHE_MAX_CHARS / 8) {
            cache.put(text, p);
            cachedChars += text.length();
            Iterator<Map.Entry<String, Parsed>> it = cache.entrySet().iterator();
            while (cachedChars > CACHE_MAX_CHARS && it.hasNext()) {
                Map.Entry<String, Parsed> e = it.next();
                if (e.getValue() == p) continue;
                cachedChars -= e.getKey().length();
                it.remove();
            }
        }
        return p;
    }

    // The answer fields of a compare request.
    Map<String, Object> compare(String path, String before, String after) {
        Map<String, Object> out = new LinkedHashMap<>();
        Parsed b = startParse(path, before);
        if (b.error != null) {
            out.put("error", "start-does-not-parse");
            out.put("line", b.error.line);
            out.put("message", b.error.message);
            return out;
        }
        if (before.equals(after)) {
            out.put("equal", true);
            return out;
        }
        Parsed a = parse(path, after, true);
        if (a.error != null) {
            out.put("error", "parse-error");
            out.put("line", a.error.line);
            out.put("message", a.error.message);
            return out;
        }
        int n = Math.min(b.tokens.size(), a.tokens.size());
        for (int k = 0; k < n; k++) {
            Token x = b.tokens.get(k);
            Token y = a.tokens.get(k);
            String why = difference(x, y);
            if (why != null) {
                out.put("equal", false);
                out.put("line", lineOf(after, y.pos));
                out.put("reason", why);
                return out;
            }
        }
        out.put("equal", true); // both streams end with EOF, so equal prefixes mean equal streams
        return out;
    }

    // Why two tokens differ, or null when javac sees the same token. (Tokens.Token.Tag is not accessible: the
    // kinds carrying a name or a value are listed.)
    private static String difference(Token x, Token y) {
        if (x.kind != y.kind) return "token " + describe(y) + " where the original has " + describe(x);
        switch (x.kind) {
            case IDENTIFIER:
                if (!x.name().contentEquals(y.name())) return "name " + y.name() + " where the original has " + x.name();
                return null;
            case STRINGLITERAL:
            case CHARLITERAL:
                if (!x.stringVal().equals(y.stringVal())) return "literal value changed (" + describe(y) + ")";
                return null;
            case INTLITERAL:
            case LONGLITERAL:
            case FLOATLITERAL:
            case DOUBLELITERAL:
                if (!x.stringVal().equals(y.stringVal()) || x.radix() != y.radix()) return "number changed (" + describe(y) + ")";
                return null;
            default:
                return null;
        }
    }

    private static String describe(Token t) {
        switch (t.kind) {
            case IDENTIFIER:
                return "'" + t.name() + "'";
            case STRINGLITERAL:
            case CHARLITERAL:
            case INTLITERAL:
            case LONGLITERAL:
            case FLOATLITERAL:
            case DOUBLELITERAL: {
                String v = t.stringVal();
                return t.kind.name().toLowerCase(Locale.ROOT) + " " + (v.length() > 40 ? v.substring(0, 40) + "..." : v);
            }
            case EOF:
                return "end of file";
            default:
                return "'" + (t.kind.name != null ? t.kind.name : t.kind.name()) + "'";
        }
    }

    // javac's line numbering: CR, LF and CRLF each end a line.
    static long lineOf(String text, int pos) {
        long line = 1;
        int end = Math.min(Math.max(pos, 0), text.length());
        for (int k = 0; k < end; k++) {
            char c = text.charAt(k);
            if (c == '\n') line++;
            else if (c == '\r' && (k + 1 >= text.length() || text.charAt(k + 1) != '\n')) line++;
        }
        return line;
    }

    // The declarations of a text (classes, methods, constructors, fields) with the doc comment javac attaches to
    // each (DocTrees.getDocComment after parsing): what the index's Javadoc rule is tested against.
    List<Map<String, Object>> docComments(String path, String text) throws IOException {
        Source source = new Source(path, text);
        List<String> errors = new ArrayList<>();
        DiagnosticListener<JavaFileObject> listener = d -> {
            if (d.getKind() == Diagnostic.Kind.ERROR) errors.add(d.getMessage(Locale.ROOT));
        };
        JavacTask task = (JavacTask) compiler.getTask(null, files, listener, OPTIONS, null, List.of(source));
        CompilationUnitTree unit = task.parse().iterator().next();
        if (!errors.isEmpty()) throw new IllegalArgumentException("does not parse: " + errors.get(0));
        DocTrees trees = DocTrees.instance(task);
        SourcePositions positions = trees.getSourcePositions();
        LineMap lines = unit.getLineMap();
        List<Map<String, Object>> out = new ArrayList<>();
        new TreePathScanner<Void, Void>() {
            private void record(Tree tree, String kind, String name) {
                long start = positions.getStartPosition(unit, tree);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("kind", kind);
                d.put("name", name);
                d.put("line", lines.getLineNumber(start));
                d.put("doc", trees.getDocComment(getCurrentPath()));
                out.add(d);
            }

            @Override
            public Void visitClass(ClassTree tree, Void v) {
                if (!tree.getSimpleName().isEmpty()) record(tree, "class", tree.getSimpleName().toString());
                return super.visitClass(tree, v);
            }

            @Override
            public Void visitMethod(MethodTree tree, Void v) {
                record(tree, "method", tree.getName().toString());
                return super.visitMethod(tree, v);
            }

            @Override
            public Void visitVariable(VariableTree tree, Void v) {
                if (getCurrentPath().getParentPath().getLeaf() instanceof ClassTree) record(tree, "field", tree.getName().toString());
                return super.visitVariable(tree, v);
            }
        }.scan(unit, null);
        return out;
    }

    // Times javac's parser over files on disk, for the benchmark: one compilation task holding them all, as
    // `javac -proc:none` would parse them.
    Map<String, Object> parseOnly(List<String> paths) throws IOException {
        long bytes = 0;
        List<Path> list = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            bytes += Files.size(path);
            list.add(path);
        }
        int[] errors = {0};
        DiagnosticListener<JavaFileObject> listener = d -> {
            if (d.getKind() == Diagnostic.Kind.ERROR) errors[0]++;
        };
        long t0 = System.nanoTime();
        Iterable<? extends JavaFileObject> objects = files.getJavaFileObjectsFromPaths(list);
        JavacTask task = (JavacTask) compiler.getTask(null, files, listener, OPTIONS, null, objects);
        int units = 0;
        for (Object ignored : task.parse()) units++;
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", units);
        out.put("bytes", bytes);
        out.put("seconds", seconds);
        out.put("errors", errors[0]);
        return out;
    }
}
