# Checks the config files before Snakemake loads them (the configfile directive follows):
# the Snakefile's own, as Snakemake finds it (relative to the working directory), and any
# given with --configfile. The check itself is metareview.plan.check_config_files.

import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from metareview.plan import ConfigError, check_config_files, stop_message

try:
    check_config_files("config/config.yaml", workflow.overwrite_configfiles or [])
except ConfigError as exc:
    print(stop_message(str(exc)), file=sys.stderr)
    sys.exit(1)
