# The Python front end of hgym's verifiers (src/lang/frontend/python.ts): CPython itself decides whether a file
# compiles and whether two versions of a file differ only in comments (and docstrings). tree-sitter, which the
# index uses, disagrees with CPython on line terminators (a lone "\r" ends a line), coding declarations, tab/space
# consistency, NUL bytes and docstrings written as "a" "b"; the reward must follow the language, so the judge is
# the language's own compiler working on the exact bytes.
#
# Protocol: one JSON object per line on stdin, one answer per line on stdout, matched by "id". Sources travel as
# base64 of the file's bytes, so coding cookies and line terminators reach the compiler untouched.
#   {"id": 1, "op": "version"}                                  -> {"id": 1, "version": "3.11.2"}
#   {"id": 9, "op": "forget"}                                   -> {"id": 9, "ok": true}  (drops the caches)
#   {"id": 10, "op": "stats"}   -> {"id": 10, "decided_by": {"comment-lines": n, "statements": n, "whole-file": n}, ...}
#   {"id": 2, "op": "check", "src": B64}                        -> {"id": 2, "ok": true} | {"id": 2, "ok": false, "line": 3, "message": "..."}
#   {"id": 3, "op": "compare", "before": B64, "after": B64, "docstrings": true}
#       "before" may be replaced by "before_sha1": HEX (a start this worker was sent; answered {"need_before": true}
#       when it is not cached) and "after" by "keep_head": n, "keep_tail": n, "after_mid": B64 (the start's first
#       n and last n bytes around the bytes that replaced the rest: only what an edit changed travels)
#       -> {"id": 3, "equal": true} | {"id": 3, "equal": false, "line": 7, "reason": "..."}
#          | {"id": 3, "error": "start-does-not-parse", "line": .., "message": ..}
#          | {"id": 3, "error": "parse-error", "line": .., "message": ..}
#   "region": false in a compare forces the whole-file parse (the region parse is an exact shortcut, see
#   _region_equal; tests compare the two).
# Any failure of the worker itself answers {"id": .., "fatal": "..."} for that request and keeps serving.

import ast
import base64
import bisect
import codecs
import hashlib
import io
import json
import os
import re
import sys
import tokenize
import warnings

# SyntaxWarnings (invalid escapes, "is" with a literal) are not errors for the language; a -W error setting in the
# environment must not turn them into rejections.
warnings.simplefilter("ignore")

_SKIP_FIELDS = frozenset(("ctx", "type_comment"))
_DOC_HOLDERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _syntax_error(exc, default_line=1):
    if isinstance(exc, SyntaxError):
        line = exc.lineno or default_line
        msg = exc.msg or str(exc)
    else:  # ValueError "source code string cannot contain null bytes" (3.11), UnicodeDecodeError, LookupError
        line = default_line
        msg = str(exc)
    return {"line": int(line), "message": "%s: %s" % (type(exc).__name__, msg)}


def _is_docstring(stmt):
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


_BODY_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _drop_first(node, marker=True):
    body = node.body
    if body and _is_docstring(body[0]):
        # A body that held only the docstring keeps a marker, so it differs from a body that held `pass`.
        node.body = body[1:] or ([_DocOnly()] if marker else [])


def _drop_docstrings(tree, module_doc=True, module_marker=True):
    # A docstring is what CPython's ast.get_docstring reads: the first statement of a module, class or function
    # when it is an expression statement holding a str constant. Implicit concatenation and parentheses are
    # already folded into one Constant by the parser, so they count exactly as the language counts them.
    # Definitions only occur in statement lists, so only those are walked (expressions hold none).
    if module_doc:
        # module_marker=False: `tree` holds only some of the module's statements (a region), so "the docstring
        # was all it held" says nothing about the module.
        _drop_first(tree, module_marker)
    stack = [tree.body]
    while stack:
        for stmt in stack.pop():
            if isinstance(stmt, _DOC_HOLDERS):
                _drop_first(stmt)
            for name in _BODY_FIELDS:
                inner = getattr(stmt, name, None)
                if inner:
                    if name == "handlers" or name == "cases":
                        stack.extend(h.body for h in inner)
                    else:
                        stack.append(inner)
    return tree


class _DocOnly(ast.AST):
    _fields = ()


_FIELDS = {}


def _fields_of(cls):
    f = _FIELDS.get(cls)
    if f is None:
        f = _FIELDS[cls] = tuple(n for n in cls._fields if n not in _SKIP_FIELDS)
    return f


