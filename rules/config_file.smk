# Checks config/config.yaml before Snakemake loads it (the configfile directive follows).

import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from metareview.plan import ConfigError, check_config_file

try:
    check_config_file(
        Path(workflow.basedir) / "config/config.yaml", label="config/config.yaml"
    )
except ConfigError as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
