"""Rule forest_png: a PNG copy of one forest plot, for slides and documents (make figures)."""

from metareview.plots import png_from_svg


def main(job):
    png_from_svg(job.input.svg, job.output.png, dpi=int(job.params.dpi))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
