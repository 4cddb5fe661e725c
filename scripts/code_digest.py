"""Rule code_digest: the SHA-256 of each file of one step's code, as sha256sum writes them."""

from metareview.io import sha256_file, write_text_atomic


def main(job):
    write_text_atomic(job.output.digest, "".join(f"{sha256_file(p)}  {p}\n" for p in job.input.files))


if __name__ == "__main__":  # under Snakemake's script: directive
    main(snakemake)  # noqa: F821
