// The Python code the verdict runners of func-gen exec share (the unittest and pytest wrappers and the RePoST
// eval runner): read the report key (then delete it, before any test or
// candidate code is imported), and later write the HMAC-signed report once. `_hgym_writer()` returns
// `write(runner, outcome, passed, failed)`.

import { KEY_FILE, REPORT_FILE } from "./test-command.js";

export const PY_WRITER = `import hashlib as _hh, hmac as _hm, json as _js, os as _os, sys as _sys
_HGYM_DIR = _os.path.dirname(_os.path.abspath(__file__))


def _hgym_writer():
    path = _os.path.join(_HGYM_DIR, "${KEY_FILE}")
    with open(path, encoding="ascii") as fh:
        key = fh.read().strip().encode("ascii")
    _os.unlink(path)
    out = _os.path.join(_HGYM_DIR, "${REPORT_FILE}")

    def write(runner, outcome, passed, failed):
        body = _js.dumps({"runner": runner, "outcome": outcome, "passed": sorted(passed), "failed": sorted(failed)}, sort_keys=True)
        mac = _hm.new(key, body.encode("utf-8"), _hh.sha256).hexdigest()
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(_js.dumps({"body": body, "mac": mac}))

    return write
`;
