// java-resolver answers dep-search's question "which declaration runs when this call executes?" for one Java
// repository with javac's own attribution (the compiler tree API), reading JSON lines on stdin and writing one
// JSON answer per line on stdout:
//
//   {"id":1,"op":"resolve","requests":[{"file":"src/A.java","line":3,"column":8}]}
//   {"id":1,"results":[{"status":"resolved","targets":[{"file":"src/B.java","line":9,"column":16,"inRepo":true}]}]}
//
// Columns are 0-based UTF-16 code units (Java's chars), lines 1-based. The repository root is the only argument.
// On the first request every .java file of the repository is parsed and attributed in one JavacTask, with the
// repository's source roots (derived from each file's package declaration) as the source path and an empty class
// path: only the JDK is available, so every type javac cannot find is not the repository's (a library that is not
// installed) and what is reached through it is external. Errors never stop attribution (should-stop.ifError=FLOW).
//
// Rules (docs/LANGUAGES.md, Java, dep-search):
// - a method javac binds (overloads resolved by javac) -> its declaration: a concrete method of the repository is
//   the statically bound one (as the TypeScript resolver does for a class method), an abstract or interface
//   method of the repository is ambiguous (the override that runs is not known), a method outside the repository
//   is external unless it is the single abstract method of a functional interface (a lambda or method reference
//   may hold repository code): ambiguous "functional-interface";
// - `new Foo(..)`, `this(..)`, `super(..)` -> the class whose constructor runs (its name), repository or not;
// - a call javac cannot bind: external when its receiver's type is one javac cannot find, or when no repository
//   class in scope (the receiver's type and its supertypes, or the enclosing classes) declares a method of that
//   name; else ambiguous "unresolved-overload".

import com.sun.source.tree.*;
import com.sun.source.util.*;
import com.sun.tools.javac.tree.JCTree;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;
import javax.lang.model.element.*;
import javax.lang.model.type.*;
import javax.lang.model.util.*;
import javax.tools.*;

public class JavaResolver {
  final Path root;
  boolean loaded = false;
  String loadError = null;
  final Map<String, Map<Long, String>> answers = new HashMap<>(); // rel path -> name offset -> JSON result
  final Map<String, LineMap> lineMaps = new HashMap<>();
  final Set<String> attributedFiles = new HashSet<>();
  final Map<String, Integer> topLevelCopies = new HashMap<>(); // qualified name of a top-level class -> files declaring it
  Trees trees;
  Types types;
  Elements elements;
  SourcePositions positions;

