"""What the review declares of itself: its registration, protocol, funding, competing
interests and authors (:func:`declarations_section`).

A reader judging a review asks first whether its plan was fixed before its data were
seen, who paid for it and who answers for it. The pipeline cannot know any of these:
the review's definition states them (``review.registration``, ``review.protocol``,
``review.funding``, ``review.competing_interests``, ``review.authors``), and the report
says plainly where it does not, rather than leave the reader to infer an answer from
silence. What the pipeline does know, it says itself: the analysis plan is the config at
the build's source commit, with its history in the repository.
"""

from __future__ import annotations

from typing import Any

from metareview.fmt import join_list
from metareview.markdown import Markdown, escape
from metareview.provenance import GIT_UNREADABLE, NOT_GIT, SHALLOW
from metareview.report.base import ReportContext

#: The config file whose history is the analysis plan's (as the provenance's settings line names it).
_CONFIG_FILE = "config/config.yaml"

#: What the report says of a declaration the review's definition leaves unset.
NOT_STATED = "not stated in the review's definition"

#: The optional ``review`` keys the section prints, in its order, each with its heading.
DECLARED = (("registration", "Registration"), ("protocol", "Protocol"), ("funding", "Funding"),
            ("competing_interests", "Competing interests"))


def _sentence(text: str) -> str:
    """``text`` with its blanks collapsed and a full stop at its end where it has none."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _declared_line(review: Any, key: str, head: str) -> str:
    """One declaration as the review's definition gives it, or :data:`NOT_STATED` with
    the key that would state it (for the team, who fills it in)."""
    value = " ".join(str(review.get(key) or "").split())
    if value:
        return f"- **{head}**: {escape(_sentence(value))}"
    return f"- **{head}**: {NOT_STATED} (`review.{key}`)."


def _plan_line(ctx: ReportContext) -> str:
    """Where the analysis plan is: the config at the build's source commit, whose history
    in the repository, with the raw tables', dates each change, and so tells which choices
    were committed before which data. Said for a build outside git, a shallow
    clone and uncommitted changes as they are (none of the three holds that history whole)."""
    commit = str(ctx.provenance.get("git_commit") or "")
    head = commit.split(" ", 1)[0]
    plan = f"- **Analysis plan**: the review's definition, `{_CONFIG_FILE}`"
    if commit == GIT_UNREADABLE:
        return (plan + ", as this build read it. Git could not read this checkout's history (the build's output "
                "says why), so no source commit is recorded and the report cannot point to the plan's history.")
    if commit == NOT_GIT or not commit or not all(c in "0123456789abcdef" for c in head):
        return (plan + ", as this build read it. No source commit is recorded (the build ran outside a git "
                "checkout, or before a first commit), so the report cannot point to the plan's history.")
    short = head[:7]
    raw_dir = str(ctx.config.get("raw_dir", "data/raw")).rstrip("/").replace("`", "'")
    history = (f"The repository's history records each change to it and to the raw tables, with its date (`git log "
               f"-- {_CONFIG_FILE} {raw_dir}`), and so which choices were committed before which data.")
    if "uncommitted" in commit:
        return (plan + f", with changes not yet committed to source commit `{short}`: the plan this report follows "
                f"is not in the repository's history, which holds each earlier version. {history}")
    shallow = (" This copy is a shallow clone, which holds only part of that history: a full clone holds it all."
               if SHALLOW in commit else "")
    return plan + f", at source commit `{short}` (see the [provenance](#sec-provenance)). {history}{shallow}"


def _authors_line(ctx: ReportContext) -> str:
    """Who answers for the report: its authors as the review names them, or that it names none."""
    names = [" ".join(str(n).split()) for n in ctx.config["review"].get("authors") or [] if str(n).strip()]
    if names:
        return f"- **Who answers for the report**: {escape(join_list(names))}, its {'author' if len(names) == 1 else 'authors'}."
    return ("- **Who answers for the report**: no author named; the review's definition names none "
            "(`review.authors`).")


def declarations_section(ctx: ReportContext) -> Markdown:
    """Registration, protocol, the analysis plan, funding, competing interests and who
    answers for the report, each as the review's definition states it or said to be not
    stated there (:data:`NOT_STATED`)."""
    review = ctx.config["review"]
    lines = [_declared_line(review, key, head) for key, head in DECLARED[:2]]
    lines.append(_plan_line(ctx))
    lines += [_declared_line(review, key, head) for key, head in DECLARED[2:]]
    lines.append(_authors_line(ctx))
    return Markdown("\n".join(lines) + "\n")
