"""Every document the server's code points a reader to is in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MENTION = re.compile(r"[A-Za-z0-9_./-]+\.md\b")


def test_every_markdown_file_the_server_code_mentions_exists_in_the_repository():
    mentions = {(path.relative_to(ROOT).as_posix(), name)
                for path in (ROOT / "server").rglob("*.py")
                for name in MENTION.findall(path.read_text())}
    missing = sorted((where, name) for where, name in mentions if not (ROOT / name).is_file())
    assert missing == []