def _same(a, b):
    # Structural equality without positions: the same node types with equal fields except ctx (implied by the
    # structure) and type comments (comments for the language), lists of the same length, floats and complex
    # numbers by type and repr (-0.0 vs 0.0, nan), every other value by type name and equality. Walks both trees
    # at once and stops at the first difference, allocating nothing (building a key per tree and comparing the
    # keys cost ~2x on the gate's whole-class regions).
    if isinstance(a, ast.AST):
        cls = type(a)
        if not isinstance(b, ast.AST) or type(b).__name__ != cls.__name__:
            return False
        fields = _fields_of(cls)
        if type(b) is not cls and _fields_of(type(b)) != fields:
            return False
        for n in fields:
            if not _same(getattr(a, n, None), getattr(b, n, None)):
                return False
        return True
    if isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            return False
        for x, y in zip(a, b):
            if not _same(x, y):
                return False
        return True
    if isinstance(b, (ast.AST, list)) or type(a).__name__ != type(b).__name__:
        return False
    if isinstance(a, (float, complex)):
        return repr(a) == repr(b)
    return a == b


def _first_difference(a, b, unchanged_before=0):
    # The line (in `after`) of the innermost node where the two trees differ, and a short reason. One descent
    # through both trees that stops at the first difference, in field order: `walk` reports a difference exactly
    # when _same does not, so it never needs to ask _same first (which made the search quadratic in the tree's
    # depth; the gate asks this for every hack that changes code).
    #
    # `unchanged_before`: the trees' texts are byte-identical on every line before this one (the edit starts on
    # it). A statement that ends before it, at the same position in both trees, is the same statement: its bytes
    # are the same, the tokenizer reaches them in the same state, and a statement complete on earlier lines is
    # parsed without looking at what follows. Such pairs are skipped without a walk (a code change at the end of
    # a large region otherwise walks everything above it).
    best = [None, "code differs"]

    def unchanged(x, y):
        return (
            isinstance(x, ast.stmt)
            and type(x) is type(y)
            and x.end_lineno < unchanged_before
            and x.lineno == y.lineno
            and x.col_offset == y.col_offset
            and x.end_lineno == y.end_lineno
            and x.end_col_offset == y.end_col_offset
        )

    def line_of(n, fallback):
        return getattr(n, "lineno", None) or fallback

    def walk(x, y, line):
        if type(x) is not type(y):
            best[0] = line_of(y, line)
            best[1] = "%s vs %s" % (type(x).__name__, type(y).__name__)
            return True
        if isinstance(x, ast.AST):
            line = line_of(y, line)
            for name in _fields_of(type(x)):
                if walk(getattr(x, name, None), getattr(y, name, None), line):
                    return True
            return False
        if isinstance(x, list):
            for i in range(min(len(x), len(y))):
                if unchanged_before and unchanged(x[i], y[i]):
                    continue
                if walk(x[i], y[i], line):
                    return True
            if len(x) != len(y):
                extra = y[len(x)] if len(y) > len(x) else None
                best[0] = line_of(extra, line) if extra is not None else line
                best[1] = "a statement or element was %s" % ("added" if len(y) > len(x) else "removed")
                return True
            return False
        if not _same(x, y):  # a value, compared as _same compares values (floats by repr)
            best[0] = line
            best[1] = "%r vs %r" % (x, y) if len(repr(x)) + len(repr(y)) < 80 else "a value differs"
            return True
        return False

    walk(a, b, 1)
    return best[0] or 1, best[1]


def _parse(src):
    return ast.parse(src, "<file>", "exec")


def _compile_error(src):
    try:
        compile(src, "<file>", "exec", dont_inherit=True)
        return None
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError) as e:
        return _syntax_error(e)


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _line_starts(data):
    # Byte offset where each line starts, numbered as CPython numbers lines: "\r\n", a lone "\r" and "\n" each
    # end a line. starts[k] is the start of line k+1; a last entry is the end of the data.
    starts = [0]
    for m in _LINE_END.finditer(data):
        starts.append(m.end())
    if starts[-1] != len(data):
        starts.append(len(data))
    return starts


