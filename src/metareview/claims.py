"""Check a source's narrative claims against what the data can show.

Each claim in ``claims.csv`` gets one verdict with the reason:

* ``supported``: a pooled analysis in this review shows the claimed direction with a
  confidence interval wholly on that side of no difference;
* ``not supported``: the relevant pooled analyses count against it: none shows it, and
  one has its interval wholly on the other side of no difference (for a claimed mean
  difference, the pooled interval excludes the value claimed);
* ``not checkable``: nothing in the data settles it (every relevant pooled interval holds
  both the claimed effect and no difference, too imprecise to show the claim and no
  evidence against it; the outcome or subgroup is not reported by any study here; the
  cited study cannot be identified; or only single studies bear on it: one trial settles
  no claim, though what its interval shows is told beside the verdict).

An interval that holds both the claim and no difference neither bears the claim out nor
counts against it, for a claimed direction as for a claimed mean difference: one verdict
for one interval, whichever way the claim is worded.

A claim that names no comparator ("both work") is checked against controls only: the
nodes whose treatments are all shams or controls in ``treatments.csv``
(:func:`metareview.normalise.control_nodes`). Not being better than another active
treatment, or than the other treatment the claim names, says nothing about whether a
treatment works.

Each checked claim also says, in ``cited``, what came of the evidence it cites, from the
same test that words it in the reason:

* ``verified``: the cited study is in the data, and vouched for by more than the claim's
  own source (not known only from it with its identity rated low); this says the
  citation was traced, not that it bears the claim out;
* ``unverified``: the cited study is known only from the claim's own source and its
  identity is rated low, so it "cannot be verified";
* ``not identified``: the source names evidence that is no study in the data
  (``attributed_study_id`` empty), such as an unnamed study or its own evidence table;
* ``none``: the source cites nothing for the claim.

The rules are deliberately simple and are stated in the report, so a reader can redo
each verdict by hand. "The claimed direction" is read from each analysis result's
``favours_intervention_when``: below the null for mean differences and SMDs (lower is
better), above it for risk ratios, odds ratios and risk differences of beneficial events
such as responders. Ratios are compared on the log scale (null 0) and shown exponentiated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from metareview.checks import alike_groups, repeated_results
from metareview.fmt import (
    description,
    f2,
    holds_comma,
    in_brackets,
    in_sentence,
    join_list,
    with_each,
)
from metareview.normalise import OFF_POPULATION_FITS, UNNAMED, set_aside_effect

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
NOT_CHECKABLE = "not checkable from the data"

#: Why a pooled interval that holds both the claimed effect and no difference leaves a
#: claim not checkable, said in its full and its short reason alike: "not checkable" alone
#: read as a lack of data, "no interval in its favour" as evidence against the claim.
IMPRECISE = "too imprecise to show the claim, not evidence against it"

#: What came of a claim's cited evidence (``cited``, :func:`cited_evidence`).
CITED_VERIFIED = "verified"
CITED_UNVERIFIED = "unverified"
CITED_NOT_IDENTIFIED = "not identified"
CITED_NONE = "none"

#: The claims table's outcome for claims that name none ("improves outcomes").
OTHER_OUTCOME = "other"

def _outcome_words(outcome: str, quantifier: str = "a") -> str:
    """"a sleep outcome", "no sleep outcome"; for ``other``, "an outcome of the kind claimed"."""
    if outcome == OTHER_OUTCOME:
        return f"{'an' if quantifier == 'a' else quantifier} outcome of the kind claimed"
    return f"{quantifier} {outcome.replace('_', ' ')} outcome"


def _mid_sentence(cited: str) -> str:
    """A claim's cited evidence, as claims.csv words it, inside a sentence: an article that
    opens it lowered ("the cited evidence, a 2023 real-world study (not named), is not
    identified"), the rest as written, a title or a journal's name ("JOSPT 2023 ...")
    being no common word to lower."""
    first, _, rest = cited.partition(" ")
    return f"{first.lower()} {rest}" if rest and first in ("A", "An", "The") else cited


def cited_evidence(claim: Mapping[str, Any], cited: Mapping[str, Any] | None, own: Collection[str]) -> str:
    """What came of a claim's cited evidence: :data:`CITED_VERIFIED`,
    :data:`CITED_UNVERIFIED`, :data:`CITED_NOT_IDENTIFIED` or :data:`CITED_NONE` (see the
    module docstring). ``cited`` is the cited study's normalised record, None when the
    claim names none in the data; ``own`` the studies of the claim's own source.

    The one test behind the reason's words ("cannot be verified", "is not identified",
    "cites no evidence") and the claim's ``cited``, so that the two cannot disagree: a
    summary counting the claims whose evidence could not be traced reads the field, not
    the words.
    """
    if cited is not None:
        # Nothing outside the source vouches for evidence known only from it and not
        # identified there, whatever the data show beside it.
        low = cited["study"].get("identity_confidence") == "low"
        return CITED_UNVERIFIED if low and cited["study"]["study_id"] in own else CITED_VERIFIED
    return CITED_NOT_IDENTIFIED if claim.get("attributed_to") else CITED_NONE


def _cited(claim: Mapping[str, Any], cited_as: str) -> str:
    """"the cited evidence, X, is not identified", or, for a claim that cites nothing,
    "the source cites no evidence for it": "the cited evidence, not named" would suggest
    a citation the source never gave; "" for a cited study in the data, which the reason
    names where it matters (and says cannot be verified where it cannot)."""
    if cited_as == CITED_NOT_IDENTIFIED:
        return f"the cited evidence, {_mid_sentence(claim['attributed_to'])}, is not identified"
    return "the source cites no evidence for it" if cited_as == CITED_NONE else ""


def _outcome_rows(studies: Sequence[Mapping[str, Any]], outcome: str, nodes: set[str]) -> list[str]:
    """Labels of studies with any arm-level or contrast row on ``outcome`` for one of ``nodes``."""
    found = []
    for doc in studies:
        arm_nodes = {a["arm_id"]: a["node"] for a in doc["arms"]}
        rows = [v for v in doc["arm_values"] if v["outcome"] == outcome and arm_nodes.get(v["arm_id"]) in nodes]
        rows += [c for c in doc["contrasts"] if c["outcome"] == outcome and ({c["node1"], c["node2"]} & nodes)]
        if rows:
            found.append(doc["study"]["label"])
    return sorted(found)


def _favours(result: Mapping[str, Any], interval: tuple[float, float, float]) -> bool:
    """Whether an (estimate, lower, upper) on the analysis scale lies wholly on the side that
    favours the treatment on the intervention side."""
    if result["analysis"].get("favours_intervention_when", "below") == "above":
        return interval[1] > 0
    return interval[2] < 0


def _shown(result: Mapping[str, Any], values: Sequence[float]) -> list[float]:
    """Values as the report prints them: exponentiated for log-scale (ratio) analyses."""
    if result["analysis"].get("scale") == "log":
        return [math.exp(v) for v in values]
    return list(values)


def _level(result: Mapping[str, Any]) -> str:
    """"95% CI": the label of an analysis's intervals, at its configured level (the
    pooled estimate's, else the analysis's, which its studies' intervals share)."""
    level = (result.get("pooled") or {}).get("level") or result.get("level") or 95
    return f"{float(level):g}% CI"


def _interval(result: Mapping[str, Any], measure: str, shown: Sequence[float]) -> str:
    """"SMD −0.50, 95% CI −0.80 to −0.20": an estimate and its interval, set off by a
    comma and labelled, as the report's prose gives them.

    The reasons name these inside their own brackets ("the pooled interval excludes ...
    (Acupuncture vs Sham: MD ...)"): an interval in brackets of its own nested one bracket
    in another, which the report never does (:func:`metareview.fmt.in_brackets`).
    """
    est, lb, ub = (f2(v) for v in shown)
    return f"{measure} {est}, {_level(result)} {lb} to {ub}"


def _pooled_text(result: Mapping[str, Any], other: str, oriented: Sequence[float], names: Collection[str] = (),
                 bracketed: bool = False) -> str:
    """"vs sham, SMD −0.50, 95% CI −0.80 to −0.20, k = 3": a pooled result as the report prints it.

    ``bracketed`` when it stands inside the reason's brackets: the comparator's own
    brackets then as commas (:func:`metareview.fmt.in_brackets`), "(vs sham (minimal),
    SMD ...)" having nested them.
    """
    shown = _interval(result, result["analysis"]["measure"], _shown(result, oriented))
    other = in_sentence(other, names)
    return f"vs {in_brackets(other) if bracketed else other}, {shown}, k = {result['pooled']['k']}"


