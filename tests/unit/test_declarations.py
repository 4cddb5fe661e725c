"""What the review declares of itself (metareview.report.declarations): registration,
protocol, funding, competing interests, authors and where its analysis plan is."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from test_report import CONFIG, TEMPLATE, context

from metareview.plan import ConfigError, check_config_schema
from metareview.provenance import NOT_GIT, SHALLOW
from metareview.report import NOT_STATED, build_report, declarations_section

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "config" / "schemas" / "config.schema.yaml"


def _line(text: str, head: str) -> str:
    return next(line for line in str(text).splitlines() if line.startswith(f"- **{head}**: "))


def test_each_declaration_unset_is_said_to_be_not_stated_with_its_key() -> None:
    # CONFIG states none of them: the report says so of each, rather than print nothing
    # (a reader took silence for "none").
    text = str(declarations_section(context()))
    for head, key in (("Registration", "registration"), ("Protocol", "protocol"), ("Funding", "funding"),
                      ("Competing interests", "competing_interests")):
        assert _line(text, head) == f"- **{head}**: {NOT_STATED} (`review.{key}`)."
    assert _line(text, "Who answers for the report") == (
        "- **Who answers for the report**: no author named; the review's definition names none (`review.authors`).")


def test_each_declaration_set_is_printed_as_written_and_escaped() -> None:
    review = {**CONFIG["review"], "registration": "PROSPERO <b>CRD42</b>", "protocol": "None published.",
              "funding": "  None,\n  the team's own time ", "competing_interests": "None declared!",
              "authors": ["A. Smith", "Back *Pain* Group"]}
    text = str(declarations_section(context(review=review)))
    assert _line(text, "Registration") == "- **Registration**: PROSPERO \\<b\\>CRD42\\</b\\>."
    assert _line(text, "Protocol") == "- **Protocol**: None published."
    assert _line(text, "Funding") == "- **Funding**: None, the team’s own time."
    assert _line(text, "Competing interests") == "- **Competing interests**: None declared!"
    assert _line(text, "Who answers for the report") == (
        "- **Who answers for the report**: A\\. Smith and Back \\*Pain\\* Group, its authors.")
    assert NOT_STATED not in text
    one = str(declarations_section(context(review={**CONFIG["review"], "authors": ["A. Smith"]})))
    assert _line(one, "Who answers for the report").endswith("A\\. Smith, its author.")


@pytest.mark.parametrize(
    ("commit", "said"),
    [
        ("0123abc4567", ("at source commit `0123abc` (see the [provenance](#sec-provenance)). The repository's "
                         "history records each change to it and to the raw tables, with its date (`git log -- "
                         "config/config.yaml data/raw`), and so which choices were committed before which data.")),
        ("0123abc4567 + uncommitted changes", ("with changes not yet committed to source commit `0123abc`: the plan "
                                               "this report follows is not in the repository's history")),
        ("0123abc4567" + SHALLOW, "This copy is a shallow clone, which holds only part of that history"),
        (NOT_GIT, "No source commit is recorded"),
        ("no commit + uncommitted changes", "No source commit is recorded"),
    ],
)
def test_the_analysis_plan_is_the_config_at_the_build_s_commit_with_its_history(commit: str, said: str) -> None:
    ctx = context()
    ctx = dataclasses.replace(ctx, provenance={**ctx.provenance, "git_commit": commit})
    line = _line(declarations_section(ctx), "Analysis plan")
    assert line.startswith("- **Analysis plan**: the review's definition, `config/config.yaml`"), line
    assert said in line, line
    # A history is pointed to only where there is a commit to point from.
    assert ("git log" in line) is (commit.split()[0] not in ("unknown", "no")), line


def test_the_section_sits_before_the_provenance_in_the_report() -> None:
    text = build_report(TEMPLATE, context())[0]
    at = text.index("## Registration, funding and competing interests {#sec-declarations}")
    assert text.index("## Limitations") < at < text.index("## Provenance")
    assert text.index("- **Registration**: not stated", at) < text.index("## Provenance")


def test_the_config_schema_takes_the_declarations_and_refuses_a_blank_one() -> None:
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    for key in ("registration", "protocol", "funding", "competing_interests"):
        check_config_schema({**config, "review": {**config["review"], key: "Stated."}}, SCHEMA)
        with pytest.raises(ConfigError, match=f"review.{key}"):
            check_config_schema({**config, "review": {**config["review"], key: "  "}}, SCHEMA)
        with pytest.raises(ConfigError, match=f"review.{key}"):
            check_config_schema({**config, "review": {**config["review"], key: ["a list"]}}, SCHEMA)


def test_the_example_states_only_what_it_knows() -> None:
    # Its registration and protocol are known (none); its funding, competing interests
    # and authors are not, and are left for the report to say so.
    review = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))["review"]
    assert review["registration"] == "Not registered"
    assert review["protocol"] == "None published"
    assert not {"funding", "competing_interests", "authors"} & set(review)
    text = str(declarations_section(context(review=review)))
    assert _line(text, "Registration") == "- **Registration**: Not registered."
    assert _line(text, "Protocol") == "- **Protocol**: None published."
    assert _line(text, "Funding") == f"- **Funding**: {NOT_STATED} (`review.funding`)."
    assert _line(text, "Who answers for the report").startswith("- **Who answers for the report**: no author named")