class _Before:
    # What the comparisons reuse about one starting text: whether it compiles, and what the region shortcuts
    # need (line starts, top-level and nested statement spans, literals spanning lines). All of it is derived
    # from one parse when the text is first seen; the tree itself is not kept (a 50 KB file's tree holds ~1.5 MB
    # of Python objects), so many starts fit in the cache. The tree for the whole-file fallback is rebuilt on
    # demand and kept in a small cache of its own (_START_TREES).
    __slots__ = ("data", "digest", "error", "_region_info", "_string_spans", "nested", "size")

    def __init__(self, data, digest):
        self.data = data
        self.digest = digest
        self._region_info = None
        self._string_spans = ()
        self.nested = ()
        # Parse once and compile that tree: compiling the source would parse it a second time. The parse raises
        # every error the parser finds; compiling the tree adds the symbol-table and code-generation errors
        # (`return` outside a function, `nonlocal` at module level …), which is all compile(source) adds to it.
        try:
            tree = _parse(data)
        except (SyntaxError, ValueError, UnicodeDecodeError, LookupError) as e:
            self.error = _syntax_error(e)
            tree = None
        else:
            try:
                compile(tree, "<file>", "exec", dont_inherit=True)
                self.error = None
            except (SyntaxError, ValueError) as e:
                self.error = _syntax_error(e)
        if self.error is None:
            self._string_spans = _string_spans(tree)
            self.nested = _nested_statements(tree)
            self._region_info = _region_info(data, tree)
        self.size = len(data) + 64 * (len(self.nested) + len(self._string_spans)) + 1024

    def tree(self, docstrings):
        return _START_TREES.get(self, docstrings)

    def string_spans(self):
        return self._string_spans

    def region_info(self):
        # (line starts, top-level statement line spans, encoding), or None when region parsing is not safe.
        return self._region_info


def _string_spans(tree):
    # (first line, last line) of every literal that spans lines: a comment line inserted inside one would be
    # part of the string. Adjacent literals joined by concatenation count as one span (conservative).
    #
    # Only nodes that span lines are descended into: an expression or statement on one line holds nothing that
    # spans lines (the parser gives a node the positions of the tokens its rule consumed, its children's among
    # them). Definitions are always descended into, because their decorators sit above `lineno`, and so are
    # nodes without positions (arguments, withitem, match_case, comprehension). The same spans as walking every
    # node (ast.walk), at a fraction of the cost on large files.
    spans = []
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            end = getattr(child, "end_lineno", None)
            if end is not None and end == child.lineno and not isinstance(child, _DOC_HOLDERS):
                continue
            if isinstance(child, (ast.Constant, ast.JoinedStr)) and end is not None and end != child.lineno:
                if isinstance(child, ast.JoinedStr) or isinstance(child.value, (str, bytes)):
                    spans.append((child.lineno, end))
            stack.append(child)
    # Only membership is used; a literal inside a multi-line f-string can repeat its parent's span.
    return sorted(set(spans))


def _string_spans_every_node(tree):
    # The plain walk over every node, kept for the test that compares it with _string_spans (as sets).
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.end_lineno != node.lineno:
            if isinstance(node, ast.JoinedStr) or isinstance(node.value, (str, bytes)):
                spans.append((node.lineno, node.end_lineno))
    spans.sort()
    return spans


def _region_info(data, tree):
    # (line starts, top-level statement line spans, encoding), or None when region parsing is not safe for this
    # file: an encoding that is not ASCII-compatible, or `from __future__ import barry_as_FLUFL`, which changes
    # how the rest of the file parses.
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if codecs.lookup(enc).name not in _ASCII_COMPATIBLE:
            return None
    except (SyntaxError, LookupError):
        return None
    spans = []
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__" and any(
            a.name == "barry_as_FLUFL" for a in stmt.names
        ):
            return None
        spans.append((_first_line(stmt), stmt.end_lineno))
    return (_line_starts(data), spans, enc)


class _StartTrees:
    # The tree of a starting text per docstring mode, for the whole-file comparison. Only hacks and
    # answers the region shortcuts cannot judge need it, and each entry is large, so few are kept.
    def __init__(self, size=8):
        self.size = size
        self.items = {}

    def get(self, before, docstrings):
        k = (before.digest, docstrings)
        hit = self.items.pop(k, None)
        if hit is None:
            tree = _parse(before.data)  # a fresh tree: dropping docstrings mutates it
            if docstrings:
                _drop_docstrings(tree)
            hit = tree
            if len(self.items) >= self.size:
                self.items.pop(next(iter(self.items)))
        self.items[k] = hit
        return hit


