# Ctrl-C while Snakemake reads the workflow and plans the jobs ends with the line every
# interrupted build ends with (metareview.buildstamp.INTERRUPTED_NOTE), not a traceback
# of whatever code it stopped: nothing is written before the jobs start. Once Snakemake
# schedules jobs, Ctrl-C is Snakemake's again: it stops the jobs and removes their partial
# outputs.

import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from metareview.buildstamp import default_ctrl_c, quiet_ctrl_c

# Snakemake makes its job scheduler, then prints the job stats (importing modules for it)
# and runs the onstart handler, and only then schedules jobs, the first moment it handles
# Ctrl-C itself: the handler below marks that moment. With --no-hooks it never runs, and
# the scheduler's existence marks it, as near as can be.
_SCHEDULING = []


def _jobs_started():
    if workflow.scheduler is None:
        return False
    # (The run's settings exist once the scheduler does.)
    return bool(_SCHEDULING) or workflow.execution_settings.no_hooks


onstart:
    _SCHEDULING.append(True)
    tell_blas_note()  # rules/common.smk


# A job's own process (on a cluster) is stopped by its scheduler, not by Ctrl-C.
if workflow.is_main_process:
    quiet_ctrl_c(jobs_started=_jobs_started)
else:
    default_ctrl_c()