  JavaResolver(Path root) {
    this.root = root;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java JavaResolver <repository root>");
      System.exit(2);
    }
    JavaResolver r = new JavaResolver(Paths.get(args[0]).toAbsolutePath().normalize());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      Object id = null;
      StringBuilder answer = new StringBuilder();
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> req = (Map<String, Object>) new Json(line).value();
        id = req.get("id");
        String op = String.valueOf(req.get("op"));
        answer.append("{\"id\":").append(Json.write(id));
        if (op.equals("resolve")) {
          answer.append(",\"results\":[");
          List<?> list = (List<?>) req.get("requests");
          for (int i = 0; i < list.size(); i++) {
            Map<?, ?> p = (Map<?, ?>) list.get(i);
            if (i > 0) answer.append(',');
            answer.append(r.resolve((String) p.get("file"), ((Number) p.get("line")).intValue(), ((Number) p.get("column")).intValue()));
          }
          answer.append("]}");
        } else if (op.equals("version")) {
          answer.append(",\"version\":").append(Json.write("java-resolver 1 (javac " + System.getProperty("java.version") + ")")).append('}');
        } else {
          answer.append(",\"fatal\":").append(Json.write("unknown op " + op)).append('}');
        }
      } catch (Throwable t) {
        answer.setLength(0);
        answer.append("{\"id\":").append(Json.write(id)).append(",\"fatal\":").append(Json.write(String.valueOf(t))).append('}');
      }
      out.println(answer);
      out.flush();
    }
  }

  static String unresolved(String reason) {
    return "{\"status\":\"unresolved\",\"reason\":" + Json.write(reason) + "}";
  }

  static String ambiguous(String kind, String reason) {
    return "{\"status\":\"ambiguous\",\"kind\":" + Json.write(kind) + ",\"reason\":" + Json.write(reason) + "}";
  }

  static String external(String where, String via) {
    return "{\"status\":\"resolved\"" + (via == null ? "" : ",\"via\":" + Json.write(via)) + ",\"targets\":[{\"file\":" + Json.write(where) + ",\"line\":1,\"column\":0,\"inRepo\":false}]}";
  }

  static String inRepo(String file, long line, long column) {
    return "{\"status\":\"resolved\",\"targets\":[{\"file\":" + Json.write(file) + ",\"line\":" + line + ",\"column\":" + column + ",\"inRepo\":true}]}";
  }

  String resolve(String file, int line, int column) {
    if (!loaded) load();
    if (loadError != null) return unresolved(loadError);
    LineMap lm = lineMaps.get(file);
    if (lm == null) return unresolved(file + " is not a Java file of the repository javac read");
    long offset;
    try {
      offset = lm.getStartPosition(line) + column;
    } catch (RuntimeException e) {
      return unresolved(file + " has no line " + line);
    }
    if (!attributedFiles.contains(file)) return ambiguous("not-attributed", "javac did not attribute " + file + " (a duplicate class or a broken file)");
    String a = answers.getOrDefault(file, Map.of()).get(offset);
    return a != null ? a : unresolved("no method call or instance creation named at " + file + ":" + line + ":" + column);
  }

  // ---- loading

  static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  void load() {
    loaded = true;
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
          String n = dir.getFileName() == null ? "" : dir.getFileName().toString();
          if (!dir.equals(root) && (n.startsWith(".") || n.equals("node_modules"))) return FileVisitResult.SKIP_SUBTREE;
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes attrs) {
          // module-info.java would switch javac to module mode, where each source root must be one module: every
          // file is attributed in the unnamed module instead (which reads every JDK module that exports packages).
          String n = f.getFileName().toString();
          if (attrs.isRegularFile() && n.endsWith(".java") && !n.equals("module-info.java") && !n.equals("package-info.java")) files.add(f);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      loadError = "cannot list " + root + ": " + e;
      return;
    }
    Collections.sort(files);
    // Source roots: the directory above each file's package path.
    Set<String> roots = new LinkedHashSet<>();
    for (Path f : files) {
      String pkg = "";
      try {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        Matcher m = PACKAGE.matcher(stripComments(text));
        if (m.find()) pkg = m.group(1);
      } catch (IOException | UncheckedIOException e) {
        continue;
      }
      Path dir = f.getParent();
      Path pkgPath = pkg.isEmpty() ? null : Paths.get(pkg.replace('.', '/'));
      if (pkgPath == null) roots.add(dir.toString());
      else if (dir.endsWith(pkgPath)) {
        Path r = dir;
        for (int i = 0; i < pkgPath.getNameCount(); i++) r = r.getParent();
        roots.add(r.toString());
      }
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StandardJavaFileManager fm = compiler.getStandardFileManager(d -> {}, Locale.ROOT, StandardCharsets.UTF_8);
    List<String> options = List.of("-proc:none", "-implicit:none", "-nowarn", "-Xlint:none", "-encoding", "UTF-8", "-XDshould-stop.ifError=FLOW", "-XDshould-stop.ifNoError=FLOW",
        "-sourcepath", String.join(File.pathSeparator, roots), "-classpath", "");
    Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
    JavacTask task = (JavacTask) compiler.getTask(Writer.nullWriter(), fm, d -> {}, options, null, units);
    trees = Trees.instance(task);
    types = task.getTypes();
    elements = task.getElements();
    positions = trees.getSourcePositions();
    try {
      Iterable<? extends CompilationUnitTree> cus = task.parse();
      for (CompilationUnitTree cu : cus) {
        String pkg = cu.getPackageName() == null ? "" : cu.getPackageName().toString() + ".";
        for (Tree t : cu.getTypeDecls()) {
          if (t instanceof ClassTree) topLevelCopies.merge(pkg + ((ClassTree) t).getSimpleName(), 1, Integer::sum);
        }
      }
      task.analyze();
      for (CompilationUnitTree cu : cus) {
        String rel = relative(Paths.get(cu.getSourceFile().toUri()));
        if (rel == null) continue;
        lineMaps.put(rel, cu.getLineMap());
        Map<Long, String> fileAnswers = new HashMap<>();
        answers.put(rel, fileAnswers);
        boolean[] attributed = {true};
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree node, Void v) {
            if (trees.getElement(getCurrentPath()) == null) attributed[0] = false;
            return super.visitClass(node, v);
          }

          @Override
          public Void visitMethodInvocation(MethodInvocationTree node, Void v) {
            long at = nameOffset(cu, node.getMethodSelect());
            if (at >= 0) fileAnswers.put(at, safely(() -> invocation(cu, getCurrentPath(), node)));
            return super.visitMethodInvocation(node, v);
          }

          @Override
          public Void visitNewClass(NewClassTree node, Void v) {
            long at = nameOffset(cu, node.getIdentifier());
            if (at >= 0) fileAnswers.put(at, safely(() -> creation(cu, getCurrentPath(), node)));
            return super.visitNewClass(node, v);
          }
        }.scan(cu, null);
        if (attributed[0]) attributedFiles.add(rel);
      }
    } catch (Throwable t) {
      loadError = "javac failed on the repository: " + t;
    }
  }

  interface Answer {
    String get();
  }

  static String safely(Answer a) {
    try {
      return a.get();
    } catch (RuntimeException e) {
      return unresolved("java-resolver failed on this call: " + e);
    }
  }

  static String stripComments(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
  }

  String relative(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    if (!abs.startsWith(root)) return null;
    return root.relativize(abs).toString().replace(File.separatorChar, '/');
  }

  // The start of the called name: `m` of `a.b.m(..)`, `Foo` of `new a.Foo<T>(..)`, the `this`/`super` keyword.
  long nameOffset(CompilationUnitTree cu, Tree t) {
    while (true) {
      if (t instanceof ParameterizedTypeTree) t = ((ParameterizedTypeTree) t).getType();
      else if (t instanceof AnnotatedTypeTree) t = ((AnnotatedTypeTree) t).getUnderlyingType();
      else break;
    }
    if (t instanceof IdentifierTree) return positions.getStartPosition(cu, t);
    if (t instanceof MemberSelectTree) {
      long end = positions.getEndPosition(cu, t);
      return end < 0 ? -1 : end - ((MemberSelectTree) t).getIdentifier().length();
    }
    return -1;
  }

  // ---- classification

  String invocation(CompilationUnitTree cu, TreePath path, MethodInvocationTree node) {
    Element el = trees.getElement(path);
    ExpressionTree select = node.getMethodSelect();
    String name = select instanceof MemberSelectTree ? ((MemberSelectTree) select).getIdentifier().toString() : ((IdentifierTree) select).getName().toString();
    if (el instanceof ExecutableElement && el.asType().getKind() != TypeKind.ERROR) {
      ExecutableElement m = (ExecutableElement) el;
      TypeElement owner = (TypeElement) m.getEnclosingElement();
      if (m.getKind() == ElementKind.CONSTRUCTOR) return classTarget(owner);
      String decl = declaredAt(m);
      if (decl != null && !(trees.getPath(m).getLeaf() instanceof MethodTree)) return methodTarget(m);
      if (decl == null) {
        if (m.getModifiers().contains(Modifier.ABSTRACT) && isSingleAbstractMethod(owner, m)) {
          String bound = boundLambda(path, select);
          if (bound != null) return bound;
          return ambiguous("functional-interface", "`" + name + "` is the method of the functional interface " + owner.getQualifiedName() + ": the lambda or method reference the value holds decides what runs");
        }
        return external(owner.getQualifiedName() + "." + m.getSimpleName(), null);
      }
      if (m.getModifiers().contains(Modifier.ABSTRACT)) {
        boolean iface = owner.getKind().isInterface();
        return ambiguous(iface ? "interface-method" : "abstract-method", "`" + name + "` resolves to the " + (iface ? "interface" : "abstract") + " method " + owner.getQualifiedName() + "." + m.getSimpleName() + " (" + decl + "): the override that runs is not known");
      }
      return methodTarget(m);
    }
    // javac could not bind the call.
    if (name.equals("this") || name.equals("super")) return ambiguous("unresolved-overload", "javac cannot bind `" + name + "(...)`");
    if (select instanceof MemberSelectTree) {
      ExpressionTree recv = ((MemberSelectTree) select).getExpression();
      TypeMirror t = trees.getTypeMirror(new TreePath(path, recv));
      if (t == null) t = typeOfName(path, recv);
      if (t == null) return ambiguous("unresolved-overload", "javac gave no type to the receiver of `" + name + "`");
      if (t.getKind() == TypeKind.ERROR) return external("a type javac cannot find (a library that is not installed): " + t, "non-repo-import");
      // A type variable is its bound: `T extends Missing` puts the call on a type javac cannot find.
      for (int depth = 0; t.getKind() == TypeKind.TYPEVAR && depth < 8; depth++) t = ((TypeVariable) t).getUpperBound();
      if (t.getKind() == TypeKind.ERROR) return external("a type variable bounded by a type javac cannot find: " + t, "non-repo-import");
      TypeElement cls = t.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) t).asElement() : null;
      if (cls == null && t.getKind() == TypeKind.TYPEVAR) return ambiguous("unresolved-overload", "javac cannot bind `" + name + "` on a type variable");
      if (cls != null && !repoDeclaresMethod(cls, name, new HashSet<>())) return external("`" + name + "` is declared by no repository class in " + cls.getQualifiedName() + "'s hierarchy", "non-repo-import");
      return ambiguous("unresolved-overload", "javac cannot bind `" + name + "` on " + t + ", whose hierarchy in the repository declares a method of that name");
    }
    // An unqualified call: a method of an enclosing class (or its supertypes), or a static import.
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        Element c = trees.getElement(p);
        if (!(c instanceof TypeElement)) return ambiguous("not-attributed", "the class around `" + name + "` was not attributed");
        if (repoDeclaresMethod((TypeElement) c, name, new HashSet<>())) return ambiguous("unresolved-overload", "javac cannot bind `" + name + "`, which an enclosing class of the repository declares");
      }
    }
    for (ImportTree imp : cu.getImports()) {
      if (!imp.isStatic()) continue;
      Tree q = imp.getQualifiedIdentifier();
      if (!(q instanceof MemberSelectTree)) continue;
      MemberSelectTree ms = (MemberSelectTree) q;
      String member = ms.getIdentifier().toString();
      if (!member.equals("*") && !member.equals(name)) continue;
      TypeElement cls = elements.getTypeElement(ms.getExpression().toString());
      if (cls != null && declaredAt(cls) != null && repoDeclaresMethod(cls, name, new HashSet<>())) return ambiguous("unresolved-overload", "javac cannot bind `" + name + "`, which the statically imported repository class " + cls.getQualifiedName() + " declares");
    }
    return external("`" + name + "` is declared by no repository class in scope (a supertype or static import that is not installed)", "non-repo-import");
  }

  // `r.run()` where r is a local variable or a final field initialised with a lambda (or an anonymous class is
  // not followed) and never assigned again: that lambda runs; the index names it after the variable.
  String boundLambda(TreePath path, ExpressionTree select) {
    if (!(select instanceof MemberSelectTree)) return null;
    ExpressionTree recv = ((MemberSelectTree) select).getExpression();
    if (!(recv instanceof IdentifierTree)) return null;
    Element v = trees.getElement(new TreePath(path, recv));
    if (v == null || !(v.getKind() == ElementKind.LOCAL_VARIABLE || (v.getKind() == ElementKind.FIELD && v.getModifiers().contains(Modifier.FINAL)))) return null;
    TreePath decl = trees.getPath(v);
    if (decl == null || !(decl.getLeaf() instanceof VariableTree)) return null;
    ExpressionTree init = ((VariableTree) decl.getLeaf()).getInitializer();
    while (init instanceof ParenthesizedTree) init = ((ParenthesizedTree) init).getExpression();
    if (!(init instanceof LambdaExpressionTree)) return null;
    if (v.getKind() == ElementKind.LOCAL_VARIABLE) {
      // The enclosing method body must not assign it (Java lets a non-captured local be reassigned).
      TreePath scope = decl;
      while (scope != null && !(scope.getLeaf() instanceof MethodTree) && !(scope.getLeaf() instanceof LambdaExpressionTree) && !(scope.getLeaf() instanceof BlockTree && scope.getParentPath() != null && scope.getParentPath().getLeaf() instanceof ClassTree)) scope = scope.getParentPath();
      if (scope == null) return null;
      boolean[] assigned = {false};
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitAssignment(AssignmentTree node, Void x) {
          if (trees.getElement(new TreePath(getCurrentPath(), node.getVariable())) == v) assigned[0] = true;
          return super.visitAssignment(node, x);
        }
      }.scan(scope, null);
      if (assigned[0]) return null;
    }
    return at(decl, ((JCTree) decl.getLeaf()).pos);
  }

  TypeMirror typeOfName(TreePath path, ExpressionTree recv) {
    Element e = trees.getElement(new TreePath(path, recv));
    return e == null ? null : e.asType();
  }

  String creation(CompilationUnitTree cu, TreePath path, NewClassTree node) {
    Tree id = node.getIdentifier();
    TypeMirror t = trees.getTypeMirror(new TreePath(path, id));
    if (t == null) {
      Element e = trees.getElement(new TreePath(path, id));
      t = e == null ? null : e.asType();
    }
    if (t == null) return ambiguous("not-attributed", "javac gave no type to `new " + id + "`");
    if (t.getKind() == TypeKind.ERROR) return external("a class javac cannot find (a library that is not installed): " + t, "non-repo-import");
    if (t.getKind() != TypeKind.DECLARED) return ambiguous("unresolved-overload", "`new " + id + "` creates a " + t.getKind());
    return classTarget((TypeElement) ((DeclaredType) t).asElement());
  }

  // Does the repository declare a method `name` in cls or one of its supertypes?
  boolean repoDeclaresMethod(TypeElement cls, String name, Set<String> seen) {
    if (!seen.add(cls.getQualifiedName().toString())) return false;
    if (declaredAt(cls) != null) {
      for (Element e : cls.getEnclosedElements()) {
        if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(name)) return true;
      }
    }
    for (TypeMirror s : types.directSupertypes(cls.asType())) {
      if (s.getKind() == TypeKind.DECLARED && repoDeclaresMethod((TypeElement) ((DeclaredType) s).asElement(), name, seen)) return true;
    }
    // An inner class also sees its outer classes' methods.
    Element outer = cls.getEnclosingElement();
    if (outer instanceof TypeElement && repoDeclaresMethod((TypeElement) outer, name, seen)) return true;
    return false;
  }

  // Is m the single abstract method of the functional interface owner?
  boolean isSingleAbstractMethod(TypeElement owner, ExecutableElement m) {
    if (!owner.getKind().isInterface()) return false;
    List<ExecutableElement> abstracts = new ArrayList<>();
    for (ExecutableElement e : ElementFilter.methodsIn(elements.getAllMembers(owner))) {
      if (!e.getModifiers().contains(Modifier.ABSTRACT)) continue;
      if (overridesObjectMethod(e)) continue;
      boolean dup = false;
      for (ExecutableElement a : abstracts) {
        if (a.getSimpleName().equals(e.getSimpleName()) && (elements.overrides(a, e, owner) || elements.overrides(e, a, owner))) dup = true;
      }
      if (!dup) abstracts.add(e);
    }
    return abstracts.size() == 1 && abstracts.get(0).getSimpleName().equals(m.getSimpleName());
  }

  boolean overridesObjectMethod(ExecutableElement e) {
    TypeElement object = elements.getTypeElement("java.lang.Object");
    for (ExecutableElement o : ElementFilter.methodsIn(object.getEnclosedElements())) {
      if (o.getModifiers().contains(Modifier.PUBLIC) && o.getSimpleName().equals(e.getSimpleName()) && o.getParameters().size() == e.getParameters().size()) {
        boolean same = true;
        for (int i = 0; i < o.getParameters().size(); i++) {
          if (!types.isSameType(types.erasure(o.getParameters().get(i).asType()), types.erasure(e.getParameters().get(i).asType()))) same = false;
        }
        if (same) return true;
      }
    }
    return false;
  }

  // "file:line" when the element is declared in the repository's sources, else null.
  String declaredAt(Element e) {
    TreePath p = trees.getPath(e);
    if (p == null) return null;
    String rel = relative(Paths.get(p.getCompilationUnit().getSourceFile().toUri()));
    if (rel == null) return null;
    return rel + ":" + p.getCompilationUnit().getLineMap().getLineNumber(positions.getStartPosition(p.getCompilationUnit(), p.getLeaf()));
  }

  String methodTarget(ExecutableElement m) {
    TreePath p = trees.getPath(m);
    // A member javac generates (a record's implicit accessor, an enum's values()/valueOf()) has no declaration
    // of its own in the source: no repository definition runs.
    if (!(p.getLeaf() instanceof MethodTree)) return external(((TypeElement) m.getEnclosingElement()).getQualifiedName() + "." + m.getSimpleName() + " (generated by javac)", null);
    return at(p, ((JCTree) p.getLeaf()).pos);
  }

  String classTarget(TypeElement cls) {
    TreePath p = trees.getPath(cls);
    if (p == null || relative(Paths.get(p.getCompilationUnit().getSourceFile().toUri())) == null) return external(cls.getQualifiedName().toString(), null);
    if (cls.getNestingKind() == NestingKind.ANONYMOUS) return ambiguous("unresolved-overload", "an anonymous class has no name to depend on");
    return at(p, classNameOffset(p));
  }

  // javac's position of a class declaration is its modifiers' start; the name is the identifier after the
  // class/interface/enum/record/@interface keyword.
  long classNameOffset(TreePath p) {
    CompilationUnitTree cu = p.getCompilationUnit();
    ClassTree ct = (ClassTree) p.getLeaf();
    long start = positions.getStartPosition(cu, ct);
    ModifiersTree mods = ct.getModifiers();
    long from = mods != null && positions.getEndPosition(cu, mods) > start ? positions.getEndPosition(cu, mods) : start;
    CharSequence text;
    try {
      text = cu.getSourceFile().getCharContent(true);
    } catch (IOException e) {
      return ((JCTree) ct).pos;
    }
    String name = ct.getSimpleName().toString();
    Matcher m = Pattern.compile("\\b(?:class|interface|enum|record)\\s*(?:/\\*.*?\\*/\\s*|//[^\\n]*\\n\\s*)*" + Pattern.quote(name) + "\\b", Pattern.DOTALL).matcher(text);
    if (m.find((int) from)) return m.end() - name.length();
    return ((JCTree) ct).pos;
  }

  String at(TreePath p, long offset) {
    CompilationUnitTree cu = p.getCompilationUnit();
    // Two files of the repository declare the same class (modules of a multi-module build, copies): javac binds
    // every reference to the first it reads, which need not be the one this call's build uses.
    for (TreePath q = p; q != null; q = q.getParentPath()) {
      if (q.getLeaf() instanceof ClassTree && q.getParentPath() != null && q.getParentPath().getLeaf() instanceof CompilationUnitTree) {
        String pkg = cu.getPackageName() == null ? "" : cu.getPackageName().toString() + ".";
        String name = pkg + ((ClassTree) q.getLeaf()).getSimpleName();
        if (topLevelCopies.getOrDefault(name, 0) > 1) return ambiguous("duplicate-class", name + " is declared by several files of the repository; which one a build uses is not known");
      }
    }
    String rel = relative(Paths.get(cu.getSourceFile().toUri()));
    LineMap lm = cu.getLineMap();
    long line = lm.getLineNumber(offset);
    return inRepo(rel, line, offset - lm.getStartPosition(line));
  }
}

