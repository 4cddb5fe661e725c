# Checks the config files before Snakemake loads them (the configfile directive follows):
# the Snakefile's own, as Snakemake finds it (relative to the working directory), and any
# given with --configfile. The check itself is metareview.plan.check_config_file.

import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from metareview.plan import ConfigError, check_config_file, stop_message

try:
    for _path in ["config/config.yaml", *(workflow.overwrite_configfiles or [])]:
        # A file that is missing is Snakemake's to report.
        if Path(_path).is_file():
            check_config_file(_path, label=str(_path))
except ConfigError as exc:
    print(stop_message(str(exc)), file=sys.stderr)
    sys.exit(1)
