"""Facts about the machine a benchmark ran on, recorded in every results file."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        info["nproc"] = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout)
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        info["cpu_model"] = next(
            (x.split(":", 1)[1].strip() for x in lscpu.splitlines() if x.startswith("Model name")),
            "?",
        )
        mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
        info["mem_total_gb"] = round(int(mem) / 1024 / 1024, 1)
    except (OSError, ValueError, StopIteration):
        pass
    return info