_START_TREES = _StartTrees()


class _BeforeCache:
    # Starting texts by content hash, least recently used first out, bounded by their total size. The validity
    # gate verifies ~7 patches against one start, and an RL run scores many rollouts of each instance, so a start
    # is usually seen again; a miss costs a full compile and parse (~15 ms for a 30 KB file).
    def __init__(self, max_bytes=256 * 1024 * 1024, max_items=4096):
        self.max_bytes = max_bytes
        self.max_items = max_items
        self.bytes = 0
        self.items = {}

    def get(self, data):
        h = hashlib.sha1(data).digest()
        hit = self.items.pop(h, None)
        if hit is None:
            hit = _Before(data, h)
            self.bytes += hit.size
            while self.items and (self.bytes > self.max_bytes or len(self.items) >= self.max_items):
                self.bytes -= self.items.pop(next(iter(self.items))).size
        self.items[h] = hit
        return hit

    def get_by_digest(self, digest):
        # The cached start with this sha1 digest, or None when it is not (or no longer) cached.
        hit = self.items.pop(digest, None)
        if hit is not None:
            self.items[digest] = hit
        return hit


_ASCII_COMPATIBLE = frozenset(("utf-8", "utf-8-sig", "ascii", "latin-1", "iso8859-1", "iso8859-15", "cp1252", "iso8859-2"))


def _common_prefix(a, b, limit):
    # Length of the common prefix, by bisection on slice comparisons (memcmp in C): a byte loop in Python costs
    # more than the parse it saves.
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a, b, limit):
    lo, hi = 0, limit
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _changed_bytes(before, after):
    # [lo, hi) of `before`: the bytes between the longest common prefix and the longest common suffix of the two
    # texts (the suffix taken from what the prefix left), i.e. what an edit replaced.
    n = min(len(before), len(after))
    p = _common_prefix(before, after, n)
    return p, len(before) - _common_suffix(before, after, n - p)


def _cut_regions(before, after, start_off, end_off):
    # The bytes [start_off, end_off) of `before` and the bytes of `after` between the same unchanged prefix and
    # suffix, or None when a backslash continuation joins the region to the line above it, or the edited region
    # ends in one (the region would not end at a fresh line).
    if before[:start_off].rstrip(b"\r\n").endswith(b"\\"):
        return None
    region_a = after[start_off:len(after) - (len(before) - end_off)]
    if region_a.rstrip(b"\r\n").endswith(b"\\"):
        return None
    # The common suffix can begin inside a line of `after`: a line re-indented by "    " shares everything but
    # that indentation with `before`, so the indentation ends the region and the line itself lies in the
    # suffix, read in the file with an indentation the region's parse never saw. The region must end a line.
    if region_a and end_off < len(before) and region_a[-1:] not in (b"\n", b"\r"):
        return None
    return before[start_off:end_off], region_a


_COMMENT_LINE = re.compile(rb"[ \t\f]*(?:#[^\r\n\x00]*)?(?:\r\n|\r|\n)?")


_LINE_SPLIT = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _all_comment_lines(region):
    pos = 0
    while pos < len(region):
        m = _COMMENT_LINE.match(region, pos)
        if m is None or m.end() == pos:
            return False
        pos = m.end()
    return True


_FSTRING_PREFIXES = frozenset((b"f", b"rf", b"fr"))
_IDENT = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")


def _code_part(line):
    # The code of one physical line that is not inside a literal spanning lines: everything before its comment,
    # trailing blanks and the line end removed; None when the line holds something this small scanner does not
    # read with certainty (an f-string, an unterminated literal, a NUL, a lone "\r" inside). It reads like
    # CPython's tokenizer: names are read whole, a name that is a string prefix glued to a quote opens a string
    # with it, any other quote opens a string by itself (`if"#"` is `if` then "#").
    body = line.rstrip(b"\r\n")
    if b"\r" in body or b"\x00" in body:
        return None
    i = 0
    n = len(body)
    while i < n:
        c = body[i:i + 1]
        if c == b"#":
            return body[:i].rstrip(b" \t\f")
        m = _IDENT.match(body, i)
        if m:
            i = m.end()
            if body[i:i + 1] in (b"'", b'"'):
                word = m.group(0).lower()
                if word in _FSTRING_PREFIXES:
                    return None  # an f-string's braces may hold strings and "#"
            continue
        if c in (b"'", b'"'):
            quote = body[i:i + 3] if body[i:i + 3] in (b"'''", b'"""') else c
            j = i + len(quote)
            while True:
                k = body.find(quote, j)
                if k < 0:
                    return None
                # An odd number of backslashes before the quote escapes it (in raw strings too).
                bs = 0
                while k - bs - 1 >= j and body[k - bs - 1:k - bs] == b"\\":
                    bs += 1
                if bs % 2 == 0:
                    break
                j = k + 1
            i = k + len(quote)
            continue
        i += 1
    return body.rstrip(b" \t\f")


