"""The CI entry point's choice of system packages (.ci/run), run against stand-in commands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(BASH is None, reason="no bash")


def _stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text("#!" + str(BASH) + "\n" + body + "\n")
    path.chmod(0o755)


def _ci_run(tmp_path: Path, browser: str | None, uid: int = 0,
            sudo: bool = True) -> subprocess.CompletedProcess[str]:
    """.ci/run on a PATH holding only stand-ins, as user ``uid`` (``id -u``), with or
    without a ``sudo``; apt-get logs its arguments to ``apt.log``, sudo to ``sudo.log``.

    The CJK font is reported present, so only the browser decides; `make` does nothing, so
    neither the tests nor the report run.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "grep", "env"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    log = tmp_path / "apt.log"
    _stub(bin_dir, "fc-list", 'echo "/usr/share/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK JP:style=Regular"')
    _stub(bin_dir, "apt-get", f'echo "$*" >> "{log}"')
    _stub(bin_dir, "make", "exit 0")
    _stub(bin_dir, "id", f"echo {uid}")
    if sudo:
        # -n or nothing: a sudo that may prompt would hang CI
        _stub(bin_dir, "sudo", f'[ "$1" = "-n" ] || exit 9\nshift\necho "$*" >> "{tmp_path / "sudo.log"}"\nexec "$@"')
    if browser is not None:
        _stub(bin_dir, browser, "exit 0")
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "METAREVIEW_TEST_SLURM": "0"}
    return subprocess.run([str(BASH), str(ROOT / ".ci" / "run")], env=env, check=False, capture_output=True,
                          text=True)


def _installed_packages(tmp_path: Path, browser: str | None) -> list[str]:
    """The packages .ci/run asks apt-get to install (:func:`_ci_run`, as root)."""
    run = _ci_run(tmp_path, browser)
    assert run.returncode == 0, run.stderr
    log = tmp_path / "apt.log"
    if not log.exists():
        return []
    installs = [line.split() for line in log.read_text().splitlines() if line.startswith("install")]
    return [word for line in installs for word in line[1:] if not word.startswith("-")]


def test_ci_run_is_valid_bash() -> None:
    subprocess.run([str(BASH), "-n", str(ROOT / ".ci" / "run")], check=True)


# The names the print tests' `chromium` fixture (tests/report/conftest.py) accepts.
@pytest.mark.parametrize("browser", ["chromium", "chromium-browser", "google-chrome"])
def test_ci_run_installs_no_browser_when_the_fixture_would_find_one(tmp_path: Path, browser: str) -> None:
    assert _installed_packages(tmp_path, browser) == []


def test_ci_run_installs_chromium_when_no_browser_is_found(tmp_path: Path) -> None:
    assert _installed_packages(tmp_path, None) == ["chromium"]


def test_ci_run_says_what_it_installs_and_uses_sudo_when_not_root(tmp_path: Path) -> None:
    # A hosted runner's user with passwordless sudo: apt-get as that user failed on its
    # lock, with apt's message alone in the log.
    run = _ci_run(tmp_path, None, uid=1000)
    assert run.returncode == 0, run.stderr
    assert "Installing chromium (Debian): the PDF tests typeset CJK names, the print tests use Chromium" in run.stderr
    assert "apt-get install -y -qq chromium" in (tmp_path / "sudo.log").read_text()


def test_ci_run_without_root_or_sudo_says_what_to_install(tmp_path: Path) -> None:
    run = _ci_run(tmp_path, None, uid=1000, sudo=False)
    assert run.returncode == 1
    assert run.stderr.rstrip().endswith("Not root and no sudo: install chromium, or run .ci/run as root")
    assert not (tmp_path / "apt.log").exists()
