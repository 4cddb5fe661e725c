"""The raw-data codebook (data/raw/README.md) is generated from the schemas and in sync."""

from pathlib import Path

from metareview.cli import main
from metareview.rawdata import TABLES, codebook_markdown, load_schemas, stale_codebook

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


def test_codebook_descriptions_speak_of_no_review_s_topic():
    # A new review's codebook is generated from schemas it copies: a description whose
    # example is the example review's condition or treatments ("for a review of chronic
    # low back pain") would speak of another review's topic. The enumerations are data a
    # review edits (its outcome codes); only the descriptions are read here.
    schemas = load_schemas(ROOT / "config/schemas/raw")
    topic = ("back", "neck", "needl", "acupunct", "radicular", "musculoskeletal", "pain")

    def texts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "title") and isinstance(value, str):
                    yield value
                elif key != "enum":
                    yield from texts(value)
        elif isinstance(node, list):
            for value in node:
                yield from texts(value)

    found = [(table, word, text) for table in TABLES for text in texts(schemas[table])
             for word in topic if word in text.lower()]
    assert found == []


def test_codebook_command_writes_the_file(tmp_path):
    out = tmp_path / "README.md"
    assert main(["codebook", "--schemas", str(ROOT / "config/schemas/raw"), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Raw data codebook")


def test_codebook_command_reports_a_missing_schema_folder(tmp_path, capsys):
    assert main(["codebook", "--schemas", str(tmp_path / "nope")]) == 2
    assert "sources.schema.yaml: expected the schema of table 'sources', found no file" in capsys.readouterr().err


def test_a_broken_schema_is_named_with_its_line_not_a_traceback(tmp_path, capsys):
    import shutil

    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "config/schemas/raw", schemas)
    arms = schemas / "arms.schema.yaml"
    lines = arms.read_text(encoding="utf-8").splitlines()
    # Line 3 loses its colon's space and gains an unclosed bracket: not YAML.
    lines[2] = "broken: [unclosed"
    arms.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["codebook", "--schemas", str(schemas)]) == 2
    err = capsys.readouterr().err
    assert f"{arms}, line " in err and ": expected valid YAML, found an error: " in err
    assert "Traceback" not in err
    # A schema that parses but is no table's (a list, or a mapping without properties).
    arms.write_text("- a\n- b\n", encoding="utf-8")
    assert main(["codebook", "--schemas", str(schemas)]) == 2
    assert f"{arms}: expected a mapping with the table's 'properties', found a list" in capsys.readouterr().err
    # Said in YAML's words, not Python's type names ("NoneType").
    arms.write_text("# emptied\n", encoding="utf-8")
    assert main(["codebook", "--schemas", str(schemas)]) == 2
    assert f"{arms}: expected a mapping with the table's 'properties', found an empty file" in capsys.readouterr().err
    arms.write_text("type: object\n", encoding="utf-8")
    assert main(["codebook", "--schemas", str(schemas)]) == 2
    assert f"{arms}: expected a mapping with the table's 'properties', found no properties" in capsys.readouterr().err


def test_codebook_of_a_review_folder_names_its_own_schemas(tmp_path, monkeypatch):
    # A review with its tables and schemas in folders of its own (raw_dir, schema_dir)
    # edits those schemas: the codebook's header must not send it to the example's.
    import shutil

    shutil.copytree(ROOT / "config/schemas/raw", tmp_path / "reviews/neck/schemas")
    monkeypatch.chdir(tmp_path)
    assert main(["codebook", "--schemas", "reviews/neck/schemas/", "--out", "README.md"]) == 0
    header = (tmp_path / "README.md").read_text(encoding="utf-8").splitlines()[2]
    assert header == ("<!-- Generated from reviews/neck/schemas/*.schema.yaml by `metareview codebook`; "
                      "edit the schemas, not this file. -->")


def test_a_codebook_the_schemas_have_moved_on_from_is_told_with_the_command(tmp_path, monkeypatch):
    # A team adds an outcome code to its schemas and does not write the codebook again:
    # the codebook then lists other codes than the tables may use, and the build says so.
    import shutil

    import yaml

    shutil.copytree(ROOT / "config/schemas/raw", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    raw = Path("raw")
    raw.mkdir()
    # No codebook at all is ignored_files' to mention (with the command that writes one).
    assert stale_codebook(raw, load_schemas("schemas"), "raw", "schemas") is None
    assert main(["codebook", "--schemas", "schemas", "--out", "raw/README.md"]) == 0
    # Named with a path spelt otherwise ("./schemas/"), the schemas give the same codebook.
    assert stale_codebook(raw, load_schemas("schemas"), "raw/", "./schemas/") is None
    path = Path("schemas/instruments.schema.yaml")
    schema = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema["properties"]["outcome"]["enum"].append("fatigue")
    path.write_text(yaml.safe_dump(schema), encoding="utf-8")
    note = stale_codebook(raw, load_schemas("schemas"), "raw", "schemas")
    assert note == ("the codebook raw/README.md is not what the schemas in schemas/ give (they changed since it "
                    "was written: an outcome code or a column added, say), so it describes other tables than the "
                    "build reads; `.venv/bin/metareview codebook --schemas schemas --out raw/README.md` writes it "
                    "again")
    # The example's schemas, the command's default, are not named in the command.
    assert "`.venv/bin/metareview codebook --out data/raw/README.md`" in stale_codebook(
        raw, load_schemas("schemas"), "data/raw", "config/schemas/raw")
    # Written again by that command, the codebook is current.
    assert main(["codebook", "--schemas", "schemas", "--out", "raw/README.md"]) == 0
    assert stale_codebook(raw, load_schemas("schemas"), "raw", "schemas") is None


def test_the_codebook_s_low_identity_covers_the_example_s_rows_rated_low():
    # The example rates 'low' studies it traced to a journal and a PMID but whose authors
    # it could not see (Kerr et al. 2003: Clin J Pain 2003;19(6):364-70, PMID 14600536).
    # A codebook that kept 'low' for a source that "cannot be traced" told a team member
    # entering the next such study to rate it 'medium', and the report, which explains
    # the rating by the codebook, to say such a study was never traced.
    import csv
    import re

    schemas = load_schemas(ROOT / "config/schemas/raw")
    description = schemas["studies"]["properties"]["identity_confidence"]["description"]
    with (ROOT / "data/raw/studies.csv").open(encoding="utf-8", newline="") as fh:
        traced = [row["study_id"] for row in csv.DictReader(fh) if row["identity_confidence"] == "low"
                  and re.search(r"\bPMID \d+|\bdoi:", row["notes"]) and "uthors" in row["notes"]]
    assert "ClinJPain2003" in traced
    low = description.split("`low`", 1)[1]
    assert "author" in low, description
