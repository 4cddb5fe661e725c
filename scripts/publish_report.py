"""Rule publish_report: the rendered report into build/report/, replacing the last pair whole."""

import json
from pathlib import Path

from metareview.io import sha256_file, write_bytes_atomic, write_text_atomic
from metareview.render import publish_report

HISTORY = Path("results/history/key_results.json")


def main(job):
    published = publish_report(job.input.html, job.input.pdf, Path(job.output.html).parent, job.input.audit)
    # The next build's report says what changed relative to this one, and names it by its
    # date and source commit ("built"). After the report: a build killed in between runs
    # this job again, which records it then. Rewritten only when it changes: a report
    # published again unchanged (deleted by hand) leaves it as it was. Rewritten when only
    # "built" changed (the same sources committed after a draft, a template edit turning
    # the commit into "+ uncommitted changes"): kept, the next report named as its last
    # build a draft readers no longer had. Its results being those recorded already, the
    # end of the build announces nothing for it (rules/common.smk, new_results_published).
    keys = Path(job.input.key_results).read_bytes()
    before = json.loads(HISTORY.read_bytes()) if HISTORY.exists() else None
    if before != json.loads(keys):
        write_bytes_atomic(HISTORY, keys)
    # Last: the job's proof of completion (sha256sum -c checks build/report/ against it).
    write_text_atomic(job.output.digest, "".join(f"{sha256_file(p)}  {p}\n" for p in published))
    job.logger.info("published %s", ", ".join(map(str, published)))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
