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