def _comment_lines_only(b, after):
    # True when `after` differs from `before` only by whole lines that are blank or hold only a comment (added,
    # removed or rewritten) and by comments added, changed or removed at the end of code lines, in any number of
    # places, each where the tokenizer ignores it: below line 2 (coding declarations), not inside a literal that
    # spans lines, not after a backslash continuation. Such lines produce no token, so the token stream, hence
    # the tree, is unchanged; no parse is needed. None means "cannot tell".
    #
    # The texts are cut to the lines between their common prefix and suffix (whole lines of `before`), and the
    # lines of that middle are aligned: identical lines pair up, a blank or comment-only line on either side is
    # an insertion or a deletion, and two code lines pair up only when their code (before any comment) is the
    # same. Any alignment that succeeds is a proof (the identical lines carry identical tokens, everything else
    # carries none), so a greedy one is enough; when it fails the caller tries the other ways.
    info = b.region_info()
    if info is None:
        return None
    starts, _, enc = info
    before = b.data
    n = min(len(before), len(after))
    p = _common_prefix(before, after, n)
    first = bisect.bisect_right(starts, p)  # 1-based line of before holding the first changed byte
    if first <= 2 or first - 1 >= len(starts):
        return None
    ls = starts[first - 1]
    # The suffix is matched back to the start of that line, not to p: an inserted "    # c\n" before "    def"
    # shares its indentation with the prefix, and only whole lines can be judged here.
    # The same for the suffix: it starts at a line start of `before` where `after` also has a line start (an
    # inserted "# c\n" under a blank line shares that blank line's "\n" with the suffix).
    s = _common_suffix(before, after, n - ls)
    k = bisect.bisect_left(starts, len(before) - s)
    while k < len(starts) and starts[k] < len(before) and after[len(after) - (len(before) - starts[k]) - 1:][:1] not in (b"\n", b"\r"):
        k += 1
    he = starts[k] if k < len(starts) else len(before)
    tail = len(before) - he
    if len(after) - tail < ls:
        return None
    mid_b = before[ls:he]
    mid_a = after[ls:len(after) - tail]
    # Line ends must not merge across the middle's edges ("\r" + "\n"), and the middle must end where a line ends.
    if ls > 0 and before[ls - 1:ls] == b"\r" and mid_a[:1] == b"\n":
        return None
    if tail and before[he:he + 1] == b"\n" and (mid_a[-1:] == b"\r" or (not mid_a and before[ls - 1:ls] == b"\r")):
        return None
    if mid_a and tail and mid_a[-1:] not in (b"\n", b"\r"):
        return None
    try:
        mid_a.decode(enc)
    except UnicodeDecodeError:
        return None
    lines_b = _LINE_SPLIT.findall(mid_b)
    lines_a = _LINE_SPLIT.findall(mid_a)
    offsets = [ls]  # byte offset in before where each line of the middle starts
    for line in lines_b:
        offsets.append(offsets[-1] + len(line))
    spans = b.string_spans()
    i = j = 0
    nb, na = len(lines_b), len(lines_a)
    hunk = None  # index in lines_b where the current run of differences starts
    while i < nb or j < na:
        if i < nb and j < na and lines_b[i] == lines_a[j]:
            if hunk is not None and not _comment_hunk_ok(before, spans, offsets[hunk], first + hunk, first + i - 1):
                return None
            hunk = None
            i += 1
            j += 1
            continue
        if hunk is None:
            hunk = i
        if j < na and _all_comment_lines(lines_a[j]):
            j += 1
        elif i < nb and _all_comment_lines(lines_b[i]):
            i += 1
        elif i < nb and j < na:
            # Two code lines: equal up to a trailing comment, on a line no literal spans.
            line = first + i
            if any(a <= line <= z for a, z in spans):
                return None
            ca, cb = _code_part(lines_a[j]), _code_part(lines_b[i])
            if ca is None or cb is None or ca != cb or ca.endswith(b"\\"):
                return None
            i += 1
            j += 1
        else:
            return None
    if hunk is not None and not _comment_hunk_ok(before, spans, offsets[hunk], first + hunk, first + nb - 1):
        return None
    return True


