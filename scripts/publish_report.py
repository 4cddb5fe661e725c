"""Rule publish_report: the rendered report into build/report/, replacing the last pair whole."""

from pathlib import Path

from metareview.io import sha256_file, write_bytes_atomic, write_text_atomic
from metareview.render import publish_report

HISTORY = Path("results/history/key_results.json")


def main(job):
    published = publish_report(job.input.html, job.input.pdf, Path(job.output.html).parent)
    # The next build's report says what changed relative to this one. After the report:
    # a build killed in between runs this job again, which records it then. Rewritten
    # only when it changes: a report published again unchanged (deleted by hand, or
    # rendered anew after a template edit) has nothing new to announce at the build's end.
    keys = Path(job.input.key_results).read_bytes()
    if not HISTORY.exists() or HISTORY.read_bytes() != keys:
        write_bytes_atomic(HISTORY, keys)
    # Last: the job's proof of completion (sha256sum -c checks build/report/ against it).
    write_text_atomic(job.output.digest, "".join(f"{sha256_file(p)}  {p}\n" for p in published))
    job.logger.info("published %s", ", ".join(map(str, published)))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
