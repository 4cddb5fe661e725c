"""The raw-data codebook (data/raw/README.md) is generated from the schemas and in sync."""

from pathlib import Path

from metareview.cli import main
from metareview.rawdata import TABLES, codebook_markdown, load_schemas

ROOT = Path(__file__).resolve().parents[2]


def test_committed_codebook_matches_the_schemas():
    expected = codebook_markdown(load_schemas(ROOT / "config/schemas/raw"))
    committed = (ROOT / "data/raw/README.md").read_text(encoding="utf-8")
    assert committed == expected, "regenerate with: metareview codebook --out data/raw/README.md"


def test_codebook_documents_every_column_of_every_table():
    schemas = load_schemas(ROOT / "config/schemas/raw")
    text = codebook_markdown(schemas)
    for table in TABLES:
        assert f"## `{table}.csv`" in text
        for column, spec in schemas[table]["properties"].items():
            assert f"| `{column}` |" in text
            assert spec.get("description"), f"{table}.{column} has no description"


def test_codebook_command_writes_the_file(tmp_path):
    out = tmp_path / "README.md"
    assert main(["codebook", "--schemas", str(ROOT / "config/schemas/raw"), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Raw data codebook")


def test_codebook_command_reports_a_missing_schema_folder(tmp_path, capsys):
    assert main(["codebook", "--schemas", str(tmp_path / "nope")]) == 2
    assert "schema not found" in capsys.readouterr().err
