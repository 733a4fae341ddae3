"""The container check removes and answers for what its own run made, never another run's leftovers
(CI once failed on containers an earlier run, stopped by force, had left on the same machine)."""
from __future__ import annotations

import shutil
import subprocess

from deploy import container_check


class FakePodman(container_check.Check):
    """A Check whose podman is a table: names it lists and the commands it was given."""

    def __init__(self, listed: list[str]) -> None:
        super().__init__()
        self.listed, self.given = listed, []

    def missing(self, *tools: str) -> list[str]:
        return []                            # podman is this table, on any machine

    def close_log(self) -> list[str]:       # the real one keeps the log as the last run's
        self.log.close()
        shutil.rmtree(self.work)
        return []

    def run(self, *cmd, check=True, **kw):
        self.given.append(cmd)
        names = "\n".join(self.listed) if cmd[:2] == ("podman", "ps") else ""
        return subprocess.CompletedProcess(cmd, 1 if cmd[1:3] == ("image", "exists") else 0, names, "")


def test_another_runs_containers_are_left_alone_and_not_counted(capsys):
    check = FakePodman([])
    check.listed = [f"likelihood-check-{check.id}_app_1", "likelihood-check-0000ffff_app_1"]
    left = check.cleanup()
    assert left == [f"likelihood-check-{check.id}_app_1"]
    assert "likelihood-check-0000ffff_app_1" in capsys.readouterr().out
    assert not any("0000ffff" in " ".join(cmd) for cmd in check.given if "rm" in cmd)


def test_nothing_left_when_only_another_run_has_containers():
    check = FakePodman(["likelihood-check-0000ffff_app_2"])
    assert check.cleanup() == []
