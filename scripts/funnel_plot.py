"""Rule funnel_plot: the funnel plot beside an analysis's test of small-study effects."""

from metareview.io import read_json
from metareview.plots import funnel_plot


def main(job):
    # Drawn where the small-study test ran; else a line saying why there is no plot.
    funnel_plot(read_json(job.input.json), job.output.svg)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
