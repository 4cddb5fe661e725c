# Ctrl-C while Snakemake reads the workflow and plans the jobs ends with the line every
# interrupted build ends with (metareview.buildstamp.INTERRUPTED_NOTE), not a traceback
# of whatever code it stopped: nothing is written before the jobs start. Once Snakemake
# has its job scheduler, Ctrl-C is Snakemake's again: it stops the jobs and removes their
# partial outputs.

import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from metareview.buildstamp import default_ctrl_c, quiet_ctrl_c

# A job's own process (on a cluster) is stopped by its scheduler, not by Ctrl-C.
if workflow.is_main_process:
    quiet_ctrl_c(jobs_started=lambda: workflow.scheduler is not None)
else:
    default_ctrl_c()
