// The Python check shared by the unittest wrapper and the RePoST eval runner: is this a value that compares
// equal to anything? `unittest.mock.ANY`, or an object whose class makes `==` always true (a str or float
// subclass returning True), passes every equality assertion while computing nothing. The probe is a fresh object
// of a private class: no genuine value equals it (its own `==` is identity), so a value that claims to is lying.
// Plain containers are looked into two levels deep (a list of ANY equals any list of the same length); a
// `mock.call` built by the tests themselves is left alone.

export const PY_EQUALS_ANYTHING = `
_HGYM_PROBE = type("_HgymProbe", (), {})()


def _hgym_equals_anything(value, depth=0):
    try:
        if (value == _HGYM_PROBE) is True:
            return True
    except Exception:
        pass
    if depth >= 2 or type(value).__name__ == "_Call":
        return False
    items = value.values() if type(value) is dict else value if type(value) in (list, tuple, set, frozenset) else ()
    return any(_hgym_equals_anything(item, depth + 1) for item in list(items)[:200])
`;

// The same refusal where the value is made: the test wrappers (unittest, pytest) swap the code of the function
// under test, once the tests have imported it, for a trampoline that calls a copy of it and refuses a result equal
// to anything, so plain `assert f(x) == y` is covered too, whatever the test compares with. The function is named
// by `target.json` in the wrapper's directory ({file, qualname}). Left alone: a function that is not reachable by
// its qualname (nested), has free variables (`super()`, closures), or is a generator or coroutine function (its
// result is not the value the tests compare). `_HGYM_GUARDED` holds (function, trampoline code) for the wrappers'
// fingerprint: a body that restores its own code is caught as tampering.
export const PY_RETURN_GUARD = `
_HGYM_GUARDED = []


def _hgym_refuse_equals_anything(value):
    if _hgym_equals_anything(value):
        raise AssertionError("hgym: the function under test returned a %s that compares equal to anything" % type(value).__name__)
    return value


def _hgym_guard_target():
    import inspect as _inspect, types as _types
    try:
        with open(_os.path.join(_HGYM_DIR, "target.json"), encoding="utf-8") as fh:
            target = _js.load(fh)
    except OSError:
        return
    path = _os.path.realpath(_os.path.join(_os.getcwd(), target["file"]))
    parts = target["qualname"].split(".")
    for module in list(_sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or _os.path.realpath(file) != path:
            continue
        owner = module
        try:
            for part in parts[:-1]:
                owner = getattr(owner, part)
            raw = vars(owner)[parts[-1]]
        except (AttributeError, KeyError, TypeError):
            continue
        fn = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
        if not isinstance(fn, _types.FunctionType) or any(code is fn.__code__ for _f, code in _HGYM_GUARDED):
            continue
        code = fn.__code__
        if code.co_freevars or code.co_flags & (0x20 | 0x80 | 0x100 | 0x200):
            continue
        original = _types.FunctionType(code, fn.__globals__, fn.__name__, fn.__defaults__, None)
        original.__kwdefaults__ = fn.__kwdefaults__
        key = "_hgym_original_%d" % id(fn)
        fn.__globals__[key] = original
        fn.__globals__["_hgym_refuse_equals_anything"] = _hgym_refuse_equals_anything
        scope = {}
        exec("def trampoline(*args, **kwargs):\\n    return _hgym_refuse_equals_anything(%s(*args, **kwargs))\\n" % key, fn.__globals__, scope)
        try:
            fn.__signature__ = _inspect.signature(original)
        except (TypeError, ValueError):
            pass
        names = {"co_name": code.co_name, "co_filename": code.co_filename, "co_firstlineno": code.co_firstlineno}
        if hasattr(code, "co_qualname"):  # python 3.11+
            names["co_qualname"] = code.co_qualname
        fn.__code__ = scope["trampoline"].__code__.replace(**names)
        _HGYM_GUARDED.append((fn, fn.__code__))
`;
