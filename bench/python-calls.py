# Prints, for every function in the given Python files, the position of each call's callee NAME identifier,
# as JSON lines: {"file", "function", "line", "calls": [[line, utf16_column], ...]}. Used by bench/resolve.ts.
# ast reports UTF-8 byte columns; the resolvers take UTF-16 columns, so every column is converted here.
import ast
import json
import sys


def utf16_column(line_bytes, byte_col):
    return len(line_bytes[:byte_col].decode("utf-8", "replace").encode("utf-16-le")) // 2


def callee_name_position(func):
    if isinstance(func, ast.Name):
        return func.lineno, func.col_offset
    if isinstance(func, ast.Attribute) and func.end_lineno is not None and func.end_col_offset is not None:
        return func.end_lineno, func.end_col_offset - len(func.attr.encode("utf-8"))
    return None


def calls_in(fn):
    # The body only: the function's own decorators and defaults run in the enclosing scope.
    out = []
    for stmt in fn.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                pos = callee_name_position(node.func)
                if pos:
                    out.append(pos)
    return out


def main():
    root = sys.argv[1]
    for rel in sys.argv[2:]:
        data = open(f"{root}/{rel}", "rb").read()
        lines = data.split(b"\n")
        try:
            tree = ast.parse(data)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                calls = [[ln, utf16_column(lines[ln - 1], col)] for ln, col in calls_in(node)]
                print(json.dumps({"file": rel, "function": node.name, "line": node.lineno, "calls": calls}))


main()
