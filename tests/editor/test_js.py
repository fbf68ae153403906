"""The editor's pure logic (graph edits, undo history, shape memory, params' `when`) as the browser runs
it: the same ES modules, under node's test runner (tests/editor/js/*.test.mjs)."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "js"


def test_editor_modules_pass_their_node_tests():
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("node is missing: the editor's logic tests need it")
        pytest.skip("node is missing")
    files = sorted(str(p) for p in HERE.glob("*.test.mjs"))
    assert files, "no node tests found"
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
