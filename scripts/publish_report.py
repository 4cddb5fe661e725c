"""Rule publish_report: the rendered report into build/report/, replacing the last pair whole."""

import json
from pathlib import Path

from metareview.io import sha256_file, write_bytes_atomic, write_text_atomic
from metareview.render import publish_report

HISTORY = Path("results/history/key_results.json")


def _results(keys: dict) -> dict:
    """Key results without the build that recorded them."""
    return {k: v for k, v in keys.items() if k != "built"}


def main(job):
    published = publish_report(job.input.html, job.input.pdf, Path(job.output.html).parent, job.input.audit)
    # The next build's report says what changed relative to this one. After the report:
    # a build killed in between runs this job again, which records it then. Rewritten
    # only when it changes: a report published again unchanged (deleted by hand, or
    # rendered anew after a template edit) has nothing new to announce at the build's end.
    # Which build recorded them ("built": its date and commit) is not a change: a template
    # edit in a checkout turns the commit into "+ uncommitted changes" and moves no result.
    # Key results from before builds recorded it are replaced, so that the next report can
    # say which build it compares with.
    keys = Path(job.input.key_results).read_bytes()
    before = json.loads(HISTORY.read_bytes()) if HISTORY.exists() else {}
    if "built" not in before or _results(before) != _results(json.loads(keys)):
        write_bytes_atomic(HISTORY, keys)
    # Last: the job's proof of completion (sha256sum -c checks build/report/ against it).
    write_text_atomic(job.output.digest, "".join(f"{sha256_file(p)}  {p}\n" for p in published))
    job.logger.info("published %s", ", ".join(map(str, published)))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