def repeated_across_comparisons(studies: Sequence[Mapping[str, Any]]) -> list[list[tuple[str, str]]]:
    """The groups of :func:`metareview.checks.repeated_results` (results two or more
    studies print with the same estimate and bounds) whose results are of different
    comparisons or outcomes: (study label, row ref), one per study, as there.

    One review repeating another's result, or two pooling the same trials, gives one result
    twice for one comparison and outcome. The same three numbers for a usual-care
    disability result and two sham pain results (Mu 2020; Acupunct Med 2020 and Yuan 2015)
    is not explained so: a row read from the wrong table is likelier, and which of them
    cannot be told from the numbers. The consistency warning says so, and the tallies of
    reviews count none of these rows until each is checked in its source
    (:func:`misread_refs`). ``studies`` are normalised documents; a comparison is its pair
    of nodes, whichever arm is first.
    """
    groups = repeated_results(studies)
    if not groups:
        return []
    contrasts = {c.get("ref"): c for doc in studies for c in doc.get("contrasts", [])}

    def compared(ref: str) -> tuple[Any, ...]:
        c = contrasts.get(ref) or {}
        return (frozenset((c.get("node1"), c.get("node2"))), c.get("outcome"))

    return [group for group in groups if len({compared(ref) for _, ref in group}) > 1]