// A small JSON reader and writer: the requests are objects of strings, numbers and arrays.
class Json {
  private final String s;
  private int i = 0;

  Json(String s) {
    this.s = s;
  }

  Object value() {
    ws();
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        String k = string();
        ws();
        expect(':');
        m.put(k, value());
        ws();
        if (s.charAt(i) == ',') i++;
        else {
          expect('}');
          return m;
        }
      }
    }
    if (c == '[') {
      i++;
      List<Object> l = new ArrayList<>();
      ws();
      if (s.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        l.add(value());
        ws();
        if (s.charAt(i) == ',') i++;
        else {
          expect(']');
          return l;
        }
      }
    }
    if (c == '"') return string();
    if (s.startsWith("true", i)) {
      i += 4;
      return Boolean.TRUE;
    }
    if (s.startsWith("false", i)) {
      i += 5;
      return Boolean.FALSE;
    }
    if (s.startsWith("null", i)) {
      i += 4;
      return null;
    }
    int st = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
    if (st == i) throw new IllegalArgumentException("bad JSON at " + i);
    return Double.valueOf(s.substring(st, i));
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private void expect(char c) {
    if (s.charAt(i) != c) throw new IllegalArgumentException("expected " + c + " at " + i);
    i++;
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
        default: b.append(e);
      }
    }
  }

  static String write(Object o) {
    if (o == null) return "null";
    if (o instanceof Double) {
      double d = (Double) o;
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
    if (o instanceof Number || o instanceof Boolean) return String.valueOf(o);
    String str = String.valueOf(o);
    StringBuilder b = new StringBuilder("\"");
    for (int k = 0; k < str.length(); k++) {
      char c = str.charAt(k);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
