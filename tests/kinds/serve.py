"""`python -m tests.kinds.serve`: the real server with the test-only echo kind, added through the contract alone.

The browser test of a new kind (tests/e2e/test_a_new_step_kind.py) runs this
instead of `python -m server`: it writes the echo library into a temporary
folder, points EXERCISES_DIR at it and runs the server's own main() inside
`intents.added_kinds(echo)`.
"""

import server.__main__ as entry  # first: it monkey-patches before anything else is imported

import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

from server.domain import intents  # noqa: E402
from tests.kinds import echo  # noqa: E402


def main() -> int:
    folder = echo.library_folder(tempfile.mkdtemp(prefix="attune-echo-"))
    os.environ["EXERCISES_DIR"] = str(folder)
    with intents.added_kinds(echo):
        return entry.main()


if __name__ == "__main__":
    sys.exit(main())
