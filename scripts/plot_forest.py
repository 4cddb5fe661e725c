"""Rule plot_forest: the forest plot of one analysis, as SVG and PNG."""

from metareview.io import read_json
from metareview.plots import forest_plot


def main(job):
    forest_plot(read_json(job.input.json), job.output.svg, job.output.png)


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