def misread_refs(studies: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    """The raw rows (``ref``) of :func:`repeated_across_comparisons`: results under a
    warning that a row may have been read from the wrong table, which neither the report's
    tallies of reviews nor a claim's count of them count, or count as one review with
    another that prints them alike (:func:`metareview.checks.alike_groups`)."""
    return frozenset(ref for group in repeated_across_comparisons(studies) for _, ref in group)


#: Why a result is left out of the tallies of reviews, for a result among
#: :func:`misread_refs`, as the report's tallies and a claim's count of reviews say it.
MISREAD = "printed alike by a review of another comparison or outcome"

#: Why a published result is not counted among a claim's reviews, each with its test, in
#: the order the report's summary gives them (the first that applies is said). A result
#: carries ``misread`` where :func:`misread_refs` holds its row.
_LEFT_OUT: tuple[tuple[str, Callable[[Mapping[str, Any]], bool]], ...] = (
    ("known only from a secondary source", lambda e: e.get("source_level") == "secondary"),
    ("read only in another document", lambda e: bool(e.get("read_elsewhere"))),
    ("of a broader or another population", lambda e: e.get("population_fit") in OFF_POPULATION_FITS),
    (f"with numbers {MISREAD}", lambda e: bool(e.get("misread"))),
    ("outside the window", lambda e: bool(e.get("outside_window"))),
)


def _published_reviews(rel: Sequence[tuple[Mapping[str, Any], str, Any]], node: str, name: str,
                       names: Collection[str] = (), studies: Sequence[Mapping[str, Any]] = (),
                       counts: Callable[[str], bool] | None = None,
                       outcome: str | None = None) -> tuple[str, dict[str, Any] | None]:
    """What the published meta-analyses of a treatment against the claim's comparators say,
    counted by review: "of 7 reviews that give a confidence interval, 6 have every one
    wholly on acupuncture's side", and the reviews it counts, or None when it counts none.

    The reviews come with the raw rows of their results (each result's ``ref``), so that
    the report's audit trail names the rows behind each count without reading the text
    again: ``counted`` (each with ``wholly``, whether every interval counted lies on the
    treatment's side) and ``not_counted`` (each with the ``reasons`` its results were
    left out), under the treatment's ``node`` and ``label``.

    They never decide a verdict here (reviews overlap in the trials they pool and differ
    in scope), but a reader weighing "both work" should not learn of them only elsewhere.
    Only results at a timepoint in the analysis's window, from reviews read in their own
    report (not a blog post's citation) whose population is not broader than, or other
    than, the review's (:data:`metareview.normalise.OFF_POPULATION_FITS`), and not under a
    warning of a row read from the wrong table (:func:`misread_refs`), each review
    counted once, as the report's summary counts them: reviews that print one result alike
    (the same measure, estimate and bounds) as one, the first keeping the others' results,
    and a review whose own statements (``studies``) find no difference against a
    comparator that can check the claim (``counts``) on its ``outcome``, against the arm of
    its own intervals, not wholly on the treatment's side (words against another arm of the
    node are said beside intervals counted as they lie: :func:`on_another_arm`).
    """
    sides: dict[str, set[bool]] = {}
    apart: set[str] = set()  # reviews with a result left out for its source, population or time
    reasons: dict[str, set[str]] = {}  # each review's reasons its results were left out
    label: dict[str, str] = {}
    # The raw rows of each review's results, counted and left out: one result shown by two
    # analyses is one row.
    counted_refs: dict[str, list[str]] = {}
    apart_refs: dict[str, list[str]] = {}
    misread = misread_refs(studies)
    for r, _, _ in rel:
        flip = r["analysis"]["intervention"] != node
        for e in ({**x, "misread": True} if x.get("ref") in misread else x for x in r.get("external") or []):
            if e.get("ci_lb") is None or e.get("ci_ub") is None or e.get("measure") == "p_only":
                continue
            label.setdefault(e["study_id"], e.get("label") or e["study_id"])
            why = next((w for w, applies in _LEFT_OUT if applies(e)), None)
            refs = (apart_refs if why else counted_refs).setdefault(e["study_id"], [])
            if e.get("ref") and e["ref"] not in refs:
                refs.append(e["ref"])
            if why:
                apart.add(e["study_id"])
                reasons.setdefault(e["study_id"], set()).add(why)
                continue
            lb, ub = (-e["ci_ub"], -e["ci_lb"]) if flip else (e["ci_lb"], e["ci_ub"])
            sides.setdefault(e["study_id"], set()).add(_favours(r, (0.0, lb, ub)))
    alike = _alike_reviews(studies, sides, counted_refs)
    for kept, others in alike.items():
        for other in others:
            sides[kept] |= sides.pop(other)
    stated = _stated_otherwise(studies, node, list(sides), counts, outcome, names, counted_refs)
    for sid, x in stated.items():
        # Only words against the sham of its own intervals put a review off the treatment's
        # side; words on another arm of the node are said beside intervals counted as they lie.
        if x["disagreeing"]:
            sides[sid].add(False)
    # Reviews none of whose results is counted are counted and named, so that a reader
    # comparing with the published meta-analyses' table knows why they are not here; the
    # names matter most where one is the claim's own source's citation.
    merged = {o for others in alike.values() for o in others}
    gone = sorted(apart - set(sides) - merged, key=lambda sid: label[sid])
    left = len(gone)
    # Named apart from ``names``, the proper names that keep their capitals mid-sentence:
    # the reviews' labels in their place lowered "Pilates" below.
    # In brackets, each label's own brackets as commas (in_brackets); the names last, after
    # a colon: in a bracket of their own inside the reason's brackets, they nested one list
    # in brackets inside another.
    gone_names = f": {'; '.join(in_brackets(label[sid]) for sid in gone)}"
    # Only the reasons that apply: all four read as if each applied to some review.
    # Of the reviews not counted: one counted for its other results (an intermediate-term
    # result outside the window) gives none.
    said = [w for w, _ in _LEFT_OUT if any(w in reasons[sid] for sid in gone)]
    # A serial comma before "or" in three or more: "of a broader or another population"
    # holds an "or" of its own.
    why = ", ".join(said[:-1]) + (", or " if len(said) > 2 else " or " if said[:-1] else "") + said[-1] if said else ""
    counted = {"node": node, "label": name,
               "counted": [{"study_id": sid, "refs": counted_refs.get(sid, []), "wholly": s == {True},
                            **({"alike": [{"study_id": o, "refs": counted_refs.get(o, [])} for o in alike[sid]]}
                               if sid in alike else {}),
                            **({"stated": stated[sid]["refs"], "disagreeing": stated[sid]["disagreeing"]}
                               if sid in stated else {})}
                           for sid, s in sides.items()],
               "not_counted": [{"study_id": sid, "refs": apart_refs.get(sid, []),
                                "reasons": [w for w, _ in _LEFT_OUT if w in reasons[sid]]} for sid in gone]}
    if not sides:
        none = (f"; published meta-analyses: none counted (see the published meta-analyses; {left} "
                f"{'review' if left == 1 else 'reviews'} with an interval, {why}{gone_names})")
        return (none, counted) if left else ("", None)
    wholly = sum(1 for s in sides.values() if s == {True})
    not_counted = (f"; not counted: {left} more {'review' if left == 1 else 'reviews'} with an interval, "
                   f"{why}{gone_names}") if left else ""
    # Why the count is not of every review with an interval, in its brackets.
    side = f"{in_sentence(name, names)}'s side"
    once = [f"the same result printed by {with_each([in_brackets(label[k]), *(in_brackets(label[o]) for o in others)], 'by')}"
            ", counted as one review" for k, others in alike.items()]
    worded = [stated_words(in_brackets(label[sid]), x["said"], x["intervals"], bool(x["disagreeing"]), side)
              for sid, x in stated.items()]
    why_count = "".join(f"; {x}" for x in [*once, *worded])
    sentence = (f"; published meta-analyses, which settle no claim here: of {len(sides)} "
            f"{'review that gives' if len(sides) == 1 else 'reviews that give'} a confidence interval, {wholly} "
            f"{'has' if wholly == 1 else 'have'} every one wholly on {side} (see the published "
            f"meta-analyses{why_count}{not_counted})")
    return sentence, counted


def _alike_reviews(studies: Sequence[Mapping[str, Any]], sides: Mapping[str, Any],
                   refs: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The reviews among ``sides`` whose counted results (``refs``, by review) print one
    result alike, the same measure, estimate and bounds as published: {the first review of
    each group: the others}. One finding, whether one review repeats another or both pool
    the same trials; counted twice, it read as two confirmations (as the report's tallies,
    :func:`metareview.checks.alike_groups`)."""
    return alike_groups(studies, {sid: refs.get(sid, []) for sid in sides})


def statements_not_for(doc: Mapping[str, Any], node: str, accepts: Callable[[str], bool],
                       outcomes: Collection[str]) -> list[Mapping[str, Any]]:
    """The statements (statements.csv) of one study ``doc`` (normalised) on one of
    ``outcomes`` that compare ``node`` with another node ``accepts`` takes and find no
    difference, or a difference on that other node's side.

    A review's numbers may be of one sham and its words of another that the same node
    holds (Lee 2023: acupuncture better than sham at non-indicated points, "no differences
    between acupuncture and SATV", sham at the same points): a count that read only the
    numbers would not say so; whether the words doubt the numbers is for the caller to
    judge, by the arms of each (:func:`on_another_arm`).
    The report's tallies and the claims' counts read them alike.
    """
    found = []
    for x in doc.get("statements", []):
        pair = (x.get("node1"), x.get("node2"))
        if x.get("outcome") not in outcomes or node not in pair or pair[0] == pair[1]:
            continue
        other = pair[1] if pair[0] == node else pair[0]
        if other is None or not accepts(other):
            continue
        favoured = {"favours_arm1": pair[0], "favours_arm2": pair[1]}.get(x.get("direction") or "")
        if x.get("direction") == "no_difference" or (favoured is not None and favoured != node):
            found.append(x)
    return found


def _other_arm(row: Mapping[str, Any], node: str) -> str | None:
    """The arm a statement or contrast row sets against ``node``'s, or None without one."""
    arm = row.get("arm2") if row.get("node1") == node else row.get("arm1")
    return str(arm) if arm else None


def interval_arms(doc: Mapping[str, Any], node: str, refs: Collection[str]) -> list[str]:
    """The arms of a review ``doc`` (normalised) that its results ``refs`` (their raw rows)
    set against ``node``'s, in the order its contrasts give them: the comparator variants
    its intervals are of."""
    arms = [_other_arm(c, node) for c in doc.get("contrasts", [])
            if c.get("ref") in refs and node in (c.get("node1"), c.get("node2")) and c.get("node1") != c.get("node2")]
    return list(dict.fromkeys(a for a in arms if a))


def on_another_arm(doc: Mapping[str, Any], node: str, statement: Mapping[str, Any], refs: Collection[str]) -> bool:
    """Whether a review's ``statement`` (one :func:`statements_not_for` finds) sets ``node``
    against another variant of the comparator than every one of its results ``refs`` is of:
    both its arms named, and the statement's comparator arm not among its intervals'
    (:func:`interval_arms`).

    Lee 2023's intervals are of acupuncture against sham at non-indicated points (SATS);
    its words find no difference against sham at the same points (SATV), another arm of
    the same node. Its intervals then lie where they lie, and the words are a finding of
    their own, not a doubt about them. A statement against the arm of the intervals, or
    one whose arm cannot be told, is the review disagreeing with its own numbers."""
    arm, arms = _other_arm(statement, node), interval_arms(doc, node, refs)
    return bool(arm and arms and arm not in arms)


def arm_words(doc: Mapping[str, Any], arm: str | None, names: Collection[str] = ()) -> str:
    """An arm of ``doc`` as its row describes it, in a sentence ("sham acupuncture at
    non-indicated points (SATS)"), or "" without one."""
    row = next((a for a in doc.get("arms", []) if a.get("arm_id") == arm), None) or {}
    return in_sentence(row.get("description") or row.get("treatment_label") or "", names)


def _stated_otherwise(studies: Sequence[Mapping[str, Any]], node: str, reviews: Collection[str],
                      counts: Callable[[str], bool] | None, outcome: str | None,
                      names: Collection[str] = (), refs: Mapping[str, Sequence[str]] | None = None
                      ) -> dict[str, dict[str, list[str]]]:
    """The statements of each of ``reviews`` that find no difference between ``node`` and a
    comparator that can check the claim (``counts``), or one on the comparator's side, on
    ``outcome``: {review: {"refs": their rows, "said": ["no difference against sham
    acupuncture at the same (verum) points as acupuncture (SATV)"], "disagreeing": the rows
    of those against the arm of its intervals (:func:`on_another_arm`, given each review's
    results counted, ``refs``), "intervals": those arms in words}}.

    Lee 2023's numbers favour acupuncture against one sham (SATS), its words find no
    difference against another of the same node (SATV): its intervals are counted as they
    lie and its words said beside them. Words against the sham of its own intervals would
    put the review on neither side."""
    if counts is None or outcome is None:
        return {}
    by_id = {d["study"]["study_id"]: d for d in studies}
    out: dict[str, dict[str, list[str]]] = {}
    for sid in reviews:
        d = by_id.get(sid) or {}
        mine = list((refs or {}).get(sid) or [])
        for x in statements_not_for(d, node, counts, {outcome}):
            other = x["node2"] if x["node1"] == node else x["node1"]
            against = arm_words(d, _other_arm(x, node), names) or in_sentence(other, names)
            what = "no difference" if x.get("direction") == "no_difference" else "a difference on the comparator's side"
            entry = out.setdefault(sid, {"refs": [], "said": [], "disagreeing": [],
                                         "intervals": [arm_words(d, arm, names)
                                                       for arm in interval_arms(d, node, mine)]})
            entry["refs"].append(str(x["ref"]))
            entry["said"].append(f"{what} against {against}")
            if not on_another_arm(d, node, x, mine):
                entry["disagreeing"].append(str(x["ref"]))
    return out


def stated_words(label: str, said: Sequence[str], intervals: Sequence[str], disagreeing: bool, side: str,
                 *, comma: bool = False, sized: bool = False) -> str:
    """What a tally says of a review's statements finding no difference
    (:func:`_stated_otherwise`): against the arm of its own intervals, or one its rows do not
    tell apart from it, "Review states in words no difference against X, the comparator of
    its own intervals as far as its rows tell, so is not counted on acupuncture's side";
    against another arm, "Review states in words no difference against X; its intervals,
    against Y, are counted as they lie" (``intervals``: those arms in words). ``comma``: a
    label holding commas of its own, closed by one as a subject ("Lee et al. (2023), NMA,
    states").

    ``sized``: beside the reviews' effect sizes, not a count of their sides (the report's
    lines on published reviews): "...; the sizes given are of its intervals, against Y", and
    "..., the comparator of its own intervals as far as its rows tell: its words and its
    intervals disagree"."""
    found = join_list(list(dict.fromkeys(said)))
    against = f", against {join_list(list(intervals))}," if intervals else ""
    if sized:
        if disagreeing:
            return (f"{label}{',' if comma else ''} states in words {found}, the comparator of its own intervals as "
                    "far as its rows tell: its words and its intervals disagree")
        return (f"{label}{',' if comma else ''} states in words {found}; the sizes given are of its "
                f"intervals{against.rstrip(',')}")
    if disagreeing:
        return (f"{label}{',' if comma else ''} states in words {found}, the comparator of its own intervals as far "
                f"as its rows tell, so is not counted on {side}")
    return (f"{label}{',' if comma else ''} states in words {found}; its intervals{against} are counted as they "
            "lie")


def _set_aside_and_stated(rel: Sequence[tuple[Mapping[str, Any], str, Any]], studies: Sequence[Mapping[str, Any]],
                          node: str, outcome: str, counts: Callable[[str], bool], names: Collection[str] = ()) -> str:
    """The trials set aside from a treatment's analyses that could check a claim (``rel``),
    and the sources stating a finding in words on the treatment against a comparator that
    could (``counts``), on the claim's outcome: "; trials set aside, so no effect size to show:
    Rajfur et al. (2022) and Rajfur et al. (2024) (see the table of trials set aside);
    statements in words, which settle no claim here: Hu et al. (2018)", or "".

    A claim on two treatments is judged by what the data hold for each, and each
    treatment's reason names the same kinds of evidence: the reason for "both work" named
    the trials and reviews of acupuncture, and of dry needling only "no usable study",
    though two sham-controlled trials and a review's statement bear on it.

    A trial whose rows report an effect with its interval that cannot enter the analysis
    (:func:`metareview.normalise.set_aside_effect`) is listed apart, with why: "trials
    set aside, so no effect size to show" named Kong 2020 (an MD on an instrument off the
    common scale) and Thomas 2006 (outside the time window) among trials with p-values only.
    """
    by_id = {d["study"]["study_id"]: d for d in studies}
    aside: set[str] = set()
    why: dict[str, list[str]] = {}
    for r, _, _ in rel:
        for e in r.get("excluded") or []:
            if not e.get("label"):
                continue
            reasons = [x for c in (by_id.get(e.get("study_id", "")) or {}).get("contrasts", [])
                       if (x := set_aside_effect(c, r["analysis"])) is not None]
            if reasons or e.get("own_effect"):
                said = why.setdefault(e["label"], [])
                for w in (w for x in reasons for w in x):
                    if w not in said:
                        said.append(w)
            else:
                aside.add(e["label"])
    excluded = sorted(aside - set(why))
    stated = sorted({d["study"]["label"] for d in studies for x in d.get("statements", [])
                     if x.get("outcome") == outcome and node in (x.get("node1"), x.get("node2"))
                     and x.get("node1") != x.get("node2")
                     and (other := x["node2"] if x.get("node1") == node else x.get("node1")) is not None
                     and counts(other)})
    text = ""
    if excluded or why:
        lists = ([f"trials set aside, so no effect size to show: {join_list(excluded)}"] if excluded and not why else
                 [f"trials set aside with no effect size to show: {join_list(excluded)}"] if excluded else [])
        if why:
            # Each with why its effect cannot enter the analysis.
            lists.append("trials set aside though they reported an effect with its interval, which cannot enter the "
                         "analysis: " + join_list([f"{label} ({' and '.join(w)})" if w else label
                                                   for label, w in sorted(why.items())]))
        text += "; " + "; ".join(lists) + " (see the table of trials set aside)"
    if stated:
        text += f"; statements in words, which settle no claim here: {join_list(stated)}"
    return text


def _reviews_of_other_comparators(studies: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]],
                                  node: str, outcome: str, names: Collection[str] = ()) -> str:
    """The published meta-analyses of a treatment on the claim's outcome against a
    comparator no analysis compares it with (a treatment no node includes, or a node with
    no analysis of the pair): "; published meta-analyses against a comparator no analysis
    here has, which cannot check the claim: Liu et al. (2018) against other treatments
    (mixed)", or "". Each review once, with its comparators as its arms describe them."""
    analysed = {frozenset((r["analysis"]["intervention"], r["analysis"]["comparator"])) for r in results
                if r["analysis"]["outcome"] == outcome}
    against: dict[str, list[str]] = {}
    for doc in sorted(studies, key=lambda d: d["study"]["label"]):
        if doc["study"].get("role") != "external":
            continue
        arms = {a["arm_id"]: a for a in doc.get("arms", [])}
        for c in doc.get("contrasts", []):
            if c.get("outcome") != outcome or (c.get("node1") == node) == (c.get("node2") == node):
                continue
            other, other_node = (c["arm2"], c.get("node2")) if c.get("node1") == node else (c["arm1"], c.get("node1"))
            if other_node is not None and frozenset((node, other_node)) in analysed:
                continue
            arm = arms.get(other) or {}
            # As the summary names them: the treatment's label, with its co-intervention.
            co = arm.get("cointervention")
            comp = in_sentence((arm.get("treatment_label") or other)
                               + (f" + {co.replace('_', ' ')}" if co not in (None, "none") else ""), names)
            listed = against.setdefault(doc["study"]["label"], [])
            if comp not in listed:
                listed.append(comp)
    if not against:
        return ""
    return ("; published meta-analyses against a comparator no analysis here has, which cannot check the claim: "
            # "Skelly et al. (2020), AHRQ, against": a comma closes the label's own.
            + "; ".join(f"{label}{', ' if holds_comma(label) else ' '}against {join_list(comps, 'or')}"
                        for label, comps in against.items()))


def _single_study_sides(rel: Sequence[tuple[Mapping[str, Any], str, Any]], own: set[str],
                        node: str) -> list[tuple[Mapping[str, Any], str, Mapping[str, Any], bool | None]]:
    """Each single-study analysis of a treatment (not of the claim's own source) with an
    interval: (result, the other node's label, the study, True when its interval lies
    wholly on the treatment's side, False when wholly on the other's, None when it holds
    no difference), the interval oriented as the treatment against the other node."""
    out = []
    for r, other, _ in rel:
        s = r["studies"][0] if r["studies"] else {}
        if r["status"] != "single_study" or s.get("study_id") in own or s.get("ci_lb") is None:
            continue
        if r["analysis"]["intervention"] == node:
            interval = (s["yi"], s["ci_lb"], s["ci_ub"])
        else:
            interval = (-s["yi"], -s["ci_ub"], -s["ci_lb"])
        side = (True if _favours(r, interval) else
                False if _favours(r, (-interval[0], -interval[2], -interval[1])) else None)
        out.append((r, other, s, side))
    return out


def _single_study_short(rel: Sequence[tuple[Mapping[str, Any], str, Any]], own: set[str], node: str,
                        names: Collection[str] = ()) -> str:
    """What a treatment's single trials against the claim's comparators show, in one
    clause for the summary: "a single trial favours it against no treatment or waiting list
    and is compatible with no difference against sham, minimal needling or placebo TENS",
    or "" when none has an interval. Each comparator once, in the order of the analyses.

    The trials are counted: one three-armed trial (Brinkhaus 2006) behind two comparisons
    read as "single trials" as if several agreed. "Compatible with no difference" is the
    report's words for an interval that holds no difference ("no clear difference" said
    less, and differently from the summary beside it)."""
    by_side: dict[bool | None, list[str]] = {}
    trials: set[str] = set()
    for _, other, s, side in _single_study_sides(rel, own, node):
        trials.add(str(s.get("study_id") or s.get("label")))
        said = by_side.setdefault(side, [])
        if in_sentence(other, names) not in said:
            said.append(in_sentence(other, names))
    one = len(trials) == 1
    verbs = ((True, "favours it" if one else "favour it"),
             (None, "is compatible with no difference" if one else "are compatible with no difference"),
             (False, "favours the control" if one else "favour the control"))
    clauses = [f"{verb} against {with_each(by_side[side], 'against')}" for side, verb in verbs if side in by_side]
    if not clauses:
        return ""
    return (("a single trial " if one else "single trials ")
            + (", ".join(clauses[:-1]) + " and " if len(clauses) > 1 else "") + clauses[-1])


def _single_study_shows(rel: Sequence[tuple[Mapping[str, Any], str, Any]], own: set[str], node: str,
                        name: str, names: Collection[str] = ()) -> str:
    """What each single-study analysis of a treatment shows, comparator by comparator.

    "against no treatment, Brinkhaus et al. (2006)'s interval lies wholly on
    acupuncture's side; against sham, it is compatible with no difference": a reader
    weighing "both work" needs the split, though one trial settles no claim here.
    """
    out = []
    for r, other, s, side in _single_study_sides(rel, own, node):
        # Labels mid-sentence in lower case, as the report's prose names them.
        what = ("compatible with no difference" if side is None
                else f"wholly on {in_sentence(name if side else other, names)}'s side")
        outcome = r["analysis"].get("outcome_label") or r["analysis"]["outcome"].replace("_", " ")
        # The outcome's own brackets as commas (in_brackets): "(pain (VAS))" nested them.
        out.append(f"against {in_sentence(other, names)} ({in_brackets(in_sentence(outcome))}), {s['label']}: {what}")
    return "; ".join(out)


def _add_on_trials(studies: Sequence[Mapping[str, Any]], claim: Mapping[str, Any], nodes: set[str],
                   node_of: Mapping[str, str], labels: Mapping[str, str], names: Collection[str] = ()) -> str:
    """The trials of the design an add-on claim describes, and what each reports.

    A claim that a treatment "added to exercise" beats "exercise alone" (``cointervention``
    and ``comparator`` both set) is about trials that give one group the treatment plus
    the co-intervention and the other the comparator alone. Whatever the verdict, a reader
    needs those trials named: the data may hold them though they cannot settle the claim.
    """
    cointervention, comparator = claim.get("cointervention"), claim.get("comparator")
    if not cointervention or not comparator:
        return ""
    comp_node = node_of.get(comparator, comparator)
    found = []
    for doc in studies:
        if doc["study"].get("role", "trial") != "trial":
            continue
        added = {a["arm_id"] for a in doc["arms"] if a["node"] in nodes and a.get("cointervention") == cointervention}
        alone = {a["arm_id"] for a in doc["arms"] if (a.get("treatment") == comparator or a["node"] == comp_node)
                 and a.get("cointervention") in (None, "none")}
        if not added or not alone:
            continue
        arms = added | alone
        outcomes = {v["outcome"] for v in doc["arm_values"] if v["arm_id"] in added}
        outcomes &= {v["outcome"] for v in doc["arm_values"] if v["arm_id"] in alone}
        outcomes |= {c["outcome"] for c in doc["contrasts"] if {c["arm1"], c["arm2"]} <= arms}
        if outcomes:
            what = "reporting " + join_list([in_sentence(labels.get(o, o.replace("_", " "))) for o in sorted(outcomes)])
        elif any(x.get("arm1") in arms for x in doc.get("statements", [])):
            what = "reporting statements without numbers only"
        else:
            what = "reporting no results"
        # After a comma: in brackets of their own after a label's year, "Hunter et al.
        # (2012) (back-specific disability)" read as two brackets of one label.
        found.append(f"{doc['study']['label']}, {what}")
    # Mid-sentence, as the report's prose names treatments: lower case, acronyms kept.
    treated = " or ".join(in_sentence(labels.get(n, n), names) for n in sorted(nodes))
    design = (f"{treated} added to {cointervention.replace('_', ' ')} against "
              f"{in_sentence(labels.get(comparator, comparator.replace('_', ' ')), names)} alone")
    if not found:
        return f" No trial in the data compares {design}."
    return f" Trials in the data that compare {design}: {'; '.join(sorted(found))}."


def _claimed_mean_difference(claim: Mapping[str, Any], results: Sequence[Mapping[str, Any]], nodes: set[str],
                             node_of: Mapping[str, str], labels: Mapping[str, str],
                             own: Collection[str] = (),
                             scale: Sequence[float | str] | None = None,
                             assumed: bool = False) -> tuple[str, str, str] | tuple[str, str, str, dict[str, Any]] | None:
    """The verdict on a claimed mean difference against an MD of the same treatment,
    comparator and outcome, pooled or of the analysis's one trial, with its reason and its
    short reason (the interval tested and what it shows, in one clause), or None when there
    is no such estimate to test it. A single trial's test comes with a third element, what
    it shows (``trial_check``: the trial, its MD and interval as the claim is read, the
    claimed value, and whether the interval ``excludes`` it), recorded in the claim's
    result; the summary says what the trial shows in the short reason alone. Every test
    records the analysis whose interval it read (``tested_analysis``, its id), for the
    audit to trace the verdict to that analysis's rows.

    The claimed value is the difference on the outcome's common scale, treatment minus
    comparator (``claims.csv``'s codebook). Supported when the interval holds it and lies
    wholly on one side of no difference; not supported when the interval excludes it; not
    checkable when the interval holds both it and no difference. Where no MD is pooled, the
    analysis's one trial is told (whether its interval holds the claimed difference), but
    the claim stays not checkable: one trial cannot check it, as for claims of direction,
    and its interval is given for reference.
    A trial of the claim's own source (``own``) is not used: a source cannot confirm
    itself. With several such analyses (two windows, say), the first pooled one in the
    config's order, and a single trial's only when none is pooled.

    The short reason gives the claimed number on the common scale it is read on, and,
    when the scale is ``assumed`` (the cited source names none), says so: the summary
    gives the short reason alone, and "the claimed −2.30 points on the 0 to 10 scale"
    read as the claim's own scale where it is the review's reading.
    """
    value = claim.get("claimed_value")
    if (claim.get("claimed_measure") != "mean_difference" or value is None or not claim.get("comparator")
            or len(nodes) != 1):
        return None
    (node,) = nodes
    comp = node_of.get(claim["comparator"], claim["comparator"])
    # Pooled estimates first: a single trial tests the claim only where none is pooled,
    # whatever the order of the analyses in the config.
    ordered = sorted(results, key=lambda r: r.get("status") != "pooled")
    for r in ordered:
        a, p = r["analysis"], r.get("pooled")
        if a.get("measure") != "MD" or a["outcome"] != claim["outcome"]:
            continue
        if r.get("status") == "pooled" and p:
            est, lb, ub = p["estimate"], p["ci_lb"], p["ci_ub"]
            basis = f", k = {p['k']}"
            single = False
        elif r.get("status") == "single_study" and r.get("studies") and r["studies"][0].get("study_id") not in own:
            s = r["studies"][0]
            est, lb, ub = s["yi"], s["ci_lb"], s["ci_ub"]
            # Always given in brackets: the label's own as commas (in_brackets), after a
            # semicolon, the label's commas being no list of the interval's parts.
            basis = f"; {in_brackets(s['label'])}, the analysis's only trial"
            single = True
        else:
            continue
        if (a["intervention"], a["comparator"]) == (comp, node):
            est, lb, ub = -est, -ub, -lb
        elif (a["intervention"], a["comparator"]) != (node, comp):
            continue
        # The claim is read on the common scale (claims.csv's codebook), which the verdict
        # names first, with its range: on any other scale (2.3 points of 100, not of 10)
        # it is another claim, and the verdict holds only for this reading.
        # An outcome in natural units gives its unit alone (``[unit]``): no scale to name.
        read = (f"Read in {scale[0]}, the outcome's unit, as a claimed mean difference is: "
                if scale and len(scale) == 1 else
                f"Read on the outcome's common scale ({float(scale[0]):g} to {float(scale[1]):g}), as a claimed "
                "mean difference is: " if scale else "Read on the outcome's common scale: ")
        # A colon after the comparison: "Acupuncture vs Sham, minimal needling or placebo
        # TENS, MD ..." ran the comparator's label into the numbers.
        # Inside the verdict's brackets, the labels' own as commas (in_brackets).
        shown = (f"{in_brackets(labels.get(node, node))} vs {in_brackets(labels.get(comp, comp))}: "
                 f"{_interval(r, 'MD', (est, lb, ub))}{basis}")
        claimed = f"the claimed difference of {f2(float(value))}"
        # The short reason's claimed number, on its scale: "points on the 0 to 10 scale",
        # or, read on it though the claim names none, that reading and its caveat.
        if scale and len(scale) == 2:
            on = f"{float(scale[0]):g} to {float(scale[1]):g} scale"
            said = (f"the claimed {f2(float(value))} points, read on the {on}, which the claim does not name,"
                    if assumed else f"the claimed {f2(float(value))} points on the {on}")
        elif scale:
            said = f"the claimed difference of {f2(float(value))} {scale[0]}"
        else:
            said = "the claimed difference"
        interval = _interval(r, "MD", (est, lb, ub)) + ("" if single else basis)
        if single:
            # One trial settles no claim here (as for claims of direction), least of all
            # one about a pooled result it may be part of: what it shows is told.
            holds = ("excludes" if not lb <= float(value) <= ub else "holds")
            # No published review's MD is told beside it, in the summary or the claims
            # table: Yang 2021's MD -2.60, read on the 0 to 10 scale in the summary alone,
            # states no scale (the results hold it off the common scale), and a number of
            # unknown scale cannot test a claim in points. Reviews settle no claim here;
            # the published meta-analyses' section gives them all.
            # The trial named in the summary's line, which alone says what it shows there.
            # "No MD of the two is pooled here; the interval of the one trial ..." said what
            # is missing before what there is.
            # Not "its interval excludes the claimed difference": one trial's interval set
            # against a claim of a pooled result reads as a check it cannot be. Given for
            # reference; whether it holds the value stays in the data (trial_check).
            return NOT_CHECKABLE, (f"{read}only one usable trial here gives a mean difference of the two, and one "
                                   f"trial cannot check this claim; its interval ({shown}) is given for reference."), (
                f"one trial cannot check {said.rstrip(',')}; the one usable trial's interval "
                f"({in_brackets(r['studies'][0]['label'])}: {interval}) is given for reference"), {
                "trial_check": {"study_id": r["studies"][0].get("study_id"), "label": r["studies"][0]["label"],
                                "analysis": a["id"], "estimate": est, "ci_lb": lb, "ci_ub": ub,
                                "claimed": float(value), "excludes": holds == "excludes"},
                "tested_analysis": a["id"]}
        # The analysis whose interval the verdict names, for the audit to trace it to its rows.
        tested = {"tested_analysis": a["id"]}
        if not lb <= float(value) <= ub:
            return (NOT_SUPPORTED, f"{read}the pooled interval excludes {claimed} ({shown}).",
                    f"the pooled interval ({interval}) excludes {said.rstrip(',')}", tested)
        if lb > 0 or ub < 0:
            return (SUPPORTED, f"{read}the pooled interval holds {claimed} ({shown}).",
                    f"the pooled interval ({interval}) holds {said.rstrip(',')} and excludes no difference", tested)
        # Neither borne out nor counted against: not checkable, as a claimed direction is
        # from the same interval, with why in the short reason too (the summary's).
        return NOT_CHECKABLE, (f"{read}the pooled interval holds {claimed} and no difference alike ({shown}): "
                               f"{IMPRECISE}."), (f"the pooled interval ({interval}) holds {said.rstrip(',')} and "
                                                  f"no difference alike: {IMPRECISE}"), tested
    return None


def _claimed_percent_beside(claim: Mapping[str, Any], doc: Mapping[str, Any] | None, nodes: set[str],
                            names: Collection[str] = ()) -> str:
    """"; Berg et al. reports 25 of 42 (59.5%) in its exercise arm at week 12, beside the
    claimed 60": the cited trial's own percentages for a claimed percentage of patients.

    No verdict is drawn from them (a claimed percentage names no comparison, and which
    arm, timepoint and definition it means is the source's to say), but a reader should
    not have to search the appendix for the number the claim rests on. "" unless the claim
    is a percentage of patients citing a study in the data with event counts or
    percentages on the claimed outcome in an arm of a claimed treatment.
    """
    if claim.get("claimed_measure") != "percent_of_patients" or doc is None or claim.get("claimed_value") is None:
        return ""
    arms = {a["arm_id"]: a for a in doc["arms"]}
    found = []
    for v in doc["arm_values"]:
        arm = arms.get(v["arm_id"], {})
        if v["outcome"] != claim["outcome"] or arm.get("node") not in nodes or not v.get("n"):
            continue
        if v.get("events") is not None:
            share = f"{v['events']:g} of {v['n']:g} ({100 * v['events'] / v['n']:.1f}%)"
        elif v.get("percent") is not None:
            share = f"{v['percent']:g}% of {v['n']:g}"
        else:
            continue
        what = arm.get("treatment_label") or arm.get("treatment") or v["arm_id"]
        when = f" at week {v['timepoint_weeks']:g}" if v.get("timepoint_weeks") is not None else ""
        found.append(f"{share} in its {in_sentence(what, names)} arm{when}")
    if not found:
        return ""
    return (f"; {doc['study']['label']} reports {'; '.join(found)}, beside the claimed "
            f"{float(claim['claimed_value']):g}")


def _one_node(claim: Mapping[str, Any], studies: Sequence[Mapping[str, Any]], node_of: Mapping[str, str],
              labels: Mapping[str, str], names: Collection[str] = ()) -> str:
    """Why a claim comparing treatments of one node cannot be checked.

    The review counts every treatment code of a node as one intervention and combines
    their arms, so no analysis compares strengthening with stretching when both are
    "exercise therapy": "no pooled analysis; no usable study" would blame the trials. The
    trials in the data with arms of both, on the claimed outcome, are named.
    """
    codes = [t for t in claim["treatment"].split(";") if t]
    comparator = claim["comparator"]
    node = node_of.get(comparator, comparator)
    treatment_label = {a["treatment"]: a.get("treatment_label") or a["treatment"]
                       for d in studies for a in d["arms"] if a.get("treatment")}
    # Inside the reason's brackets: a label's own brackets as commas (in_brackets), and the
    # labels then apart by semicolons where one holds a comma (join_list).
    listed = join_list([in_brackets(treatment_label.get(t, t.replace("_", " ")))
                        for t in dict.fromkeys([*codes, comparator])], None)
    trials = sorted({d["study"]["label"] for d in studies
                     if d["study"].get("role", "trial") == "trial"
                     and comparator in {a.get("treatment") for a in d["arms"]}
                     and {a.get("treatment") for a in d["arms"]} & (set(codes) - {comparator})
                     and d["study"]["label"] in _outcome_rows([d], claim["outcome"], {node})})
    return (f"The claim compares treatments this review counts as one, {in_sentence(labels.get(node, node), names)} "
            f"({listed}: grouped as one in the methods), so no analysis compares them"
            + (f"; {', '.join(trials)} "
               + ("compares them, its arms combined" if len(trials) == 1 else "compare them, their arms combined")
               + " in the review's analyses" if trials else "")
            + ".")


def check_claim(claim: Mapping[str, Any], studies: Sequence[Mapping[str, Any]],
                results: Sequence[Mapping[str, Any]], *, node_of: Mapping[str, str],
                labels: Mapping[str, str], controls: Collection[str] | None = None,
                scales: Mapping[str, Sequence[float | str]] | None = None, names: Collection[str] = ()) -> dict[str, Any]:
    """Verdict on one claim (see module docstring).

    ``controls`` are the nodes a claim that names no comparator is checked against
    (:func:`metareview.normalise.control_nodes`); None takes any node but the claim's own treatments.
    ``scales`` gives each outcome's common scale (``[min, max]``), or its unit (``[unit]``)
    for one in natural units, on which a claimed mean difference is read: the verdict says
    so, a claim seldom naming its scale. ``names`` are
    the labels the review marks as proper names (:func:`metareview.fmt.proper_names`),
    written as they are mid-sentence.
    """
    treatments = [t for t in claim["treatment"].split(";") if t]
    nodes = {node_of.get(t, t) for t in treatments}
    outcome = claim["outcome"]
    attributed = claim.get("attributed_study_id")
    by_id = {d["study"]["study_id"]: d for d in studies}
    own = ({sid for sid, d in by_id.items() if d["study"].get("source_id") == claim["source_id"]}
           if claim.get("source_id") else set())
    # The source is kept so that the report can say whose claims these are.
    base = {"claim_id": claim["claim_id"], "claim": claim["claim"], "quote": claim["quote"],
            "attributed_to": claim.get("attributed_to"), "source_id": claim.get("source_id")}

    cited = by_id.get(attributed) if attributed else None
    cited_as = cited_evidence(claim, cited, own)
    # Recorded beside the verdict (``cited``), from the test that words it here.
    base["cited"] = cited_as
    unverified = (f"The cited evidence, {cited['study']['label']}, is known only from the claim's own source and "
                  "is not identified (identity confidence low): it cannot be verified. "
                  if cited is not None and cited_as == CITED_UNVERIFIED else "")

    def verdict(v: str, reason: str, extra: Mapping[str, Any] | None = None, *, short: str) -> dict[str, Any]:
        # ``short_reason``: the reason in one clause, for the report's summary, which lists
        # every claim; the full reason stays in the claims table. Made here, beside the
        # full one, so that the two cannot tell different stories.
        return {**base, "verdict": v,
                "reason": unverified + reason + _add_on_trials(studies, claim, nodes, node_of, labels, names=names),
                "short_reason": ("the cited evidence cannot be verified; " if unverified else "") + short,
                **(extra or {})}

    if claim.get("subgroup"):
        # In the report's signs, as the claim beside it words it ("GAD-7 \u2265 10", not ">=").
        return verdict(NOT_CHECKABLE, "No study in the data reports results for the subgroup "
                       f"\u2018{description(claim['subgroup'])}\u2019"
                       + (f"; {_cited(claim, cited_as)}" if _cited(claim, cited_as) else "")
                       + ".", short="no study in the data reports this subgroup"
                       + (", and the cited evidence is not identified" if cited_as == CITED_NOT_IDENTIFIED
                          else ""))
    if attributed and attributed in by_id:
        doc = by_id[attributed]
        if not _outcome_rows([doc], outcome, nodes):
            return verdict(NOT_CHECKABLE, f"{doc['study']['label']}, as transcribed, reports "
                           f"{_outcome_words(outcome, 'no')}; the claim cannot be traced to any number in the data.",
                           short=f"{doc['study']['label']}, as transcribed, reports {_outcome_words(outcome, 'no')}")
    elif cited_as == CITED_NOT_IDENTIFIED:
        in_data = _outcome_rows(studies, outcome, nodes)
        if claim.get("claimed_measure") != "direction_only" and outcome == OTHER_OUTCOME:
            # "Improves outcomes by 40%": no outcome or scale named, so no number can test it.
            return verdict(NOT_CHECKABLE, f"The cited evidence, {_mid_sentence(claim['attributed_to'])}, is not "
                           "identified, and the claim names no outcome or scale that a number in the data could test.",
                           short="the cited evidence is not identified, and the claim names no outcome a number "
                           "could test")
        if claim.get("claimed_measure") != "direction_only" and not in_data:
            return verdict(NOT_CHECKABLE, f"The cited evidence, {_mid_sentence(claim['attributed_to'])}, is not "
                           f"identified, and no study in the data reports {_outcome_words(outcome)} for "
                           f"{' or '.join(in_sentence(labels.get(n, n), names) for n in sorted(nodes))}.",
                           short=f"the cited evidence is not identified, and no study reports {_outcome_words(outcome)}")
    if claim.get("comparator") and node_of.get(claim["comparator"], claim["comparator"]) in nodes:
        return verdict(NOT_CHECKABLE, _one_node(claim, studies, node_of, labels, names),
                       short="this review counts the treatments compared as one, so no analysis compares them")
    if claim.get("comparator"):
        comp = node_of.get(claim["comparator"], claim["comparator"])
        comparing = [r for r in results if r["analysis"]["outcome"] == outcome
                     and {r["analysis"]["intervention"], r["analysis"]["comparator"]} & nodes
                     and comp in (r["analysis"]["intervention"], r["analysis"]["comparator"])]
        if not comparing:
            return verdict(NOT_CHECKABLE, f"No analysis in this review compares "
                           f"{' or '.join(in_sentence(labels.get(n, n), names) for n in sorted(nodes))} with "
                           f"{in_sentence(labels.get(comp, comp), names)} "
                           f"on {'the outcome claimed' if outcome == OTHER_OUTCOME else outcome.replace('_', ' ')}"
                           + (f" with {claim['cointervention'].replace('_', ' ')} in both groups" if claim.get("cointervention") else "")
                           + (f"; {_cited(claim, cited_as)}" if _cited(claim, cited_as) else "") + ".",
                           short=f"no analysis here compares {' or '.join(in_sentence(labels.get(n, n), names) for n in sorted(nodes))} "
                           f"with {in_sentence(labels.get(comp, comp), names)} on "
                           f"{'the outcome claimed' if outcome == OTHER_OUTCOME else outcome.replace('_', ' ')}")
    if claim.get("claimed_measure") not in (None, "direction_only"):
        if not _outcome_rows(studies, outcome, nodes):
            return verdict(NOT_CHECKABLE, f"No study in the data reports {_outcome_words(outcome)} for "
                           f"{' or '.join(in_sentence(labels.get(n, n), names) for n in sorted(nodes))}.",
                           short=f"no study in the data reports {_outcome_words(outcome)}")
        # The cited result's own instrument range unknown: the results show it off the
        # common scale, where the claim is read on it. Said in the reason and the short
        # reason alike, so that the two readings of one number are one: no range stated,
        # read on the common scale.
        unstated = cited is not None and any(
            c["measure"] == "MD" and c["outcome"] == outcome and not c.get("rescaled")
            for c in cited.get("contrasts", []))
        checked = _claimed_mean_difference(claim, results, nodes, node_of, labels, own,
                                           (scales or {}).get(claim["outcome"]), assumed=unstated)
        if checked is not None:
            v, reason, short, *extra = checked
            scale = (scales or {}).get(claim["outcome"])
            head = (f"Read on the outcome's common scale ({float(scale[0]):g} to {float(scale[1]):g}), as a claimed "
                    "mean difference is: ") if scale and len(scale) == 2 else None
            if unstated and head and scale and reason.startswith(head):
                # "Read on the common scale, as a claimed mean difference is (the cited
                # source states no range, so the results list its number off that
                # scale)" could not be parsed at first reading: the number, the scale it
                # is read on and why the results do not show it there, in that order.
                reason = (f"The claimed {f2(float(claim['claimed_value']))} is read as points on the "
                          f"{float(scale[0]):g} to {float(scale[1]):g} scale, as every claimed mean difference is, "
                          "though the cited source does not name its scale (so the Results give its number as "
                          "printed, not on that scale): " + reason[len(head):])
            elif unstated:
                reason = reason.replace(" as a claimed mean difference is: ",
                                        " as a claimed mean difference is (the cited source states no range, so the "
                                        "Results give its number as printed, not on that scale): ", 1)
            return verdict(v, reason, *extra, short=short)
        if claim["claimed_measure"] == "mean_difference":
            # A mean difference is tested, but no MD of the two is here to test it against
            # (none estimated, or only by a trial of the claim's own source).
            return verdict(NOT_CHECKABLE, "The data hold related results but not the quantity claimed "
                           "(mean difference).", short="the data hold no mean difference of the two to test it")
        return verdict(NOT_CHECKABLE, f"A claimed {claim['claimed_measure'].replace('_', ' ')} is not tested here: "
                       "the data hold related results, but only claims of a direction or of a mean difference are "
                       "checked against them" + _claimed_percent_beside(claim, by_id.get(attributed or ""), nodes, names)
                       + ".", short=f"a claimed {claim['claimed_measure'].replace('_', ' ')} is not tested here")

    # Direction-only claims: each treatment needs a pooled analysis against a control (the
    # claimed comparator when the claim names one, whichever side of the analysis it is on).
    comp = node_of.get(claim["comparator"], claim["comparator"]) if claim.get("comparator") else None

    def counts(other: str) -> bool:
        """Whether an analysis against ``other`` can check the claim."""
        if comp is not None:
            return other == comp
        return other not in nodes and (controls is None or other in controls)

    parts = []
    shorts = []  # each treatment's reason in one clause (``short_reason``)
    published: list[dict[str, Any]] = []  # the reviews each treatment's reason counts (_published_reviews)
    status_by_node = {}
    for node in sorted(nodes):
        rel = []  # (result, label of the other node, estimate and CI oriented as node vs other)
        for r in results:
            a = r["analysis"]
            if a["outcome"] != outcome:
                continue
            if a["intervention"] == node and counts(a["comparator"]):
                p = r["pooled"]
                rel.append((r, a["comparator_label"], None if p is None else (p["estimate"], p["ci_lb"], p["ci_ub"])))
            elif comp is not None and a["intervention"] == comp and a["comparator"] == node:
                p = r["pooled"]
                rel.append((r, a["intervention_label"], None if p is None else (-p["estimate"], -p["ci_ub"], -p["ci_lb"])))
        # A "pooled" result always has its pooled numbers (e); the test lets the checker see it.
        pooled = [(r, other, e) for r, other, e in rel if r["status"] == "pooled" and e is not None]
        if pooled:
            favour = [(r, other, e) for r, other, e in pooled if _favours(r, e)]
            if favour:
                status_by_node[node] = SUPPORTED
                shorts.append(f"for {in_sentence(labels.get(node, node), names)}, a pooled interval lies wholly in "
                              f"its favour against {with_each(list(dict.fromkeys(in_sentence(o, names) for _, o, _ in favour)), 'against')}")
                parts.append(f"{labels.get(node, node)}: " + "; ".join(
                    _pooled_text(r, other, e, names=names) for r, other, e in favour))
            else:
                # No interval bears the claim out; whether the data count against it is
                # for an interval wholly on the other side to say.
                contrary = [(r, other, e) for r, other, e in pooled if _favours(r, (-e[0], -e[2], -e[1]))]
                listed = "; ".join(_pooled_text(r, other, e, names=names, bracketed=True) for r, other, e in pooled)
                name = in_sentence(labels.get(node, node), names)
                if contrary:
                    # An interval wholly on the comparator's side is evidence against the
                    # claim, whatever the others show.
                    status_by_node[node] = NOT_SUPPORTED
                    which = with_each(list(dict.fromkeys(in_sentence(o, names) for _, o, _ in contrary)), "against")
                    lies = ("the interval against {} lies wholly on the comparator's side" if len(contrary) == 1
                            else "the intervals against {} lie wholly on the comparators' side").format(which)
                    shorts.append(f"for {name}, no pooled interval lies wholly in its favour, and {lies}")
                    parts.append(f"{labels.get(node, node)}: no pooled analysis has a confidence interval wholly "
                                 f"in its favour ({listed}); {lies}")
                else:
                    # Each interval holds an effect in the claimed direction and no difference
                    # alike: not checkable, the verdict a claimed mean difference gets from
                    # the same interval (_claimed_mean_difference). "Not supported" is said
                    # only of data that count against a claim: the summary's "no claim is
                    # supported" reads as claims held against the data and found wanting, and
                    # so called, a second trial that agreed with the first turned "not
                    # checkable" (one trial) into "not supported" (the two pooled, on 1 df).
                    status_by_node[node] = NOT_CHECKABLE
                    which = with_each(list(dict.fromkeys(in_sentence(o, names) for _, o, _ in pooled)), "against")
                    holds = ("the pooled interval against {} holds" if len(pooled) == 1
                             else "the pooled intervals against {} each hold").format(which)
                    shorts.append(f"for {name}, {holds} an effect in its favour and no difference alike: {IMPRECISE}")
                    parts.append(f"{labels.get(node, node)}: no pooled analysis has a confidence interval wholly on "
                                 f"one side of no difference ({listed}); "
                                 + ("the interval holds" if len(pooled) == 1 else "each interval holds")
                                 + f" an effect in its favour and no difference alike: {IMPRECISE}")
        else:
            # A study the claim's own source reported cannot check that source's claim.
            singles = sorted({s["label"] for r, _, _ in rel for s in r["studies"] if s.get("study_id") not in own})
            circular = sorted({s["label"] for r, _, _ in rel for s in r["studies"] if s.get("study_id") in own})
            status_by_node[node] = NOT_CHECKABLE
            # What a usable trial would be against, as the full reason says ("no pooled
            # analysis against a control"): "no usable trial" alone read as none of the
            # treatment at all, where its trials against another active treatment (dry
            # needling against acupuncture, head to head) are used, but cannot check
            # whether it works. A sham is a control here (control_nodes): named, since a
            # reader of the summary meets "control" without the rule.
            against_any = (in_sentence(labels.get(comp, comp), names) if comp is not None
                           else "a sham or control" if controls is not None else "a comparator")
            # Trials against a control their source does not name are reported (the
            # Results give their effects): "no usable trial against a sham or control" read
            # as if there were none, so the short names them and why they cannot check it.
            unnamed_here = sorted({s["label"] for r in results if r["analysis"]["outcome"] == outcome
                                   and r["analysis"]["intervention"] == node
                                   and r["analysis"]["comparator"] == UNNAMED for s in r["studies"]}) \
                if comp is None and controls is not None else []
            unnamed_note = (f" ({join_list([in_brackets(x) for x in unnamed_here])}, against a control "
                            f"{'its source does' if len(unnamed_here) == 1 else 'their sources do'} not name, "
                            f"cannot show whether {in_sentence(labels.get(node, node), names)} works)"
                            if unnamed_here else "")
            if unnamed_here:
                against_any = f"a named sham or control{unnamed_note}"
            # No pooled analysis: what single trials show, else why there is none.
            shorts.append(f"for {in_sentence(labels.get(node, node), names)}, "
                          + (_single_study_short(rel, own, node, names) or "only single trials, which settle no claim"
                             if singles else "only trials of the claim's own source" if circular
                             else f"no usable trial against {against_any}" if rel
                             # No analysis of it at all: the review's choice, not a lack of trials.
                             else "no analysis here compares it with "
                             + (in_sentence(labels.get(comp, comp), names) if comp is not None
                                else f"a named sham or control{unnamed_note}" if unnamed_here else "a control")))
            text = f"{labels.get(node, node)}: no pooled analysis" + (
                " against a control" if comp is None and controls is not None else "")
            if singles:
                # What the one study is one of: "only one study" alone read as all the
                # review has of the treatment, where it has more against other comparators.
                against = (f"against {in_sentence(labels.get(comp, comp), names)}" if comp is not None
                           else "against a control" if controls is not None else "against a comparator")
                # The comparator said once: "no pooled analysis against a control, only one
                # study (...)", not "... against a control; only one study against a control".
                said = text.endswith(against)
                lead, tail = (", only", "") if said else ("; only", f" {against}")
                # On the claim's outcome alone: "only one study (Brinkhaus et al., 2006)"
                # read as all the data hold of the treatment against a control, where
                # others report responders, global improvement or disability.
                on = f" on {in_sentence(rel[0][0]['analysis'].get('outcome_label') or outcome.replace('_', ' '))}"
                text += (f"{lead} one usable study{on}{tail} ({in_brackets(singles[0])})" if len(singles) == 1
                         else f"{lead} single usable studies{on}{tail} "
                              f"({join_list(list(map(in_brackets, singles)), None)})")
                shows = _single_study_shows(rel, own, node, labels.get(node, node), names=names)
                if shows:
                    text += f"; single trials settle no claim here, but their intervals show: {shows}"
                others = list(dict.fromkeys(
                    in_sentence(r["analysis"].get("outcome_label") or r["analysis"]["outcome"].replace("_", " "))
                    for r in results if r["analysis"]["outcome"] != outcome and r.get("studies")
                    and ((r["analysis"]["intervention"] == node and counts(r["analysis"]["comparator"]))
                         or (comp is not None and r["analysis"]["intervention"] == comp
                             and r["analysis"]["comparator"] == node))))
                if others:
                    text += (f"; other outcomes, which the claim is not about, have analyses of their own "
                             f"({join_list(others)})")
            if circular:
                text += (f"; {', '.join(circular)} {'comes' if len(circular) == 1 else 'come'} from the claim's own "
                         "source and cannot check it")
            if not singles and not circular:
                text += "; no usable study"
            if comp is None and controls is not None:
                # Studies against a control their source does not name (the blog's trials)
                # are what such a claim often rests on: named, and why they cannot check it.
                found = {s["label"]: s.get("study_id") in own for r in results if r["analysis"]["outcome"] == outcome
                         and r["analysis"]["intervention"] == node and r["analysis"]["comparator"] == UNNAMED
                         for s in r["studies"]}
                unnamed = sorted(found)
                if unnamed:
                    text += (f"; against a control its source does not name, which cannot show whether a treatment "
                             f"works: {', '.join(unnamed)}")
                    # The blog's own trials are what its "both work" rests on: a reader
                    # weighing the verdict should know they are the claim's own evidence,
                    # which could not confirm it even against a named control.
                    mine = [label for label in unnamed if found[label]]
                    verb = "comes" if len(mine) == 1 else "come"
                    if mine and len(mine) == len(unnamed):
                        text += f", which also {verb} from the claim's own source"
                    elif mine:
                        text += f"; of these, {', '.join(mine)} {verb} from the claim's own source"
            text += _set_aside_and_stated(rel, studies, node, outcome, counts, names)
            words, reviews = _published_reviews(rel, node, labels.get(node, node), names=names, studies=studies,
                                                counts=counts, outcome=outcome)
            text += words
            if reviews:
                published.append(reviews)
            text += _reviews_of_other_comparators(studies, results, node, outcome, names)
            parts.append(text)
    values = set(status_by_node.values())
    if values == {SUPPORTED}:
        v = SUPPORTED
    elif NOT_SUPPORTED in values:
        v = NOT_SUPPORTED
    else:
        v = NOT_CHECKABLE
    # The published reviews the reason counts, with their raw rows: what the audit trail
    # names behind each count (only where the reason counts some).
    # The outcome the verdict rests on, named: "single trials favour it" read as pain and
    # disability alike, where only the claim's outcome was checked.
    on = next((in_sentence(r["analysis"]["outcome_label"]) for r in results
               if r["analysis"]["outcome"] == outcome and r["analysis"].get("outcome_label")),
              outcome.replace("_", " "))
    # What the claim cites, where it matches no study here: the summary counts it among
    # the claims whose cited evidence is not identified, which the reason must let a
    # reader follow (the post's evidence table, cited whole, is no one study).
    cites = (f" It cites {_mid_sentence(claim['attributed_to'])}, which is matched to no study in the data, so its "
             "cited evidence is counted as not identified." if cited_as == CITED_NOT_IDENTIFIED else "")
    return (verdict(v, ". ".join(parts) + "." + cites, short=f"on {on}, " + "; ".join(shorts))
            | ({"published_reviews": published} if published else {}))


def check_claims(claims: Sequence[Mapping[str, Any]], studies: Sequence[Mapping[str, Any]],
                 results: Sequence[Mapping[str, Any]], *, node_of: Mapping[str, str],
                 labels: Mapping[str, str], controls: Collection[str] | None = None,
                 scales: Mapping[str, Sequence[float | str]] | None = None,
                 names: Collection[str] = ()) -> list[dict[str, Any]]:
    """Verdicts on every claim, in the order of ``claims`` (see :func:`check_claim`)."""
    return [check_claim(c, studies, results, node_of=node_of, labels=labels, controls=controls, scales=scales,
                        names=names)
            for c in claims]