def _comment_hunk_ok(before, spans, start_off, first, last):
    # Lines first..last of `before` (last < first: a pure insertion before line `first`) are replaced by lines
    # that carry no token. Sound when the tokenizer is at a fresh line there: no backslash continuation runs into
    # the hunk, and no literal spans any line boundary the hunk touches (first-1 .. max(first-1, last)).
    if first <= 2:
        return False
    if before[:start_off].rstrip(b"\r\n").endswith(b"\\"):
        return False
    lo_k = first - 1
    hi_k = max(first - 1, last)
    for a, z in spans:
        if a > hi_k:
            break
        if z > lo_k:
            return False
    return True


def _changed_lines(b, after):
    # (region info, [lo, hi) changed bytes of before, first and last 1-based line of before holding them), or None
    # when the start's encoding or future imports rule out judging regions.
    info = b.region_info()
    if info is None:
        return None
    starts = info[0]
    lo, hi = _changed_bytes(b.data, after)
    first = bisect.bisect_right(starts, lo)
    last = max(first, bisect.bisect_right(starts, max(lo, hi - 1)))
    return info, lo, hi, first, last


def _region_equal(b, after, docstrings):
    # Judged on the top-level statements that enclose the changed bytes: True when the change provably leaves
    # the tree unchanged, (line, reason) when it provably changes it, None when that cannot be decided this way
    # (the caller then parses the whole file).
    #
    # Why this is exact: the changed bytes lie inside lines [first, last] of `before`, widened to whole top-level
    # statements, with at least two untouched lines at the top (BOM, coding cookie). Those lines start where
    # CPython's tokenizer is at a fresh logical line: no open bracket or string (top-level statements are
    # complete), no backslash continuation (checked). The bytes before the region are identical in `after`, so
    # the tokenizer reaches the region in the same state there. The region of `after` must parse on its own as
    # a module: its first token is then in column 0 (an indented one is "unexpected indent"), which closes every
    # open block exactly as at the start of a module, and it ends complete (no open bracket, string, block
    # header or backslash). What follows is byte-identical to what followed in `before`, where it began a fresh
    # line too. So the whole tree of `after` is the tree of `before` with the region's statements replaced,
    # and equal region trees mean equal file trees. Any failure or difference falls back to the full parse.
    change = _changed_lines(b, after)
    if change is None:
        return None
    (starts, spans, enc), lo, hi, first, last = change
    before = b.data
    if first <= 2:
        return None
    # Widen to whole top-level statements, to a fixed point.
    changed = True
    while changed:
        changed = False
        for a, z in spans:
            if a <= last and z >= first and (a < first or z > last):
                first, last = min(first, a), max(last, z)
                changed = True
    if first <= 2:
        return None
    if first - 1 >= len(starts) or last >= len(starts):
        return None
    start_off = starts[first - 1]
    end_off = starts[last] if last < len(starts) else len(before)
    if start_off > lo or end_off < hi:
        return None
    regions = _cut_regions(before, after, start_off, end_off)
    if regions is None:
        return None
    region_b, region_a = regions
    module_doc = not any(z < first for _, z in spans)
    try:
        ta = ast.parse(region_a.decode(enc), "<region>", "exec")
        tb = ast.parse(region_b.decode(enc), "<region>", "exec")
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return None
    if docstrings:
        whole_module = all(first <= a and z <= last for a, z in spans)
        _drop_docstrings(ta, module_doc, whole_module)
        _drop_docstrings(tb, module_doc, whole_module)
    if _same(ta, tb):
        return True
    # The file's tree is the region's statements between unchanged ones, so a difference here is a difference
    # of the whole file; its line is the region's line moved to the region's place.
    # Region line r is line first + r - 1 of the file; the edit starts on the file's line holding byte lo.
    line, reason = _first_difference(tb, ta, bisect.bisect_right(starts, lo) - first + 1)
    return (first - 1 + line, reason)


