"""The dashboard's pure logic (smoothing, downsampling, the spec diff, histogram rebinning) as the
browser runs it: the same ES modules, under node's test runner (tests/dashboard/js/*.test.mjs)."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "js"


def test_dashboard_modules_pass_their_node_tests():
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("node is missing: the dashboard's logic tests need it")
        pytest.skip("node is missing")
    files = sorted(str(p) for p in HERE.glob("*.test.mjs"))
    assert files, "no node tests found"
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
