"""Run a script (here: build.py) in this process, then print the peak memory of this process and of the
largest process it started (the helper), in MiB, as the last line on stderr: ``peak OWN HELPER``.

Run: python bench/peak.py build.py ARGS…   (used by build_speed.py; the sum is what the build needs)
"""

from __future__ import annotations

import resource
import runpy
import sys

if __name__ == "__main__":
    sys.argv = sys.argv[1:]
    code: object = 0
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    except SystemExit as exc:
        code = exc.code
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak {own:.1f} {helper:.1f}", file=sys.stderr)
    sys.exit(code)