def _nested_statements(tree):
    # (first line, last line, depth) of every statement that could stand for a nested region: inside a
    # definition or block (depth >= 1), not the first of its list (an insertion before the first statement of a
    # body could become that body's docstring), alone on its lines (the neighbours in its list end before its
    # first line and start after its last). Decorators count as part of their definition.
    out = []
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        for field in _BODY_FIELDS:
            items = getattr(node, field, None)
            if not isinstance(items, list):
                continue
            for i, stmt in enumerate(items):
                if not isinstance(stmt, ast.AST):
                    continue
                stack.append((stmt, depth + 1))
                if depth < 1 or i == 0 or not isinstance(stmt, ast.stmt):
                    continue
                first = stmt.lineno
                for d in getattr(stmt, "decorator_list", ()):
                    first = min(first, d.lineno)
                prev = items[i - 1]
                nxt = items[i + 1] if i + 1 < len(items) else None
                if prev.end_lineno >= first or (nxt is not None and _first_line(nxt) <= stmt.end_lineno):
                    continue
                out.append((first, stmt.end_lineno, depth))
    return out


def _first_line(stmt):
    first = stmt.lineno
    for d in getattr(stmt, "decorator_list", ()):
        first = min(first, d.lineno)
    return first


_INDENT = re.compile(rb"[ \t\f]*")


def _nested_region_equal(b, after, docstrings):
    # Judged on the innermost nested statement that encloses the changed bytes (a method inside a large class,
    # not the whole class): True, (line, reason) or None as for _region_equal.
    #
    # Why this is exact: the statement's lines [first, last] start with its indentation S (the bytes before its
    # first token) and every non-blank line of the region, before and after the edit, starts with those same
    # bytes. The region is parsed as the body of `if 1:`. Every indentation the tokenizer measures inside the
    # region is S followed by more, measured from the same bytes as in the file, so tab-size consistency and
    # every indent and dedent inside the region come out as in the file, and no line of it can dedent below S
    # (which would close the enclosing blocks). The region begins at a fresh logical line (the previous
    # statement of the list ended on an earlier line, no backslash continuation) and, parsing completely on its
    # own, ends at one (no open bracket, string, block header or continuation); its final line end is unchanged,
    # so what follows is read as before. The statement is not the first of its body, so nothing inserted at its
    # top can become a docstring; docstrings inside it are the same in both parses. So the file's tree is the
    # tree of `before` with this statement's subtree replaced by the region's statements.
    change = _changed_lines(b, after)
    if change is None:
        return None
    (starts, _, enc), lo, hi, first, last = change
    before = b.data
    best = None
    for a, z, depth in b.nested:
        if a <= first and z >= last and a > 2 and (best is None or depth > best[2]):
            best = (a, z, depth)
    if best is None or best[1] >= len(starts):
        return None
    first, last = best[0], best[1]
    start_off, end_off = starts[first - 1], starts[last]
    indent = _INDENT.match(before, start_off).end() - start_off
    # The change starts after the first character of the statement (so the region's first physical line is S
    # and that character, and the wrapper's block takes S as its indentation exactly as the file's block does;
    # whitespace or a backslash line inserted at that point would indent the region's first logical line
    # differently) and leaves the region's final line end in place.
    if lo <= start_off + indent or hi >= end_off or not before[end_off - 1:end_off] in (b"\n", b"\r"):
        return None
    regions = _cut_regions(before, after, start_off, end_off)
    if regions is None:
        return None
    region_b, region_a = regions
    prefix = before[start_off:start_off + indent]
    for region in (region_a, region_b):
        for line in _LINE_SPLIT.findall(region):
            if not line.startswith(prefix) and line.strip(b" \t\f\r\n") != b"":
                return None
    try:
        ta = ast.parse(b"if 1:\n".decode(enc) + region_a.decode(enc), "<region>", "exec")
        tb = ast.parse(b"if 1:\n".decode(enc) + region_b.decode(enc), "<region>", "exec")
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return None
    if docstrings:
        _drop_docstrings(ta, False)
        _drop_docstrings(tb, False)
    if _same(ta, tb):
        return True
    # Region line r (after the `if 1:` line) is line first + r - 2 of the file.
    line, reason = _first_difference(tb, ta, bisect.bisect_right(starts, lo) - first + 2)
    return (first - 2 + line, reason)


_before_cache = _BeforeCache()


