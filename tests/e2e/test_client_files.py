"""The client's files keep the promises a browser cannot check by itself."""

import hashlib
import os
import re


from tests.support import ROOT

CLIENT = os.path.join(ROOT, "client")


def _client_files(ext):
    for folder, _, files in os.walk(CLIENT):
        if os.path.join(CLIENT, "vendor") in folder:
            continue
        for name in files:
            if name.endswith(ext):
                yield os.path.join(folder, name)


def test_the_vendored_socketio_client_is_the_published_file_named_in_its_readme():
    vendor = os.path.join(CLIENT, "vendor")
    with open(os.path.join(vendor, "socket.io.esm.min.js"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(vendor, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    with open(os.path.join(vendor, "VERSION"), encoding="utf-8") as f:
        version = f.read().strip()
    assert digest in readme
    assert re.match(r"^4\.\d+\.\d+$", version) and version in readme
    assert os.path.exists(os.path.join(vendor, "socket.io-client.LICENSE"))


def test_the_page_has_no_inline_script_or_style_for_the_csp_to_block():
    with open(os.path.join(CLIENT, "index.html"), encoding="utf-8") as f:
        html = f.read()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"<style\b", html), "inline <style>"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_no_module_parses_text_as_html():
    for path in _client_files(".js"):
        with open(path, encoding="utf-8") as f:
            source = f.read()
        for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert risky not in source, f"{os.path.relpath(path, ROOT)} uses {risky}"


KINDS = ("speaker_listener", "imago", "cards", "checkin", "timed_turns", "brainstorm", "timed_together", "look_back")
STEPS = os.path.join(CLIENT, "js", "views", "steps")
MAX_LINES = 350


def test_no_module_outside_the_step_folder_names_a_step_kind():
    """A new kind is one module in views/steps/ and one line in its index: no screen asks for a kind by name."""
    literal = re.compile(r"""(["'`])(%s)\1""" % "|".join(KINDS))
    found = []
    for path in _client_files(".js"):
        if os.path.dirname(path) == STEPS:
            continue
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if literal.search(line):
                    found.append(f"{os.path.relpath(path, ROOT)}:{number}: {line.strip()}")
    assert not found, "step kinds named outside client/js/views/steps/:\n" + "\n".join(found)


def test_no_client_module_is_longer_than_350_lines():
    long = []
    for path in _client_files(".js"):
        with open(path, encoding="utf-8") as f:
            count = sum(1 for _ in f)
        if count > MAX_LINES:
            long.append(f"{os.path.relpath(path, ROOT)}: {count} lines")
    assert not long, f"client modules over {MAX_LINES} lines:\n" + "\n".join(long)