def _shebang_change(before, after):
    # A `#!` first line is a comment for CPython but names the program that runs the file when it is executed
    # (`./tool.py`): changing or removing it changes what runs, so it is no comment edit. Adding one to a file
    # that had none is harmless (the file's mode, which a patch cannot change unnoticed, decides whether it runs).
    if not before.startswith(b"#!"):
        return None
    old = _LINE_END.split(before, 1)[0]
    new = _LINE_END.split(after, 1)[0]
    if old == new:
        return None
    return {"equal": False, "line": 1, "reason": "the #! line (the program that runs the file) was changed or removed"}


def op_check(req):
    err = _compile_error(base64.b64decode(req["src"]))
    return {"ok": True} if err is None else dict(ok=False, **err)


def _after_bytes(req, before):
    # "after" is the whole text, or "after_mid" is what replaced the bytes between the first "keep_head" and the
    # last "keep_tail" bytes of the start (the client sends only what an edit changed).
    if "after" in req:
        return base64.b64decode(req["after"])
    head, tail = int(req["keep_head"]), int(req["keep_tail"])
    if head < 0 or tail < 0 or head + tail > len(before):
        raise ValueError("keep_head/keep_tail outside the starting text")
    return before[:head] + base64.b64decode(req["after_mid"]) + before[len(before) - tail:]


def op_compare(req):
    docstrings = bool(req.get("docstrings"))
    if "before" in req:
        b = _before_cache.get(base64.b64decode(req["before"]))
    else:
        # The client names a start it sent before by its sha1; when this worker no longer holds it, the client
        # sends the text.
        b = _before_cache.get_by_digest(bytes.fromhex(req["before_sha1"]))
        if b is None:
            return {"need_before": True}
    before = b.data
    after = _after_bytes(req, before)
    if b.error is not None:
        return dict(error="start-does-not-parse", **b.error)
    if before == after:
        return {"equal": True}
    shebang = _shebang_change(before, after)
    if shebang is not None:
        return shebang
    if req.get("region", True):
        if _comment_lines_only(b, after):
            _STATS["comment-lines"] += 1
            return {"equal": True, "region": "comment-lines"}
        verdict = _nested_region_equal(b, after, docstrings)
        if verdict is None:
            verdict = _region_equal(b, after, docstrings)
        if verdict is True:
            _STATS["statements"] += 1
            return {"equal": True, "region": "statements"}
        if verdict is not None:
            _STATS["statements"] += 1
            return {"equal": False, "line": verdict[0], "reason": verdict[1], "region": "statements"}
    _STATS["whole-file"] += 1
    try:
        tree = _parse(after)
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError) as e:
        return dict(error="parse-error", **_syntax_error(e))
    if docstrings:
        _drop_docstrings(tree)
    before_tree = b.tree(docstrings)
    if _same(before_tree, tree):
        # Same tree as a text that compiles: the compiler's later checks (symbol table, code generation) only see
        # the tree, so `after` compiles too.
        return {"equal": True}
    err = _compile_error(after)
    if err is not None:
        return dict(error="parse-error", **err)
    info = b.region_info()  # line starts, when the encoding keeps bytes and lines aligned
    unchanged_before = bisect.bisect_right(info[0], _changed_bytes(before, after)[0]) if info is not None else 0
    line, reason = _first_difference(before_tree, tree, unchanged_before)
    return {"equal": False, "line": line, "reason": reason}


# How many comparisons each way decided (the shortcuts or the whole-file parse), for tests and benchmarks.
_STATS = {"comment-lines": 0, "statements": 0, "whole-file": 0}


def op_stats(req):
    return {"decided_by": dict(_STATS), "cached_starts": len(_before_cache.items), "cached_bytes": _before_cache.bytes}


def op_forget(req):
    # Drops every cached starting text (benchmarks time first sight with it).
    global _before_cache, _START_TREES
    _before_cache = _BeforeCache()
    _START_TREES = _StartTrees()
    return {"ok": True}


OPS = {
    "version": lambda req: {"version": "%d.%d.%d" % sys.version_info[:3]},
    "forget": op_forget,
    "stats": op_stats,
    "check": op_check,
    "compare": op_compare,
}


def main():
    out = sys.stdout
    for raw in sys.stdin:
        if not raw.strip():
            continue
        rid = None
        try:
            req = json.loads(raw)
            rid = req.get("id")
            if req.get("op") == "exit":
                break
            res = OPS[req["op"]](req)
        except Exception as e:  # noqa: BLE001 - a bad request must not stop the worker
            res = {"fatal": "%s: %s" % (type(e).__name__, e)}
        res["id"] = rid
        out.write(json.dumps(res) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
