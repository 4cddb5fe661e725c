"""The summary's overview of each comparison.

For each comparison of the review: the treatments it compares, the direct evidence (a
pooled estimate, a single study, or trials set aside), the statements made about it, the
published reviews that speak to it and how their verdicts compare with the trials', and
the caveats (doubts about studies, few studies, sensitivity) that go with each result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from metareview.certainty import join_and
from metareview.claims import MISREAD
from metareview.fmt import (
    NARROWER_BY_T,
    SMD_FROM_T_FLAG,
    WARNED_FLAG,
    description,
    f2,
    holds_comma,
    in_brackets,
    join_list,
    ranges,
    rebuilt_interval,
    rounds_to_zero,
    typed,
)
from metareview.fmt import in_sentence as _in_sentence
from metareview.fmt import with_each as _with_each
from metareview.markdown import Markdown, escape
from metareview.normalise import OFF_POPULATION_FITS, UNNAMED, is_cointervention, term_window
from metareview.plots import external_label
from metareview.reexpress import comparator_sd, re_express
from metareview.report.aside import (
    POPULATION_WORDS,
    UNDIRECTED_STATEMENT,
    _aside_count,
    _aside_direction,
    _aside_labels,
    _disagreement_text,
    _exact_disagreement,
    _exact_p_clause,
    _fragility_text,
    _moved,
    _population_clause,
    _reported_p_clause,
    _then,
    _with_excluded,
    exact_test_disagrees,
)
from metareview.report.base import (
    INCLUDES,
    LEVEL_NOT_STATED,
    ReportContext,
    _certainty_clause,
    _config_entry,
    _external_value,
    _memo,
    _names,
    _review_caveats,
    _study_docs,
    _study_labels,
    asymmetry_favours,
    certainty_tag,
    ci_text,
    excludes_no_effect,
    favours_intervention,
    graded_level,
    in_detail,
    informative_statement,
    md_points,
    md_scale,
    md_unit,
    mid_position,
    mid_sentence,
    misread_refs,
    native_change_text,
    native_md_text,
    native_md_where,
    outcome_mid,
    points_digits,
    points_in_brief,
    repeated_groups,
    repeated_refs,
    risk_of_bias_clause,
    sample_size_check,
    shown,
    substantial_heterogeneity,
)
from metareview.report.changes import _either, _full_stop
from metareview.report.keys import (
    _VALUE_KINDS,
    _window_name,
    arm_names,
    sensitive_to,
    widened_only,
)


def _refs_in_words(ctx: ReportContext, text: str) -> str:
    """``text`` with each run of row references (", " between them) by file and row number,
    a file named once for its rows listed one after another: "see the notes of
    arm_outcomes.csv rows 61 and 62", not "arm_outcomes.csv row 61, arm_outcomes.csv row
    62" (Kwon et al., 2007, in its study-effects table), as the audit trail lists rows.
    A reference that resolves to no row is left as it is."""
    def run(m: re.Match[str]) -> str:
        groups: list[tuple[str, list[str]]] = []
        for ref in _REF.findall(m[0]):
            file, row = ctx.raw_rows.get(ref, (ref, None))
            if row is None:
                groups.append((ref, []))
            elif groups and groups[-1][0] == file and groups[-1][1]:
                groups[-1][1].append(str(row))
            else:
                groups.append((file, [str(row)]))
        return ", ".join(f"{file} row{'s' if len(rows) > 1 else ''} {join_and(rows)}" if rows else file
                         for file, rows in groups)
    return _REF_RUN.sub(run, text)


def _verbatim(statements: Sequence[Mapping[str, Any]]) -> list[str]:
    """The source's own words for statements, each once: the raw row's ``quote`` (its
    ``statement`` is the extraction's summary, which no quotation mark may present as the
    source's), in their order."""
    out: list[str] = []
    for st in statements:
        text = str(st.get("quote") or "").strip()
        # Set within the report's double quotation marks, the source's own become single
        # ones, as a quotation within a quotation is written.
        text = re.sub(r'"([^"]*)"|\u201c([^\u201d]*)\u201d', lambda m: f"\u2018{m[1] or m[2] or ''}\u2019", text)
        if text and text not in out:
            out.append(text)
    return out


def _quoted(statements: Sequence[Mapping[str, Any]]) -> list[str]:
    """The source's own words for statements, each once, in the report's quotation marks:
    "“no difference”", or "differences “not statistically significant”" for a quote whose
    own quotation marks set the source's words apart from the extraction's around them.

    Set within the report's marks as a quotation within a quotation (:func:`_verbatim`),
    “differences ‘not statistically significant’” was hard to read, and the marks closing
    together said no more than the inner ones alone."""
    out: list[str] = []
    inner = r'"([^"]*)"|\u201c([^\u201d]*)\u201d'
    for st in statements:
        text = str(st.get("quote") or "").strip()
        if not text:
            continue
        said = (re.sub(inner, lambda m: f"\u201c{m[1] or m[2] or ''}\u201d", text) if re.search(inner, text)
                else f"\u201c{text}\u201d")
        if said not in out:
            out.append(said)
    return out


#: Small counts in words, as a sentence writes them ("three arms").
_NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _source_doubts(study: Mapping[str, Any], statements: Sequence[Mapping[str, Any]],
                   review_population: str = "") -> str:
    """" whose source does not say enough to tell whether its population is this review's
    (adults with chronic non-specific low back pain, ...) and whose statements were
    extracted with low confidence" for the source of statements the bottom line quotes,
    or "".

    The bottom line qualifies a trial it names by its population; a source whose words it
    quotes gets the same doubts, and those of its identity and extraction, so that a
    finding in one direction is not presented with fewer caveats than one in the other.
    ``review_population`` is the review's own (``review.population`` in the config).
    """
    said = []
    # As the other lines word them (SECONDARY, "study identity low").
    identity = study.get("identity_confidence") or "not rated"
    if study.get("source_level") == "secondary":
        said.append(f"{SECONDARY} (study identity {identity})")
    elif identity_low(study):
        said.append("whose study identity is rated low")
    fit = study.get("population_fit")
    population = f" (\u201c{description(study['population'])}\u201d)" if study.get("population") else ""
    if fit in POPULATION_WORDS:
        said.append(f"of {POPULATION_WORDS[fit]} this review\u2019s{population}")
    elif fit == "unclear":
        # Unclear fit means the source says too little (the codebook), so its own cell
        # ("LBP (16 RCTs)") told a clinician nothing: what is known is said instead, with
        # the population it is to be set against.
        ours = review_population.strip().rstrip(".")
        ours = f" ({in_brackets(ours[:1].lower() + ours[1:] if ours[1:2].islower() else ours)})" if ours else ""
        said.append(f"whose source does not say enough to tell whether its population is this review\u2019s{ours}")
    if statements and all(st.get("confidence") == "low" for st in statements):
        said.append(("whose statement was" if len(statements) == 1 else "whose statements were")
                    + " extracted with low confidence")
    return (" " + join_and(said)) if said else ""


def _brief_doubts(study: Mapping[str, Any]) -> str:
    """" No numbers of it are in these data to check (see @tbl-narrative), and its population may differ
    from this review's.": the caveats on a source the summary quotes, one short sentence.

    In brief, as the summary can say them: the numbers it lacks, a population not known to
    be the review's (never the review's own definition again), a source known only at
    second hand. How confidently its words were extracted is the narrative table's to say.
    """
    # What the raw rows hold of it, not what the source holds: a review whose abstract
    # alone was read has numbers, and "gives no numbers" read as its fault.
    said = ["no numbers of it are in these data to check (see @tbl-narrative)"]
    fit = study.get("population_fit")
    if fit in POPULATION_WORDS:
        said.append(f"its population is {POPULATION_WORDS[fit]} this review\u2019s")
    elif fit == "unclear":
        said.append("its population may differ from this review\u2019s")
    if study.get("source_level") == "secondary":
        said.append("it is known only from a secondary source")
    text = join_and(said)
    return f" {text[:1].upper()}{text[1:]}."


def _narrative_head_to_head(ctx: ReportContext, x: Mapping[str, Any], quoted_before: set[str] | None = None, *,
                            numbers_elsewhere: bool = False, brief: bool = False) -> str:
    """The sources whose narrative statements compare an indirect comparison's two treatments.

    Statements carry no numbers to pool, but where they are the only direct comparison
    of the two, the bottom line points to them rather than let "the data cannot say"
    suggest that nothing was ever reported. A statement quoted for an earlier outcome
    (``quoted_before``, which this call extends) is pointed to, not quoted again.

    ``brief`` (the summary's): the source and its words first, its caveats after in one
    short sentence (:func:`_brief_doubts`); forty words of caveat between a source and
    its verb kept the reader from the one quote they came for.
    """
    pair = {x["treatment_a"], x["treatment_b"]}
    seen = set() if quoted_before is None else quoted_before
    said, names = [], []
    any_new = False
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        stated = [st for st in doc["statements"]
                  if {st.get("node1"), st.get("node2")} == pair and st["outcome"] == x["outcome"]]
        texts = _verbatim(stated)
        if texts:
            # What the source says, in its own words and direction: a reader of the bottom
            # line should not have to look the statements up to learn which way they point.
            design = design_text(doc["study"]["design"]) + _source_doubts(
                doc["study"], stated, str(ctx.config.get("review", {}).get("population") or ""))
            article = "an" if design[:1].lower() in "aeiou" else "a"
            new = [t for t in texts if t not in seen]
            quoted = " ".join(f"“{escape(t)}”" for t in new)
            if new and brief:
                any_new = True
                kind = design_text(doc["study"]["design"])
                said.append(f"{'An' if kind[:1].lower() in 'aeiou' else 'A'} {escape(kind)}, "
                            f"{escape(doc['study']['label'])}, states: {quoted}{_brief_doubts(doc['study'])}")
            elif new:
                any_new = True
                said.append(f"{escape(doc['study']['label'])}, {article} {escape(design)}, states: {quoted}")
            else:
                # Its design and doubts were given with its quote: the name is enough.
                said.append(escape(doc["study"]["label"]))
            seen.update(texts)
            names.append(escape(in_brackets(doc["study"]["label"])))
    if not said:
        return ""
    if not any_new:
        # All quoted for an earlier outcome, with what the sources are and how far they can
        # be trusted: said once, pointed to here, by name alone.
        return f" The statements in words quoted above ({'; '.join(names)}) speak of it too."
    if brief:
        return " " + " ".join(said)
    lead = ("In words, without numbers: " if numbers_elsewhere
            else "The only comparison of the two in the data, as this review defines them, is in words, without "
                 "numbers to pool. ")
    return (f" {lead}" + " ".join(said)
            + " Such statements cannot be checked against numbers here (see @tbl-narrative).")


def statement_window(label: str | None, windows: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The time window of the review a statement's timepoint words fall in: None for a
    statement without them (of any time), "" for words the review places in no window
    ("follow-up") or in two.

    A duration the words name ("8 weeks", "6-month follow-up",
    :func:`metareview.checks.label_weeks_span`) places it by its weeks, else the period
    words of the windows' ``terms`` ("post-intervention",
    :func:`metareview.normalise.term_window`), as a trial's timepoint without weeks is.
    """
    from metareview.checks import label_weeks_span

    if not label:
        return None
    span = label_weeks_span(label)
    if span is not None:
        hits = [name for name, w in windows.items()
                if float(w["min_weeks"]) <= span[1] and span[0] <= float(w["max_weeks"])]
        return hits[0] if len(hits) == 1 else ""
    return term_window(label, windows) or ""


def _stated_beside(ctx: ReportContext, r: Mapping[str, Any], leave_out: Collection[str] = ()) -> Markdown:
    """What sources state in words of a head-to-head analysis's two treatments on its
    outcome, and whether its interval bears each statement out: "a meta-analysis, Hu et
    al. (2018), states a difference on dry needling’s side (post-intervention) and no
    difference (follow-up), which the pooled interval here, compatible with a difference
    and with none, neither bears out nor contradicts"; or "" where no source states one,
    or ``r`` (an analysis result) has no estimate, pooled or one trial's.

    Beside a head-to-head estimate, the statements are what a referee weighs it against
    (the one published review of the question says one treatment is better): dropped once
    trials were pooled, they went unsaid just where the pooled interval was too wide to
    settle anything. One clause a source, in the direction its row records, not its quote,
    so that it stays one sentence beside the estimate; @tbl-narrative quotes it. Statements
    count as in the analysis's section without a study effect (``designs``), and a source
    the analysis itself uses is left out, its numbers being the estimate's own, as are the
    studies ``leave_out`` names (those a caller names elsewhere).

    Only a statement of the analysis's window, or of no time, is weighed against its
    interval (:func:`statement_window`): one of another window, or of a time the review
    places in none ("follow-up"), is named, not weighed. A trial of week 4 "did not bear
    out" a review's "no difference at follow-up", which it never measured.
    """
    a = r["analysis"]
    if r["status"] == "pooled":
        interval: Mapping[str, Any] = r["pooled"]
        what = "the pooled interval here"
    elif r["status"] == "single_study" and r["studies"]:
        interval = r["studies"][0]
        what = "the one trial’s interval here"
    else:
        return Markdown("")
    pair = {a["intervention"], a["comparator"]}
    designs = _config_entry(ctx, a["id"]).get("designs", "any")
    used = {s["study_id"] for s in r["studies"]} | set(leave_out)
    labels = {a["intervention"]: a["intervention_label"], a["comparator"]: a["comparator_label"]}
    # The side the interval lies wholly on, or None where it holds no difference.
    side = None
    if excludes_no_effect(interval):
        side = a["intervention"] if favours_intervention(a, interval["ci_lb"]) else a["comparator"]
    where = (" wholly on " + _side_of(_in_sentence(labels[side], _names(ctx))) if side is not None
             else ", compatible with a difference and with none,")
    said = []
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if doc["study"]["study_id"] in used:
            continue
        stated = [x for x in doc["statements"]
                  if {x.get("node1"), x.get("node2")} == pair and x["outcome"] == a["outcome"]
                  and in_designs(add_on_statement(doc, x), designs)]
        if not stated:
            continue
        borne: list[str] = []
        against: list[str] = []
        open_: list[str] = []
        elsewhere: list[str] = []
        unplaced: list[str] = []
        for x in stated:
            favoured = {"favours_arm1": x.get("node1"), "favours_arm2": x.get("node2")}.get(x.get("direction") or "")
            if favoured in labels:
                phrase = "a difference on " + _side_of(_in_sentence(labels[favoured], _names(ctx)))
            elif x.get("direction") == "no_difference":
                phrase = "no difference"
            else:
                # Which way the groups compared is not recorded: nothing to bear out.
                phrase, favoured = "a finding that does not say how the groups compared", "unclear"
            if x.get("timepoint_label"):
                phrase += f" ({escape(in_brackets(str(x['timepoint_label'])))})"
            window = statement_window(x.get("timepoint_label"), ctx.config.get("windows") or {})
            if favoured == "unclear":
                group = open_
            elif window == "":
                group = unplaced
            elif window is not None and window != a.get("window"):
                group = elsewhere
            elif side is None:
                # An interval that holds no difference holds a difference on either side
                # too: it can neither bear out a statement nor contradict it.
                group = borne
            else:
                group = borne if favoured == side else against
            if phrase not in group:
                group.append(phrase)
        # Its doubts as the summary's quote gave them (_brief_doubts): a finding in one
        # direction is not to come with fewer caveats than one in the other.
        kind = design_text(doc["study"]["design"])
        fit = doc["study"].get("population_fit")
        doubts = [f"of {POPULATION_WORDS[fit]} this review’s" if fit in POPULATION_WORDS
                  else "whose population may differ from this review’s" if fit == "unclear" else "",
                  "known only from a secondary source" if doc["study"].get("source_level") == "secondary" else ""]
        doubt = " and ".join(d for d in doubts if d)
        text = (f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {escape(kind)}, {escape(doc['study']['label'])}, "
                f"{escape(doubt) + ', ' if doubt else ''}states ")
        if side is None:
            text += (f"{join_and(borne + open_)}, which {what}{where} neither bears out nor contradicts"
                     if borne else join_and(open_))
        elif borne and against:
            text += (f"{join_and(borne)}, which {what},{where}, bears out, and {join_and(against)}, which it does not"
                     + (f", and {join_and(open_)}" if open_ else ""))
        elif borne or against:
            text += (f"{join_and(borne or against)}, which {what},{where}, {'bears out' if borne else 'does not bear out'}"
                     + (f", and {join_and(open_)}" if open_ else ""))
        else:
            text += join_and(open_)
        # Named after what is weighed, so that "which it does not" never reaches them.
        apart = [f"{join_and(elsewhere)}, of another period than this analysis’s" if elsewhere else "",
                 f"{join_and(unplaced)}, at a time the review places in no window" if unplaced else ""]
        apart = [x for x in apart if x]
        if apart:
            weighed = bool(borne or against or open_)
            text += ((", and " if weighed else "") + join_and(apart)
                     + (", which it does not test" if weighed else f", which {what} does not test"))
        said.append(text)
    return Markdown("; ".join(said))


#: How the bottom line groups one treatment's results: by where the confidence interval
#: lies, or, for a sparse table whose Wald interval and exact test disagree, by the test.
SIDES = ("for", "against", "neither", "exact_for", "exact_against", "exact_neither")


def _node_label(ctx: ReportContext, node: str) -> str:
    """A treatment's label as its analyses give it (as intervention, else as comparator),
    else the config's."""
    return next((r["analysis"]["intervention_label"] for r in ctx.analyses if r["analysis"]["intervention"] == node),
                next((r["analysis"]["comparator_label"] for r in ctx.analyses if r["analysis"]["comparator"] == node),
                     ctx.labels.get(node, node)))


def _treatment_overview(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> str:
    """Where one treatment's results lie, comparator by comparator: a clinician's first question.

    One point per comparator of ``node``, each comparison said in one place: under it, a
    line per outcome with an estimate (pooled, or one study's): the measure, estimate and
    interval, what the interval shows (wholly on the treatment's side, wholly on the
    comparator's, or compatible with no difference; a sparse table whose Wald interval and
    exact test disagree says both), and its study or k with their caveats. Then the
    outcomes it has studies of but no estimate: those whose studies could not be pooled
    (fewer than ``methods.min_studies``, or comparators the sources do not name), a single
    study known only from a secondary source (set apart: its numbers cannot be checked),
    and those whose every trial was set aside, with the comparator's trials set aside
    (:func:`_aside_count`); then its published meta-analyses (:func:`_external_tallies`)
    and where they and the trials differ (:func:`_reviews_and_trials`). Analyses
    ``given`` as (comparator, outcome, window), those of the review's question that the
    bottom line gives first, are left out.

    Comparators are in order of how much evidence they hold: a pooled estimate first,
    then one study's, then studies each shown but not pooled, then none (trials set
    aside, a study set apart, reviews only); alike, in the order the analyses first name
    them. Grouped by what the intervals show instead, one comparison
    was said in up to five places, and one trial split across two of them.

    Returned as "Label: point." when there is one point to make, else as the label
    followed by an indented Markdown list, a point per comparator (and, last, the one on
    what is not counted), each comparator's lines a list nested in its point.
    """
    label = _node_label(ctx, node)
    name = _in_sentence(label, _names(ctx))
    level = float(ctx.config["methods"].get("level", 95))
    # The time window goes with each outcome only when the analyses span more than one.
    windows = {r["analysis"]["window"] for r in ctx.analyses if node in (r["analysis"]["intervention"],
                                                                          r["analysis"]["comparator"])}
    # The measure goes with it only where one comparison is analysed on two (nicotine patch
    # against placebo as RR and as OR): two lines of one outcome read as a contradiction.
    measures: dict[tuple[Any, ...], set[str]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        measures.setdefault((frozenset((a["intervention"], a["comparator"])), a["outcome"], a["window"]),
                            set()).add(a["measure"])
    # By comparator label, in the order the analyses first name them.
    results: dict[str, list[str]] = {}  # a line per outcome with an estimate (Markdown)
    unpooled: dict[str, list[str]] = {}  # outcomes whose studies could not be pooled (plain text)
    unusable: dict[str, list[str]] = {}  # outcomes whose every trial was set aside
    unchecked: dict[str, list[str]] = {}  # single studies known only from a secondary source
    # The analyses whose trials set aside the comparator's one clause counts, those with a
    # result too: without them, "pooled, k = 2" read as all the trials.
    aside: dict[str, list[Mapping[str, Any]]] = {}
    # Each analysis's outcome as its line names it, and by comparator the outcomes each
    # trial is used for: one set aside from an outcome but used for another is named
    # (_aside_count's ``partly``).
    outcome_of: dict[str, tuple[str, str]] = {}  # (outcome alone, with window and measure)
    used_for: dict[str, dict[str, list[str]]] = {}  # analysis ids
    sides: dict[str, set[str]] = {}  # where each comparator's intervals lie (SIDES)
    rank: dict[str, int] = {}  # 0 pooled, 1 one study, 2 studies not pooled, 3 no estimate
    worded: dict[str, dict[str, dict[str, Any]]] = {}  # trials with a result in words only, by study id
    for r in ctx.analyses:
        a = r["analysis"]
        # The treatment as an analysis's comparator too (usual care against exercise, in a
        # review that compares usual care with sham indirectly): the sides then swap.
        other = {a["intervention"]: "comparator", a["comparator"]: "intervention"}.get(node)
        if other is None or (a[other], a["outcome"], a["window"]) in given:
            continue
        if other == "intervention":
            a = {**a, "comparator_label": a["intervention_label"], "swapped": True}
        comp = a["comparator_label"]
        for lines in (results, unpooled, unusable, unchecked):
            lines.setdefault(comp, [])
        aside.setdefault(comp, [])
        # Whatever the analysis's status: a trial known from its words alone is the
        # comparator's, beside a result as beside none (words_only_trials).
        for t in words_only_trials(ctx, r):
            held = worded.setdefault(comp, {}).setdefault(t["study_id"], {**t, "stated": []})
            held["stated"] += [x for x in t["stated"] if x not in held["stated"]]
        sides.setdefault(comp, set())
        rank.setdefault(comp, 3)
        when = "" if len(windows) == 1 else f", {_in_sentence(a['window_label'].split('(')[0].strip())}"
        what = f"{_in_sentence(a['outcome_label'])}{when}"
        if len(measures[(frozenset((a["intervention"], a["comparator"])), a["outcome"], a["window"])]) > 1:
            # A result names its measure beside its number ("RR 1.95"); the others here.
            when += f", {a['measure']}"
        outcome_of[a["id"]] = (_in_sentence(a["outcome_label"]), f"{_in_sentence(a['outcome_label'])}{when}")
        # The studies a line below gives, not one set apart (known only from a secondary source).
        if r["status"] in ("pooled", "not_poolable") or (
                r["status"] == "single_study" and not set_apart(r["studies"][0])):
            for study in r["studies"]:
                used_for.setdefault(comp, {}).setdefault(study["label"], []).append(a["id"])
        if r["status"] == "not_poolable":
            # Why, as the analysis's reason gives it (metareview.analysis.pool_analysis).
            why = ("comparators the sources do not name, not assumed to be one treatment"
                   if UNNAMED in (a["intervention"], a["comparator"])
                   else f"fewer than the {int(ctx.config['methods'].get('min_studies', 2))} pooling needs")
            unpooled[comp].append(f"{r['k']} studies on {_in_sentence(a['outcome_label'])}{when}, not pooled ({why}): "
                                  f"{join_and([s['label'] for s in r['studies']])}")
            rank[comp] = min(rank[comp], 2)
            continue
        if r["status"] not in ("pooled", "single_study"):
            if _aside_labels(r):
                unusable[comp].append(f"{_in_sentence(a['outcome_label'])}{when}")
                aside[comp].append(r)
            continue
        if r["status"] == "pooled":
            # The studies' doubts by their weight in sentences after the line (weight_sentences).
            wide = ", an interval wider than any of its trials' own" if _few_studies_caveat(r) else ""
            # A small-study test that found asymmetry, as the bottom line says it
            # (asymmetry_clause), in a clause: a reason for caution about the estimate.
            lopsided = ", its small-study test finding asymmetry" if asymmetry_favours(r) is not None else ""
            # Substantial heterogeneity (I² of 50% or more over 4 or more trials) likewise.
            spread_out = f", {degree} heterogeneity" if (degree := substantial_heterogeneity(r)) else ""
            p, who = r["pooled"], f"pooled, k = {r['pooled']['k']}{_sensitive_in_brief(r)}{wide}{spread_out}{lopsided}"
            interval, estimate = p, p["estimate"]
            rank[comp] = 0
        else:
            s = r["studies"][0]
            if set_apart(s):
                # No estimate to weigh, as for trials set aside: ranked with them.
                # With its identity rated low where it is (Liu & Park 2021, named only in
                # the post the review checks): "known only from a secondary source" alone
                # left it a trial whose publication the team had merely not read.
                unchecked[comp].append(s["label"] + (", its identity rated low" if identity_low(s) else ""))
                continue
            rank[comp] = min(rank[comp], 1)
            # "one study": beside "pooled, k = 2", a bare trial name did not say that a
            # whole comparison rests on one trial. In brackets: the label's year set off by
            # commas.
            interval, estimate, who = s, s["yi"], f"one study, {in_brackets(s['label'])}"
            # What the Results say of how far the trial can be trusted, in a clause each.
            doubts = _study_doubts_in_brief(s)
            if doubts:
                who += f", {join_and([one for one, _ in doubts])}"
        # A sparse table whose Wald interval and exact test disagree: the result as any
        # other, then a sentence that names the two as separate methods, by the test's
        # finding. In one bracket, "95% CI 0.98 to 14.44, ..., p = 0.026" read as one.
        exact = r["status"] == "single_study" and exact_test_disagrees(interval, level)
        shows = float(interval["exact_p"]) < 1 - level / 100 if exact else excludes_no_effect(interval)
        mine = favours_intervention(a, estimate) != bool(a.get("swapped"))
        side = ("exact_" if exact else "") + ("neither" if not shows else "for" if mine else "against")
        sides[comp].add(side)
        if not exact and r["status"] == "single_study" and _reported_p_clause(ctx, r["analysis"], interval):
            # Carlsson 2001: a Wald interval on a sparse table that includes no
            # difference, where the trial's own test found one. Said here too.
            who += ", whose own test disagrees with this interval"
        # The team's risk-of-bias judgements where no GRADE level on this line weighs them,
        # as the key messages give them.
        who += risk_of_bias_clause(ctx, r)
        grade = graded_level(ctx, r)
        statement = informative_statement(ctx, r, swapped=bool(a.get("swapped")))
        # The estimate and its interval on each line: where an interval lies says whether
        # there is a difference, not whether it is worth having, which a clinician
        # deciding what to offer asks next.
        effect, spread = _effect_in_brief(ctx, a, estimate, interval)
        # Inside the result's brackets, a label's own as commas (in_brackets), and no
        # possessive after them.
        own = f"the side of {in_brackets(name)}" if "(" in name else f"{name}\u2019s side"
        if side == "neither" and estimate != 0:
            # Which side the point estimate lies on: among negative differences that
            # favour the treatment, a pooled SMD of 0.15 gave no sign that it leans the
            # comparator's way, though its interval settles nothing.
            spread += f", point estimate on {own if mine else 'the comparator' + chr(0x2019) + 's side'}"
        line = f"{what[:1].upper()}{what[1:]}: {effect} ({spread}; {who})"
        if statement:
            # Graded: the finding worded by its level (GRADE's informative statements),
            # not where the interval lies, which reads the same at every level.
            assert grade is not None
            line += f"; {statement} ({certainty_tag(grade)})."
        elif exact:
            toward = f"on {name}\u2019s side" if mine else "on the comparator\u2019s side"
            methods = _exact_disagreement(side != "exact_neither", toward, float(interval["exact_p"]),
                                          fragile=_fragility_text(a, interval, level, _names(ctx)))
            line += f". {methods[:1].upper()}{methods[1:]}."
        else:
            line += {"for": f", interval wholly on {own}.",
                     "against": ", interval wholly on the comparator\u2019s side.",
                     "neither": ", interval compatible with no difference"
                                + (f" but {TOO_WIDE} ({ONE_DF})." if too_wide_to_inform(interval, ctx, r["analysis"])
                                   else ".")}[side]
        if grade and not statement:
            # A level with no statement of its own (an interval that informs nothing, or a
            # sparse table's two methods that disagree): the level beside the usual words.
            line += f" {certainty_tag(grade)}."
        if r["status"] == "pooled" and weight_sentences(r):
            line += f" {weight_sentences(r)}"
        # An SMD in its instruments' points: a size a clinician can weigh (Cochrane
        # Handbook 15.5.3.2), beside the standard deviations few can.
        in_points = points_in_brief(ctx, r, swapped=bool(a.get("swapped")))
        if in_points:
            line += f" {in_points}"
        results[comp].append(escape(line))
        if _aside_labels(r):
            aside[comp].append(r)
    reviews = _external_tallies(ctx, node, label, given)
    differing = _reviews_and_trials(ctx, node, label, given, brief=True)
    heads = _unblinded_note(ctx, sides, label)
    order = list(rank)
    said = []
    first_reviews = True
    for comp in sorted(order, key=lambda c: (rank[c], order.index(c))):
        points = list(results[comp])
        points += [escape(_full_stop(f"{x[:1].upper()}{x[1:]}")) for x in unpooled[comp]]
        if unchecked[comp]:
            points.append(escape(f"{join_and(unchecked[comp])}, known only from a secondary source, set apart."))
        if unusable[comp]:
            points.append(escape(_full_stop(f"{join_and(unusable[comp])}: no usable study")))
        # The comparator's trials set aside, once, whichever of its outcomes set them aside:
        # one trial (Haake 2007) was said in two places.
        aside_from: dict[str, list[str]] = {}
        for r in aside[comp]:
            for trial in _aside_labels(r):
                aside_from.setdefault(trial, []).append(r["analysis"]["id"])
        partly: dict[str, tuple[list[str], list[str]]] = {}
        for trial, out in aside_from.items():
            used = [x for x in used_for.get(comp, {}).get(trial, []) if x not in out]
            if used:
                # The outcomes alone where they tell the analyses apart: "from pain intensity,
                # short term only, as it is used for back-specific disability, short term"
                # repeated a window that tells nothing here.
                alone = len({outcome_of[x][0] for x in out + used}) == len(out + used)
                which = 0 if alone else 1
                partly[trial] = ([outcome_of[x][which] for x in out], [outcome_of[x][which] for x in used])
        count = _aside_count(ctx, aside[comp], reason=bool(unusable[comp]), partly=partly).strip()
        if count:
            points.append(count)
        # Beside those set aside, the trials whose result is in words only: counted among
        # the trials that give no usable estimate, they were in no line of them, and the
        # one left out against sham was the one reporting no difference. A trial used or
        # set aside for another outcome is counted there.
        words = [t for t in worded.get(comp, {}).values()
                 if t["label"] not in used_for.get(comp, {}) and t["label"] not in aside_from]
        if words:
            points.append(words_only_point(words))
        if comp in reviews:
            # What the published reviews are and are not, said once, with the first line on
            # them, whose own words then do not say again that they share trials.
            points.append("[Published meta-analyses](#sec-external) (shown apart, not pooled with these trials; "
                          "reviews share trials and differ in scope and population): "
                          + reviews[comp].replace(SHARE_TRIALS, "", 1) if first_reviews else
                          "[Published meta-analyses](#sec-external): " + reviews[comp])
            first_reviews = False
        if comp in differing:
            points.append(differing[comp])
        if not points:
            continue
        head = escape(f"Against {_in_sentence(comp, _names(ctx))}{heads.get(comp, '')}")
        # A study set apart, and nothing else, in one sentence: the other points hold a
        # colon of their own, which after the comparator's read as a list in a list.
        if len(points) == 1 and unchecked[comp]:
            said.append(f"{head}: {points[0]}")
        else:
            said.append(_sub_points(f"{head}:", [f"{p[:1].upper()}{p[1:]}" for p in points]))
    if not any(results.values()):
        # Studies not pooled have effects of their own, which their lines name. A study set
        # apart has one too (Liu & Park 2021, against an unnamed control): "no estimate
        # against any other comparator" denied the estimate its own point names below.
        # Said positively where there is one: "No analysis has an estimate ... except that
        # of a study ..." made a reader undo a negative.
        apart = sum(len(x) for x in unchecked.values())
        kind = "pooled or single-study estimate" if any(unpooled.values()) else "estimate"
        if not apart:
            said.insert(0, escape(f"No analysis has {'a' if any(unpooled.values()) else 'an'} {kind} against any "
                                  f"{'other ' if given else ''}comparator."))
        else:
            against = ("another comparator" if given else "any comparator") if apart == 1 else (
                "other comparators" if given else "any comparator")
            said.insert(0, escape(
                f"The only {kind} against {against} is that of a study known only from a secondary source, set "
                "apart below." if apart == 1 else
                f"The only {kind}s against {against} are those of {apart} studies known only from a secondary "
                "source, set apart below."))
    pointer = _not_counted_pointer(ctx, node, given)
    points = [*said, *([pointer] if pointer else [])]
    if len(points) == 1 and "\n" in points[0]:
        # One comparator with lines of its own: under the treatment, as with several, not
        # "Label: Against sham:" run together.
        return f"{escape(label)}:\n" + f"  - {points[0]}".replace("\n", "\n  ")
    return _points(escape(label), points)


def _not_counted_pointer(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> str:
    """"Not counted here: published results of reviews known only from a secondary source, ... or
    against a comparator no analysis here has (see [Published meta-analyses](#sec-external))
    and statements in words on these comparisons (see [Narrative evidence](#sec-narrative))."
    for ``node``, naming only the kinds it has; "" when it has none.

    The summary listed each of them, about 250 words naming sources it then said do not
    count, and a review listed as "against medication, not counted" read as contradicting
    the same review used on another comparison further on. The lists are in the sections
    named (and the reviews not counted in each analysis's line of the Results); the
    summary says that they exist and where.
    """
    apart = _review_tallies(ctx, node, given)[3]
    kinds = [("read only in a document other than the review\u2019s own" if why == READ_ELSEWHERE else why)
             for why, _, _ in _apart_groups(apart)] if _external_tallies(ctx, node, "", given) else []
    if _unanalysed_reviews(ctx, node):
        kinds.append("against a comparator no analysis here has")
    said = ([f"published results of reviews {join_list(kinds, 'or')} (see [Published meta-analyses](#sec-external))"]
            if kinds else [])
    if _statements_overview(ctx, node, given):
        said.append("statements in words on these comparisons (see [Narrative evidence](#sec-narrative))")
    return f"Not counted here: {' and '.join(said)}." if said else ""


def _unanalysed_reviews(ctx: ReportContext, node: str) -> str:
    """"Published meta-analyses against a comparator no analysis here has, not counted (see
    @tbl-external): Liu et al. (2018) against other treatments (mixed)." for the published
    results of ``node`` against a treatment that no analysis compares it with (a treatment
    no node includes, or a node with no analysis of the pair), each review once with its
    comparators; or "".

    The summary's list for a treatment gave the published reviews of its analyses and the
    sources that state a finding in words, but not a review of another comparator: of dry
    needling, the two reviews in the data (against a mix of other treatments) went
    unmentioned, while a review's sentence in words on it was named. A reader of the
    summary alone should know they exist, and that they are not counted.
    """
    analysed = {frozenset((r["analysis"]["intervention"], r["analysis"]["comparator"])) for r in ctx.analyses}
    against: dict[str, list[str]] = {}
    for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
        if doc["study"].get("role") != "external":
            continue
        names = arm_names(doc["arms"])
        for c in doc["contrasts"]:
            if (c.get("node1") == node) == (c.get("node2") == node):
                continue  # neither arm the treatment's, or both (a comparison within it)
            other, other_node = (c["arm2"], c.get("node2")) if c.get("node1") == node else (c["arm1"], c.get("node1"))
            if other_node is not None and frozenset((node, other_node)) in analysed:
                continue
            comp = _in_sentence(names.get(other, other), _names(ctx))
            listed = against.setdefault(doc["study"]["label"], [])
            if comp not in listed:
                listed.append(comp)
    if not against:
        return ""
    reviews = [_against(label, join_list(comps, "or")) for label, comps in against.items()]
    return (escape("Published meta-analyses against a comparator no analysis here has, not counted")
            + " (see @tbl-external): " + escape(_full_stop("; ".join(reviews))))


def _left_out_of(ctx: ReportContext, results: Sequence[Mapping[str, Any]]) -> Markdown:
    """The summary's clause on the trials ``results`` set aside, after its sentence or
    line of them: how many and which way they went (:func:`_aside_count`), the details
    left to the section it names.

    A trial left out of an analysis only for its timepoints, which an analysis of the
    same comparison and outcome in another window uses (:func:`_window_only_aside`), is
    not counted: a review of two windows read "4 trials set aside" of five that every
    analysis pooled, each measured in one window and so outside the other."""
    return _aside_count(ctx, [_without_window_only(ctx, r) for r in results])


def _without_window_only(ctx: ReportContext, result: Mapping[str, Any]) -> Mapping[str, Any]:
    """``result`` without the trials it left out only for their timepoints, which another
    window's analysis uses (:func:`_window_only_aside`)."""
    return {**result, "excluded": [e for e in result.get("excluded") or [] if not _window_only_aside(ctx, result, e)]}


def _window_only_aside(ctx: ReportContext, result: Mapping[str, Any], excluded: Mapping[str, Any]) -> bool:
    """Whether ``result`` left the trial ``excluded`` out for its timepoints alone, each of
    another window (:func:`_only_in_another_window`), and an analysis of the same two
    treatments and outcome in that window uses it (:func:`_used_in_other_windows`): it
    has no result in this window, rather than one that could not be used."""
    return _only_in_another_window(excluded) and bool(_used_in_other_windows(ctx, result, excluded)[1])


def _effect_in_brief(ctx: ReportContext, a: Mapping[str, Any], estimate: float,
                     interval: Mapping[str, Any]) -> tuple[str, str]:
    """A result as the summary's list of comparators gives it: ("MD −2.17 points on the
    0 to 10 scale", "95% CI −2.98 to −1.36"), or ("RR 1.74", "95% CI 1.43 to 2.11").

    ``estimate`` and ``interval`` (``ci_lb``/``ci_ub``) are on the analysis scale, the
    analysis's intervention against its comparator; an analysis ``swapped`` by
    :func:`_treatment_overview` (the treatment as its comparator) is turned round, a
    difference negated and a ratio inverted (its log negated), so that the number reads
    as the treatment against the comparator the list names.
    """
    lb, ub = interval["ci_lb"], interval["ci_ub"]
    if a.get("swapped"):
        estimate, lb, ub = -estimate, -ub, -lb
    level = float(ctx.config["methods"].get("level", 95))
    note = rebuilt_note(interval, swapped=bool(a.get("swapped")))
    return (f"{a['measure']} {f2(shown(a, estimate))}{md_points(ctx, a)}",
            f"{level:g}% CI {ci_text(shown(a, lb), shown(a, ub))}{note}{mid_sentence(ctx, a, lb, ub, brief=True)}")


def rebuilt_note(study: Mapping[str, Any], swapped: bool = False) -> str:
    """", rebuilt from the width of the source's −3.00 to −1.39" after a study's interval
    that was rebuilt around its estimate from the source's width, else "".

    The study table gives it as the effect's flag (:func:`metareview.extract.rebuilt_interval`
    reads it back); the summary and the Results print the interval where readers quote it
    from, and one checking it against the source must learn there why it differs. Said
    without a semicolon or brackets, as it sits inside the brackets of a list of results.
    ``swapped``: the analysis turned round (:func:`_effect_in_brief`), the bounds with it.
    A pooled estimate has no flags, so no note.

    An interval drawn with z from an SE the source's width gave with t (a small trial's
    mean difference) is narrower than the source's, not rebuilt from the same width, and
    is said so: the source's may hold a no-difference the one shown leaves out.
    """
    flags = study.get("flags") or []
    source = rebuilt_interval(flags)
    if source is None:
        return ""
    lb, ub = (-source[1], -source[0]) if swapped else source
    if any(NARROWER_BY_T in str(f) for f in flags):
        return f", narrower than the source\u2019s {ci_text(lb, ub)}, its SE taken with t and drawn with z"
    return f", rebuilt from the width of the source\u2019s {ci_text(lb, ub)}"


def _against(study: str, comparator: str) -> str:
    """"Trial C against sham"; "Liu & Park, 2021, against an unnamed control" after a label
    set for brackets (:func:`metareview.fmt.in_brackets`), whose year a comma opened and
    one closes."""
    return f"{study}{', ' if holds_comma(study) else ' '}against {comparator}"


def _points(label: str, points: Sequence[str]) -> str:
    """"Label: point." for one point; else the label and an indented list of the points, each
    starting with a capital (Markdown, nested in the summary's list of treatments)."""
    points = [p.strip() for p in points]
    if len(points) == 1:
        return f"{label}: {points[0]}"
    # A point's own nested list (:func:`_sub_points`) two spaces further in, under the
    # point's text rather than beside it: Markdown nests a list by its indentation.
    return f"{label}:\n" + "\n".join(f"  - {p[:1].upper()}{p[1:]}".replace("\n", "\n  ") for p in points)


def _node_roles(ctx: ReportContext) -> dict[str, set[str | None]]:
    """Each node's label and the roles (``treatments.csv``) of the treatments it groups
    (None for a treatment the table does not list)."""
    role = {t["treatment"]: t.get("role") for t in ctx.raw_tables.get("treatments", [])}
    return {v["label"]: {role.get(t) for t in v["treatments"]} for v in ctx.config.get("nodes", {}).values()}


def _unblinded_note(ctx: ReportContext, sides: Mapping[str, Collection[str]], label: str) -> dict[str, str]:
    """" (participants could not be blinded: results on outcomes they report themselves
    carry expectation and attention along with acupuncture itself, which only a sham comparison separates)" after
    each control (no treatment, waiting list, usual care: ``role`` control) with a result
    on the treatment's side, by comparator label, with what the sham comparisons show when
    none of them shows a difference; the reason said with the first, " (participants could
    not be blinded here either)" with the others. ``sides``: where each
    comparator's intervals lie (:data:`SIDES`).

    Against a control, participants and assessors of a self-reported outcome cannot be
    blinded to the treatment (the design implies it; no trial need report it): such a result carries expectation and attention along with the treatment
    itself, and only a sham comparison separates them (Cochrane Handbook 8.4). A reader of
    a list that sets the two side by side needs the difference said, beside the
    comparisons it concerns. The treatment is named by ``label``, whatever the review
    compares.
    """
    roles = _node_roles(ctx)
    controls = [c for c, held in sides.items() if "for" in held and roles.get(c) == {"control"}]
    if not controls:
        return {}
    shams = [c for c, held in sides.items() if {"neither", "exact_neither"} & set(held) and roles.get(c) == {"sham"}]
    sham_for = any({"for", "exact_for"} & set(held) for c, held in sides.items() if roles.get(c) == {"sham"})
    # Of outcomes participants report themselves: an outcome measured without them (a
    # tuberculosis diagnosis, days in hospital) carries less of their expectation.
    first = (f" (participants could not be blinded: results on outcomes they report themselves carry "
             f"expectation and attention along with {_in_sentence(label, _names(ctx))} itself, which only a sham "
             "comparison separates"
             + (f"; against {_with_each([_in_sentence(c, _names(ctx)) for c in shams], 'against')} no difference is "
                "shown)" if shams and not sham_for else ")"))
    return {c: first if i == 0 else " (participants could not be blinded here either)"
            for i, c in enumerate(controls)}


def unclear_statement(statement: Mapping[str, Any]) -> bool:
    """Whether a statement names a comparator but not how the groups compared
    (``direction`` = ``unclear``): "the dry needling group improved significantly"
    (Martín-Corrales 2020) may be a change within that group, which says nothing of it
    against the other."""
    return statement.get("direction") == "unclear" and bool(statement.get("arm2"))


#: Said after the name of a source whose statements on a comparison all leave open how
#: the groups compared (:func:`unclear_statement`): listed among the statements "on these
#: comparisons" without it, such a source read as a between-group finding.
UNCLEAR_STATED = ", whose statement does not say how the groups compared"


#: Said after such a statement in the narrative table, and explained in its caption.
UNCLEAR_CELL = "How the groups compared is not stated."


def _stating(ctx: ReportContext) -> dict[tuple[frozenset[Any], str], set[tuple[str, bool, bool]]]:
    """Who states what: by pair of nodes and outcome, each source's label, whether the
    statement is of an add-on design (:func:`add_on_statement`) and whether it leaves
    open how the groups compared (:func:`unclear_statement`). Read once, not once per
    analysis."""
    stating: dict[tuple[frozenset[Any], str], set[tuple[str, bool, bool]]] = {}
    for doc in ctx.normalised:
        for x in doc["statements"]:
            stating.setdefault((frozenset((x.get("node1"), x.get("node2"))), x["outcome"]), set()).add(
                (doc["study"]["label"], add_on_statement(doc, x), unclear_statement(x)))
    return stating


def _stated_names(labels: Iterable[tuple[str, bool]]) -> list[str]:
    """The sources of statements on one comparison, in order, from (label, unclear)
    pairs: a source each of whose statements leaves open how the groups compared is named
    with :data:`UNCLEAR_STATED`, one with any statement that says it by its name alone.

    >>> _stated_names([("B (2020)", True), ("A (2018)", False), ("A (2018)", True)])
    ['A (2018)', 'B (2020), whose statement does not say how the groups compared']
    """
    unclear: dict[str, bool] = {}
    for label, open_ in labels:
        unclear[label] = unclear.get(label, True) and open_
    return [label + (UNCLEAR_STATED if open_ else "") for label, open_ in sorted(unclear.items())]


def _statements_overview(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> str:
    """"Statements in words on these comparisons, not counted (see @tbl-narrative):" and,
    as a nested list (:func:`_sub_points`), a point for each comparator: "Against Sham:
    Kerr et al. (2003) and Lee et al. (2023)."; for the statements comparing ``node`` with
    a comparator of its analyses on their outcome, or "".

    A tally of published reviews whose intervals lie one way says nothing of the sources
    that report, in words, no difference; a reader weighing the tally needs to know they
    exist, though words are not counted.
    """
    stating = _stating(ctx)
    by_comparator: dict[str, set[tuple[str, bool]]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        other = {a["intervention"]: a["comparator"], a["comparator"]: a["intervention"]}.get(node)
        if other is None or (other, a["outcome"], a["window"]) in given:
            continue
        designs = _config_entry(ctx, a["id"]).get("designs", "any")
        labels = {(label, unclear) for label, add_on, unclear in stating.get((frozenset((node, other)), a["outcome"]), ())
                  if in_designs(add_on, designs)}
        if labels:
            comp = a["comparator_label"] if other == a["comparator"] else a["intervention_label"]
            by_comparator.setdefault(comp, set()).update(labels)
    if not by_comparator:
        return ""
    # A point for each comparator, its sources an ordinary list ("A and B"): run into one
    # sentence, the comparators' lists in brackets and separated by semicolons, the sources
    # with commas of their own ("Kerr et al. (2003), authors unverified") were hard to part.
    said = []
    for comp, stated in by_comparator.items():
        listed = escape(f"Against {_in_sentence(comp, _names(ctx))}: {join_list(_stated_names(stated))}")
        said.append(listed if listed.endswith(".") else f"{listed}.")
    # Not "sources that compare them only in words": a trial may state a finding in words
    # beside the numbers its analysis uses (Cherkin 2009).
    return _sub_points("Statements in words on these comparisons, not counted (see @tbl-narrative):", said)


def _statements_on_analyses(ctx: ReportContext) -> str:
    """"Statements in words on the comparisons analysed, not counted in any estimate (see
    @tbl-narrative):" and a point for each comparison and outcome of the analyses that
    statements speak of: "Acupuncture vs Usual care (pain intensity): Guideline G (2020).";
    or "" when no statement compares the two treatments of an analysis on its outcome.

    The summary of a review without indirect comparisons, as the overview of each
    treatment does for a review with them (:func:`_statements_overview`): a reader of the
    summary alone learns that sources state a finding in words, though words are not
    counted. A statement counts for an analysis as in its section (:func:`_elsewhere`): on
    the analysis's two treatments and outcome, at any timepoint, in the analysis's
    ``designs``. Two analyses of one comparison and outcome (two windows, say) share a
    point: statements are not placed in windows. Above :func:`detail_limit` analyses, one
    sentence counts the comparisons instead of a list as long as the results table.
    """
    stating = _stating(ctx)
    by_comparison: dict[tuple[str, str, str], tuple[str, set[tuple[str, bool]]]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        designs = _config_entry(ctx, a["id"]).get("designs", "any")
        labels = {(label, unclear) for label, add_on, unclear in stating.get((frozenset((a["intervention"], a["comparator"])),
                                                                             a["outcome"]), ())
                  if in_designs(add_on, designs)}
        if labels:
            # The outcome's own brackets as commas (in_brackets): "(pain (vas))" nested them.
            name = f"{a['intervention_label']} vs {a['comparator_label']} ({in_brackets(_in_sentence(a['outcome_label']))})"
            by_comparison.setdefault((a["intervention"], a["comparator"], a["outcome"]), (name, set()))[1].update(labels)
    if not by_comparison:
        return ""
    if not in_detail(ctx):
        n = len(by_comparison)
        return (f"Statements in words speak of {n} of the comparisons analysed (on their outcomes), not counted in "
                "any estimate (see @tbl-narrative).")
    points = [f"{escape(name)}: {join_list([escape(x) for x in _stated_names(labels)], markdown=True)}"
              for name, labels in by_comparison.values()]
    # A label that ends a point with its own full stop ("... et al.") takes no second one.
    return ("Statements in words on the comparisons analysed, not counted in any estimate (see @tbl-narrative):\n\n"
            + "\n".join(f"- {p}" if p.endswith(".") else f"- {p}." for p in points))


def _question_analyses(ctx: ReportContext, node: str) -> set[tuple[str, str, str]]:
    """(comparator, outcome, window) of the analyses of ``node`` against the other treatment
    of an indirect comparison, on its outcome and window: those the bottom line gives."""
    given = set()
    for x in ctx.indirect:
        pair = (x["treatment_a"], x["treatment_b"])
        if node in pair:
            given.add((pair[1] if node == pair[0] else pair[0], x["outcome"], x["window"]))
    return given


def _review_tallies(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> tuple[
        dict[str, dict[str, list[str]]], dict[str, list[Mapping[str, Any]]], dict[str, set[str]],
        list[Mapping[str, Any]], dict[str, dict[str, list[str]]], dict[str, dict[str, list[Mapping[str, Any]]]]]:
    """What :func:`_external_tallies` tallies for ``node``, by comparator label: each
    review's sides (one per result with an interval), the published results counted, the
    outcomes they are of, the results set apart (:func:`_split_secondary`, each with
    ``tally_comparator``, the comparator label of its tally), the reviews
    counted once with another that prints the same result (:func:`_alike_reviews`: the
    review kept, and those counted with it) and the reviews whose own statements find no
    difference against a comparator of the tally (:func:`_stated_no_difference`). One walk
    for the summary's tallies and their audit rows (:func:`_review_tally_audit_rows`).
    Each result counted carries ``tally_outcome`` and ``tally_measure``, its analysis's
    outcome and measure."""
    # Each result judged by its own analysis's direction (a responder ratio favours the
    # intervention above 1, a pain difference below 0), then each review as a whole.
    results: dict[str, dict[str, list[str]]] = {}
    counted: dict[str, list[Mapping[str, Any]]] = {}
    outcomes: dict[str, set[str]] = {}
    comparators: dict[str, set[str]] = {}
    apart: list[Mapping[str, Any]] = []
    for r in ctx.analyses:
        a = r["analysis"]
        if a["intervention"] != node or (a["comparator"], a["outcome"], a["window"]) in given:
            continue
        reviews = results.setdefault(a["comparator_label"], {})
        identified, secondary = _split_secondary(_external_in_window(r), misread_refs(ctx))
        for sid, sides in _result_sides(a, identified).items():
            reviews.setdefault(sid, []).extend(sides)
        counted.setdefault(a["comparator_label"], []).extend(
            {**e, "tally_outcome": a["outcome"], "tally_measure": a["measure"]} for e in identified)
        comparators.setdefault(a["comparator_label"], set()).add(a["comparator"])
        if identified:
            outcomes.setdefault(a["comparator_label"], set()).add(a["outcome"])
        # Each with its tally, for the words that say why a result of one is left out.
        apart.extend({**e, "tally_comparator": a["comparator_label"]} for e in secondary)
    alike: dict[str, dict[str, list[str]]] = {}
    stated: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for comp, reviews in results.items():
        alike[comp], stated[comp] = _count_once(ctx, node, comparators[comp], outcomes.get(comp, set()), reviews,
                                                counted[comp])
    return results, counted, outcomes, apart, alike, stated


def _count_once(ctx: ReportContext, node: str, comparators: Collection[str], outcomes: Collection[str],
                reviews: dict[str, list[str]], entries: Sequence[Mapping[str, Any]]
                ) -> tuple[dict[str, list[str]], dict[str, list[Mapping[str, Any]]]]:
    """A tally's reviews' sides (``reviews``, by review, changed in place) as independent
    findings: the reviews that print the same result counted as one, the first keeping
    the sides of all (:func:`_alike_reviews`), and a review whose own statements find no
    difference against a comparator of the tally given a side of no difference
    (:func:`_stated_no_difference`). Returns the two, for the words that say so.

    Only statements against the comparator of the review's own intervals (or one its rows
    do not tell apart from it) put it on no side: each statement carries ``other_arm``,
    true for one against another arm of the node (:func:`metareview.claims.on_another_arm`),
    and ``intervals``, the arms its intervals are of in words. Lee 2023's intervals, all
    against sham at non-indicated points, are counted as they lie; its words of no
    difference against sham at the same points are said beside them. Counted off its
    side, "4 of 5 reviews have every interval wholly on acupuncture's side" read as one
    review's interval crossing zero."""
    from metareview.claims import arm_words, interval_arms, on_another_arm

    alike = _alike_reviews(ctx, reviews, entries)
    for kept, others in alike.items():
        for other in others:
            reviews[kept].extend(reviews.pop(other))
    stated = _stated_no_difference(ctx, node, comparators, outcomes, [sid for sid, sides in reviews.items() if sides])
    docs = _study_docs(ctx)
    for sid, statements in stated.items():
        doc = docs.get(sid) or {}
        refs = [e["ref"] for e in entries if e["study_id"] == sid and e.get("ref") and e["measure"] != "p_only"
                and e.get("ci_lb") is not None and e.get("ci_ub") is not None]
        words = [arm_words(doc, arm, _names(ctx)) for arm in interval_arms(doc, node, refs)]
        stated[sid] = [{**x, "other_arm": on_another_arm(doc, node, x, refs), "intervals": words} for x in statements]
        if not all(x["other_arm"] for x in stated[sid]):
            reviews[sid].append("neither")
    return alike, stated


def _analysis_verdicts(ctx: ReportContext, a: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]
                       ) -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[Mapping[str, Any]]]]:
    """Each review's verdict (:func:`_review_verdict`) on an analysis's published results,
    counted as the summary's tallies count them (:func:`_count_once`), with the reviews
    counted as one and those whose statements find no difference."""
    reviews = _result_sides(a, entries)
    alike, stated = _count_once(ctx, a["intervention"], {a["comparator"]}, {a["outcome"]}, reviews,
                                [{**e, "tally_outcome": a["outcome"]} for e in entries])
    return {sid: _review_verdict(sides) for sid, sides in reviews.items()}, alike, stated


def _alike_reviews(ctx: ReportContext, reviews: Mapping[str, Sequence[str]],
                   entries: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The reviews of one tally that print a result with the same estimate and bounds as
    another review of the tally (:func:`metareview.checks.repeated_results`), grouped: the
    first review of each group in the tally's order, with the others counted with it.

    Two reviews that print one SMD and interval alike (Yuan 2015 and a 2020 review: SMD
    −0.47, −0.77 to −0.17) give one finding, whether one repeats the other or both pool
    the same trials: counted as two, the tally would read as two independent confirmations
    (Pollock et al., Cochrane Handbook v6, chapter V, on overlap between reviews in an
    overview). Linked reviews are grouped transitively; their results with an interval
    are judged together.
    """
    from metareview.checks import alike_groups

    # Each review's results with an interval, in the tally's order.
    refs: dict[str, list[str]] = {sid: [] for sid in reviews}
    for e in entries:
        if (e["study_id"] in refs and e["measure"] != "p_only" and e.get("ci_lb") is not None
                and e.get("ci_ub") is not None and e.get("ref")):
            refs[e["study_id"]].append(e["ref"])
    return alike_groups(ctx.normalised, refs, repeated_groups(ctx))


def _stated_no_difference(ctx: ReportContext, node: str, comparators: Collection[str], outcomes: Collection[str],
                          reviews: Collection[str]) -> dict[str, list[Mapping[str, Any]]]:
    """The statements (statements.csv) of each of ``reviews`` that find no difference
    between ``node`` and one of ``comparators`` on one of ``outcomes``, or one favouring
    the comparator: {review: its statements}, for those that make one
    (:func:`metareview.claims.statements_not_for`, which the claims' counts read too)."""
    from metareview.claims import statements_not_for

    docs = _study_docs(ctx)
    out: dict[str, list[Mapping[str, Any]]] = {}
    for sid in reviews:
        found = statements_not_for(docs.get(sid) or {}, node, lambda other: other in comparators, outcomes)
        if found:
            out[sid] = found
    return out


def _stated_note(ctx: ReportContext, node: str, stated: Mapping[str, Sequence[Mapping[str, Any]]], side: str,
                 bracketed: bool = True) -> str:
    """What the reviews of :func:`_stated_no_difference` state, as :func:`_count_once`
    counts them, or "": "Lee et al. (2023), NMA, states in words no difference against
    sham acupuncture at the same (verum) points as acupuncture (SATV); its intervals,
    against sham acupuncture at non-indicated points (SATS), are counted as they lie" for
    words on another arm of the node than its intervals'; "..., the comparator of its own
    intervals as far as its rows tell, so is not counted on acupuncture's side" for words
    that put it on no side (:func:`metareview.claims.stated_words`). The comparator as
    the review's arm describes it (both shams are one node); ``side`` as :func:`_side_of`
    gives it. A review whose words are of both kinds gets a clause for each."""
    from metareview.claims import arm_words, stated_words

    docs = _study_docs(ctx)
    said = []
    mark = "TALLYSIDEMARK"  # the side, Markdown already, put back after escaping the rest
    for sid, statements in stated.items():
        doc = docs[sid]
        label = in_brackets(doc["study"]["label"]) if bracketed else doc["study"]["label"]
        for other_arm in (False, True):
            these = [x for x in statements if bool(x.get("other_arm")) == other_arm]
            if not these:
                continue
            whats = []
            for x in these:
                arm = x.get("arm2") if x.get("node1") == node else x.get("arm1")
                what = "no difference" if x.get("direction") == "no_difference" else "a difference on the comparator's side"
                whats.append(f"{what} against {arm_words(doc, arm, _names(ctx))}")
            # "Lee et al. (2023), NMA, states": the label's own comma closed, as a subject.
            said.append(stated_words(label, whats, list(these[0].get("intervals") or []), not other_arm, mark,
                                     comma=not bracketed and holds_comma(label), sized=True))
    if not said:
        return ""
    return escape("; ".join(said)).replace(mark, side)


def _alike_note(ctx: ReportContext, alike: Mapping[str, Sequence[str]], bracketed: bool = True) -> str:
    """"the same result printed by Acupunct Med 2020 meta-analysis, authors unverified and
    by Yuan et al., 2015, counted as one review" for each group of :func:`_alike_reviews`,
    or ""; not ``bracketed``, "Acupunct Med 2020 meta-analysis (authors unverified) and Yuan
    et al. (2015) print the same result, counted here as one review". The preposition
    before each label (:func:`metareview.fmt.with_each`): labels holding commas, run
    together with "and", read as three reviews."""
    docs = _study_docs(ctx)

    def label(sid: str) -> str:
        return in_brackets(docs[sid]["study"]["label"]) if bracketed else docs[sid]["study"]["label"]

    # Inside brackets, a sentence's own words: "A, authors unverified and Yuan et al., 2015
    # print" could not be told from the notes the semicolons part.
    said = [f"the same result printed by {_with_each([label(kept), *map(label, others)], 'by')}, counted as one review"
            if bracketed else f"{join_and([label(kept), *map(label, others)])} print the same result, counted here as "
            "one review" for kept, others in alike.items()]
    return escape("; ".join(said))


def _external_tallies(ctx: ReportContext, node: str, label: str,
                      given: Collection[tuple[str, str, str]] = ()) -> dict[str, str]:
    """The published meta-analyses of one treatment, by comparator label: how many reviews
    with confidence intervals there are, that they share trials, and how large their
    results are, "5 reviews with confidence intervals (5 on pain intensity, 1 on
    back-specific disability), which share trials: on pain intensity, the SMDs of 3 of the
    5 range from −0.54 to −0.33; on back-specific disability, one of the 5 gives an SMD of
    −0.13. Lam et al. (2013) is at the edge of no difference (MD −16.76, 95% CI −33.33 to
    −0.19, p = 0.05). Caveats.", Markdown; none for a comparator without a review with an
    interval. Each review counts once per comparator, whatever the number of its results,
    outcomes and windows, and reviews printing one result alike count as one finding
    (:func:`_count_once`); a review's own words of no difference are said beside its
    sizes. The reviews not counted are listed in the section of published meta-analyses
    and in each analysis's line of the Results, and pointed to
    (:func:`_not_counted_pointer`).

    Never a count of the reviews whose intervals lie wholly on one side ("5 of 5 reviews
    have every interval wholly on acupuncture's side"): counting reviews by significance
    is vote counting (Cochrane Handbook 12.2), and reviews that share trials are no
    independent votes. The sizes say how large; the results at or across no difference
    are named (:func:`touching_text`), as the key messages name them (:func:`review_sizes`)."""
    results, counted, outcomes, apart, alike, stated = _review_tallies(ctx, node, given)
    misread = _misread_apart(apart)
    side = _side_of(_in_sentence(label, _names(ctx)))
    level = float(ctx.config["methods"].get("level", 95))
    said = {}
    for comp, reviews in results.items():
        with_ci = _verdicts_with_ci(reviews)
        if not with_ci:
            continue
        tallied = {sid for sid, sides in reviews.items() if _review_verdict(sides) != "no interval"}
        unique = _tally_results(counted[comp], tallied, alike[comp])
        # Printed alike by two reviews counted as one: no longer a caveat of the tally.
        shared = _alike_refs(ctx, counted[comp], alike[comp])
        sizes = _sizes_by_outcome(ctx, unique, outcomes.get(comp, set()))
        edge = touching_text(unique, level)
        # The caveats in sentences after the sizes: run in with them, "no confidence level
        # stated for ...; a result printed alike by another study, counted as the review's
        # own, for A and for B: see ..." could not be read.
        caveats = "".join(f" {_full_stop(c[:1].upper() + c[1:])}" for c in [
            escape(edge),
            _alike_note(ctx, alike[comp], bracketed=False),
            _stated_note(ctx, node, stated[comp], side, bracketed=False),
            *_review_caveats(unique, repeated_refs(ctx) - shared, bracketed=False),
            _misread_note(misread.get(comp, []))] if c)
        n = len(with_ci)
        over = _over_outcomes(ctx, counted[comp], tallied, alike[comp], n)
        head = ("the one review with confidence intervals" if n == 1 else
                f"{n} reviews with confidence intervals{over}{SHARE_TRIALS}")
        # Without an SMD or a ratio, each review's difference is on a scale of its own.
        size = (f": {sizes}" if sizes else
                f", {'its' if n == 1 else 'each'} difference on a scale of its own")
        said[comp] = f"{head}{size}.{caveats}"
    return said


#: What a line on published reviews says of them beside their count: they are no
#: independent findings (:func:`_external_tallies`).
SHARE_TRIALS = ", which share trials"


def _misread_apart(apart: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """The results of :func:`_review_tallies`'s ``apart`` left out as printed alike by a
    review of another comparison or outcome (:data:`MISREAD`, as :func:`_apart_groups`
    groups them: a result also known only from a secondary source is left out for that),
    by the comparator label of their tally, each once."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for comp in dict.fromkeys(e["tally_comparator"] for e in apart):
        out[comp] = [e for why, _, group in _apart_groups([e for e in apart if e["tally_comparator"] == comp])
                     if why == MISREAD for e in group]
    return {comp: entries for comp, entries in out.items() if entries}


def misread_counts(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()) -> dict[str, int]:
    """By comparator label, how many results the tallies of reviews of ``node`` leave out as
    printed alike by a review of another comparison or outcome (:func:`_misread_apart`):
    the number :func:`_external_tallies` gives beside its tally, for the key messages to
    give beside theirs (:func:`review_counts`)."""
    return {comp: len(entries) for comp, entries in _misread_apart(_review_tallies(ctx, node, given)[3]).items()}


def _misread_note(entries: Sequence[Mapping[str, Any]]) -> str:
    """"2 results printed alike by a review of another comparison or outcome (a row read
    from the wrong table?), from A and B, are left out until each row is checked in its
    source (see @tbl-warnings)", for the results of :func:`_misread_apart` of one tally, or
    "". Said beside the tally, where "counted here as one review" stood when the match
    was taken for one finding: which results the tally leaves out, and why."""
    if not entries:
        return ""
    n = len(entries)
    labels = join_list(sorted({e["label"] for e in entries}))
    return (escape(f"{_apart_count(MISREAD, n)} (a row read from the wrong table?), from {labels}, "
                   f"{'is' if n == 1 else 'are'} left out until each row is checked in its source")
            + " (see @tbl-warnings)")


def _verdicts_with_ci(reviews: Mapping[str, Sequence[str]]) -> list[str]:
    """The verdicts (:func:`_review_verdict`) of a tally's reviews that give an interval."""
    return [v for v in map(_review_verdict, reviews.values()) if v != "no interval"]


def _worded(stated: Mapping[str, Sequence[Mapping[str, Any]]], reviews: Mapping[str, Sequence[str]]) -> int:
    """The reviews of a tally whose every interval lies on the treatment's side but whose
    own words, on the comparator of those intervals, disagree (:func:`_count_once` gave
    them a side of no difference, last)."""
    return sum(1 for sid, xs in stated.items() if not all(x.get("other_arm") for x in xs)
               and _review_verdict(reviews[sid][:-1]) == "for")


def review_sizes(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()
                 ) -> dict[str, dict[str, Any]]:
    """By comparator label, the effect sizes of the published reviews of ``node`` that
    :func:`_external_tallies` counts (those with confidence intervals, reviews printing
    one result alike as one, each result once: :func:`_tally_results`): ``ranges``, each
    scale-free measure's (:func:`_size_ranges`, over every outcome of the comparator:
    ``measure``, ``values`` lowest first, ``of`` the reviews giving one, ``given`` the
    results), ``reviews`` (how many), ``outcomes`` (how many outcomes the results are
    of), ``other`` (the reviews giving an interval on no scale-free measure: a mean
    difference on a scale of their own), and ``touching``, the results whose interval
    reaches no difference: one bound at it, or a p-value given of at least the review's
    alpha (Lam 2013: MD −16.76, −33.33 to −0.19, p = 0.05). ``by_outcome`` gives the same
    outcome by outcome, in the detail's order: ``outcome``, ``label``, ``ranges``,
    ``on_scale`` (the mean differences on the analysis's own scale, lowest first), ``of``
    (the reviews giving either) and ``touching``. A range over pain and disability
    together (−0.54 to −0.13 against sham) gave disability's −0.13 as the low end of a
    range a reader takes for pain's.

    Counting reviews by whether their intervals exclude no difference is vote counting
    (Cochrane Handbook 12.2), of reviews that share trials; the key messages give the
    sizes instead, and name any interval at the edge of no difference.
    """
    results, counted, _, _, alike, _ = _review_tallies(ctx, node, given)
    level = float(ctx.config["methods"].get("level", 95))
    # Outcomes in the detail's order (:func:`_sizes_by_outcome`), each with its label.
    labels = {r["analysis"]["outcome"]: r["analysis"]["outcome_label"] for r in ctx.analyses}
    order = list(labels)
    out: dict[str, dict[str, Any]] = {}
    for comp, reviews in results.items():
        tallied = {sid for sid, sides in reviews.items() if _review_verdict(sides) != "no interval"}
        if not tallied:
            continue
        unique = [e for e in _tally_results(counted[comp], tallied, alike[comp])
                  if e["measure"] != "p_only" and e.get("ci_lb") is not None and e.get("ci_ub") is not None]
        kept = {other: sid for sid, others in alike[comp].items() for other in others}
        ranges = _size_ranges(unique)
        scaled = {kept.get(e["study_id"], e["study_id"]) for x in ranges for e in x["given"]}
        touching = touching_results(unique, level)
        by_outcome: list[dict[str, Any]] = []
        for outcome in sorted({e.get("tally_outcome") for e in unique},
                              key=lambda o: order.index(o) if o in order else len(order)):
            mine = [e for e in unique if e.get("tally_outcome") == outcome]
            # A mean difference on the analysis's own scale (drawn in its forest plot, as
            # Mu 2020's VAS rescaled to 0 to 10) is a size a panel reads in points.
            on_scale = on_scale_mds(mine)
            parts = _size_ranges(mine)
            giving = {kept.get(e["study_id"], e["study_id"]) for x in parts for e in x["given"]}
            giving |= {kept.get(e["study_id"], e["study_id"]) for e in on_scale}
            if parts or on_scale:
                by_outcome.append({"outcome": outcome, "label": labels.get(outcome, outcome), "ranges": parts,
                                   "on_scale": on_scale, "of": len(giving),
                                   "touching": [e for e in touching if e.get("tally_outcome") == outcome]})
        scaled |= {kept.get(e["study_id"], e["study_id"]) for x in by_outcome for e in x["on_scale"]}
        out[comp] = {"ranges": ranges, "reviews": len({kept.get(sid, sid) for sid in tallied}),
                     "outcomes": len({e.get("tally_outcome") for e in unique}),
                     "other": sorted({kept.get(e["study_id"], e["study_id"]) for e in unique} - scaled),
                     "touching": touching, "by_outcome": by_outcome}
    return out


def touching_results(entries: Iterable[Mapping[str, Any]], level: float) -> list[Mapping[str, Any]]:
    """The published results of ``entries`` whose interval reaches no difference: a bound
    at it or beyond (on the analysis scale, a ratio's logged: no difference at 0), or a
    p-value given of at least the review's alpha (1 − its confidence level, else the
    review's ``level``). Lam 2013: MD −16.76, −33.33 to −0.19, p = 0.05, at the edge."""
    out = []
    for e in entries:
        if e.get("measure") == "p_only" or e.get("ci_lb") is None or e.get("ci_ub") is None:
            continue
        alpha = 1 - float(e.get("ci_level") or level) / 100
        p = e.get("p_value")
        if float(e["ci_lb"]) <= 0 <= float(e["ci_ub"]) or (p is not None and (e.get("p_qualifier") or "=") in ("=", ">")
                                                          and float(p) >= alpha - 1e-12):
            out.append(e)
    return out


def touching_text(entries: Iterable[Mapping[str, Any]], level: float) -> str:
    """The results of :func:`touching_results` named with their numbers, plain text, or
    "": "Lam et al. (2013) is at the edge of no difference (MD −16.76, 95% CI −33.33 to
    −0.19, p = 0.05)"; a result whose interval holds no difference well inside, "Review
    X's interval includes no difference (SMD −0.20, 95% CI −0.45 to 0.05)".

    Said where the reviews' sizes are given, in place of a count of those whose intervals
    exclude no difference (vote counting, Cochrane Handbook 12.2): which result sits at or
    across the line, by name, with the numbers that show how near."""
    said = []
    for e in touching_results(entries, level):
        log = bool(e.get("log_scale")) and e.get("estimate_exp") is not None
        est, lb, ub = ((e["estimate_exp"], e.get("ci_lb_exp"), e.get("ci_ub_exp")) if log
                       else (e["estimate"], e["ci_lb"], e["ci_ub"]))
        numbers = f"{e['measure']} {f2(est)}"
        if lb is not None and ub is not None:
            numbers += f", {_level_text(e)}CI {ci_text(lb, ub)}"
        if e.get("p_value") is not None:
            numbers += f", p {e.get('p_qualifier') or '='} {typed(float(e['p_value']))}"
        across = float(e["ci_lb"]) < 0 < float(e["ci_ub"])
        said.append(f"{e['label']}\u2019s interval includes no difference ({numbers})" if across
                    else f"{e['label']} is at the edge of no difference ({numbers})")
    return "; ".join(said)


def review_counts(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()
                  ) -> dict[str, tuple[int, int]]:
    """By comparator label, how many published reviews of ``node`` with confidence
    intervals have every interval wholly on its side, and how many there are, counted as
    :func:`_external_tallies` counts them ("4 of 5 reviews ...; 1 more has every interval
    there too, but its own words disagree": 5 of 5 here, by their intervals)."""
    results, _, _, _, _, stated = _review_tallies(ctx, node, given)
    counts = {}
    for comp, reviews in results.items():
        with_ci = _verdicts_with_ci(reviews)
        if with_ci:
            counts[comp] = (with_ci.count("for") + _worded(stated[comp], reviews), len(with_ci))
    return counts


def _over_outcomes(ctx: ReportContext, entries: Sequence[Mapping[str, Any]], tallied: Collection[str],
                   alike: Mapping[str, Sequence[str]], n: int) -> str:
    """" (3 on each outcome)" or " (5 on pain intensity, 1 on back-specific disability)"
    after a tally's "4 of 4 reviews with confidence intervals", where the tally is the
    union of its reviews over more than one outcome and not every review has an interval
    on each; "" otherwise. The reviews of each outcome are counted as the tally counts
    them (those counted as one with another, as that one).

    The Results give the reviews of each outcome (3 on pain, 3 on disability, against no
    treatment), the summary one tally for the comparator: "4 of 4" beside them read as a
    count the Results left out. Said as ", over both outcomes, 3 on each," it read as
    reviews each covering both outcomes."""
    kept = {other: sid for sid, others in alike.items() for other in others}
    by_outcome: dict[str, set[str]] = {}
    for e in entries:
        sid = kept.get(e["study_id"], e["study_id"])
        if (sid in tallied and e["measure"] != "p_only" and e.get("ci_lb") is not None
                and e.get("ci_ub") is not None and e.get("tally_outcome")):
            by_outcome.setdefault(e["tally_outcome"], set()).add(sid)
    if len(by_outcome) < 2 or all(len(sids) == n for sids in by_outcome.values()):
        return ""
    labels = {r["analysis"]["outcome"]: r["analysis"]["outcome_label"] for r in ctx.analyses}
    order = sorted(by_outcome, key=lambda o: list(labels).index(o) if o in labels else len(labels))
    sizes = {len(by_outcome[o]) for o in order}
    per = (f"{sizes.pop()} on each outcome" if len(sizes) == 1 else
           ", ".join(f"{len(by_outcome[o])} on {_in_sentence(labels.get(o, o))}" for o in order))
    return f" ({per})"


def _tally_results(entries: Sequence[Mapping[str, Any]], tallied: Collection[str],
                   alike: Mapping[str, Sequence[str]]) -> list[Mapping[str, Any]]:
    """The results of a tally's reviews whose sizes it prints: each once (one result shown
    by two analyses of the comparator is one result), of the reviews ``tallied`` or
    counted with one of them (:func:`_alike_reviews`), without the results a review
    counted with another prints alike: the one finding, given once."""
    kept = {other: sid for sid, others in alike.items() for other in others}
    unique = {(e["study_id"], e.get("ref")): e for e in entries
              if e["study_id"] in tallied or kept.get(e["study_id"]) in tallied}
    # A result of a review counted with another, with the estimate and bounds of one of
    # that review's: the same finding twice.
    def key(e: Mapping[str, Any]) -> tuple[Any, ...]:
        return (e["measure"], e.get("tally_outcome"), e.get("estimate"), e.get("ci_lb"), e.get("ci_ub"))

    own = {(kept.get(e["study_id"], e["study_id"]), key(e)) for e in unique.values() if e["study_id"] not in kept}
    return [e for e in unique.values() if e["study_id"] not in kept or (kept[e["study_id"]], key(e)) not in own]


def _alike_refs(ctx: ReportContext, entries: Sequence[Mapping[str, Any]],
                alike: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """The raw rows (``ref``) of the results by which the reviews of a tally counted as one
    (:func:`_alike_reviews`) print the same result: a caveat no longer, the tally counting
    them once."""
    grouped = {x for sid, others in alike.items() for x in (sid, *others)}
    repeated = repeated_refs(ctx)
    return frozenset(e["ref"] for e in entries if e["study_id"] in grouped and e.get("ref") in repeated)


def on_scale_mds(entries: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The mean differences of a tally's ``entries`` on their analysis's own scale, lowest
    first: drawn in its forest plot (``comparable``, as Mu 2020's VAS 0-100 rescaled to 0 to
    10) in an MD analysis (``tally_measure``). A size a panel reads in points, where those on
    a scale of their own are not."""
    return sorted((e for e in entries if e["measure"] == "MD" and e.get("comparable")
                   and e.get("tally_measure", "MD") == "MD" and e.get("estimate") is not None),
                  key=lambda e: float(e["estimate"]))


def _sizes_by_outcome(ctx: ReportContext, entries: Sequence[Mapping[str, Any]], outcomes: Collection[str]) -> str:
    """The sizes of a tally's results (:func:`_external_sizes`), by outcome where it has
    more than one: "on pain intensity, the SMDs of 3 of the 5 range from −0.54 to −0.33; on
    back-specific disability, one of the 5 gives an SMD of −0.13", the 5 being the reviews
    of the whole tally, named as such (after "4 of 5", "them" read as the 4). One range
    across pain and disability (−0.54 to −0.13) gave a disability result as the low end of
    a range a reader takes for pain's. A mean difference on the analysis's own scale
    (:func:`on_scale_mds`) is given too, in its points, as the analysis's line gives it:
    "Mu et al. (2020), Cochrane, gives an MD of −1.03 points on the 0 to 10 scale"."""
    reviews = len({e["study_id"] for e in entries})

    def sized(mine: Sequence[Mapping[str, Any]], outcome: str | None) -> str:
        said = [size["said"] for size in _size_ranges(mine, reviews=reviews)]
        md = {"measure": "MD", "outcome": outcome}
        scale, unit = md_scale(ctx, md), md_unit(ctx, md)
        points = f" points on the {scale} scale" if scale else f" {unit}" if unit else ""
        said += [f"{e['label']}{',' if holds_comma(e['label']) else ''} gives an MD of {f2(e['estimate'])}{points}"
                 for e in on_scale_mds(mine)]
        return "; ".join(said)

    if len(outcomes) < 2:
        return escape(sized(entries, next(iter(outcomes), None)))
    labels = {r["analysis"]["outcome"]: r["analysis"]["outcome_label"] for r in ctx.analyses}
    said = []
    for outcome in sorted(outcomes, key=lambda o: list(labels).index(o) if o in labels else len(labels)):
        sizes = sized([e for e in entries if e.get("tally_outcome") == outcome], outcome)
        if sizes:
            said.append(f"on {_in_sentence(labels.get(outcome, outcome))}, {sizes}")
    return escape("; ".join(said))


def _trials_side(ctx: ReportContext, r: Mapping[str, Any]) -> str | None:
    """Where an analysis's own result lies, as the summary's list of comparators places it:
    ``for`` (its interval wholly on the intervention's side), ``against`` or ``neither``;
    a sparse table whose Wald interval and exact test disagree goes by the test. None
    without a result the list gives (no estimate, or one trial known only from a
    secondary source, which the list sets apart)."""
    if r["status"] == "pooled":
        interval, estimate = r["pooled"], r["pooled"]["estimate"]
    elif r["status"] == "single_study" and r["studies"][0].get("source_level") != "secondary":
        interval = r["studies"][0]
        estimate = interval["yi"]
    else:
        return None
    level = float(ctx.config["methods"].get("level", 95))
    exact = r["status"] == "single_study" and exact_test_disagrees(interval, level)
    shows = float(interval["exact_p"]) < 1 - level / 100 if exact else excludes_no_effect(interval)
    return "neither" if not shows else "for" if favours_intervention(r["analysis"], estimate) else "against"


def _trials_participants(r: Mapping[str, Any]) -> float | None:
    """The participants behind an analysis's own result, as the summary's comparison with
    published reviews prints them ("the 2 trials pooled here (367 participants)"): every arm
    size of its studies added, or None where a study lacks one (a part would understate)."""
    if not all(s.get("n1") is not None and s.get("n2") is not None for s in r["studies"]):
        return None
    return sum(float(s["n1"]) + float(s["n2"]) for s in r["studies"])


def _trials_by_pair(ctx: ReportContext) -> dict[frozenset[str], list[Mapping[str, Any]]]:
    """The trials with arms of each pair of nodes, by label: once per context, where
    each analysis's count of its comparison's trials (:func:`_trials_held`) would
    otherwise read every study of the review again."""
    def make() -> dict[frozenset[str], list[Mapping[str, Any]]]:
        out: dict[frozenset[str], list[Mapping[str, Any]]] = {}
        for doc in sorted(ctx.normalised, key=lambda d: d["study"]["label"]):
            if doc["study"].get("role") != "trial":
                continue
            nodes = sorted({str(arm["node"]) for arm in doc["arms"] if arm.get("node") is not None})
            for i, first in enumerate(nodes):
                for second in nodes[i + 1:]:
                    out.setdefault(frozenset((first, second)), []).append(doc)
        return out

    return _memo(ctx, "trials_by_pair", make)


def _trials_held(ctx: ReportContext, r: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The trials of an analysis's comparison in these data, each once, each with its raw
    rows (``study_id``, ``refs``), in five groups: ``used`` and ``aside``, the analysis's
    own; ``words``, trials of the comparison whose only rows on its outcome are statements
    in words; ``others``, those with other rows on it that the analysis neither used nor
    set aside; ``empty``, those with no result on its outcome entered. What a review's
    pooled trials are set against ("these data have 11 trials of this comparison"), and
    the audit row of that count.

    Every trial with an arm of each of the comparison's two treatments counts: counting
    only the trials with rows of the outcome left out Leibing 2002 and Sator-Katzenschlager
    2004, trials of acupuncture against sham with no result rows at all, and a trial whose
    results on the outcome were never entered is no trial these data lack."""
    a = r["analysis"]
    pair = {a["intervention"], a["comparator"]}
    groups: dict[str, list[dict[str, Any]]] = {
        "used": [{"study_id": s.get("study_id") or s["label"], "refs": list(s.get("refs") or [])} for s in r["studies"]],
        "aside": [{"study_id": e.get("study_id") or e["label"], "refs": list(e.get("refs") or [])}
                  for e in r.get("excluded") or []],
        "words": [], "others": [], "empty": []}
    seen = {x["study_id"] for xs in groups.values() for x in xs}
    for doc in _trials_by_pair(ctx).get(frozenset(pair), []):
        sid = doc["study"]["study_id"]
        arms = [arm for arm in doc["arms"] if arm.get("node") in pair]
        if sid in seen:
            continue
        seen.add(sid)
        numbers = [x for kind in ("arm_values", "contrasts") for x in doc.get(kind) or []
                   if x.get("outcome") == a["outcome"]]
        words = [x for x in doc.get("statements") or [] if x.get("outcome") == a["outcome"]]
        rows = numbers + words
        refs = [str(x["ref"]) for x in rows if x.get("ref")] or [str(arm["ref"]) for arm in arms if arm.get("ref")]
        # Kerr 2003, "no significant difference" against placebo TENS in words only: a
        # trial the count names as what it is, not left to be guessed.
        groups["others" if numbers else "words" if words else "empty"].append({"study_id": sid, "refs": refs})
    return groups


def words_only_trials(ctx: ReportContext, r: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The trials of analysis ``r``'s comparison whose only result on its outcome is a
    statement in words (:func:`_trials_held`'s ``words``), in order of label, each with
    ``study_id``, ``label``, ``refs`` and ``stated``: what its statements comparing the
    two treatments on the outcome find ("no difference", "a difference favouring
    acupuncture", or :data:`~metareview.report.aside.UNDIRECTED_STATEMENT`).

    They give no numbers, so they are no candidates of the analysis; its section and
    the summary name them all the same. Named only where the analysis had no usable
    trial, Kerr 2003 ("no significant difference" against placebo TENS) went unmentioned
    beside the one trial of acupuncture against sham, while a trial of dry needling
    against sham was named: of the trials behind a comparison, the one reporting no
    difference was the one left out.
    """
    a = r["analysis"]
    pair = {a["intervention"], a["comparator"]}
    docs = _study_docs(ctx)
    out = []
    for x in _trials_held(ctx, r)["words"]:
        doc = docs[x["study_id"]]
        stated: list[str] = []
        for s in doc.get("statements") or []:
            if s.get("outcome") != a["outcome"] or {s.get("node1"), s.get("node2")} != pair:
                continue
            node = {"favours_arm1": s.get("node1"), "favours_arm2": s.get("node2")}.get(s.get("direction") or "")
            side = "intervention_label" if node == a["intervention"] else "comparator_label"
            what = (f"a difference favouring {_in_sentence(a[side], _names(ctx))}" if node
                    else "no difference" if s.get("direction") == "no_difference" else UNDIRECTED_STATEMENT)
            if what not in stated:
                stated.append(what)
        out.append({**x, "label": doc["study"]["label"], "stated": stated or [UNDIRECTED_STATEMENT]})
    return sorted(out, key=lambda t: t["label"])


def words_only_said(trial: Mapping[str, Any]) -> str:
    """A trial of :func:`words_only_trials` with what its words find (plain text):
    "Kerr et al. (2003), authors unverified, states no difference"; one whose words do not
    say how the groups compared, as the lists of statements name it (:data:`UNCLEAR_STATED`).

    >>> words_only_said({"label": "A (2003)", "stated": ["no difference"]})
    'A (2003) states no difference'
    >>> words_only_said({"label": "B (2020)", "stated": [UNDIRECTED_STATEMENT]})
    'B (2020), whose statement does not say how the groups compared'
    """
    label = trial["label"]
    found = [x for x in trial["stated"] if x != UNDIRECTED_STATEMENT]
    if not found:
        return label + UNCLEAR_STATED
    return f"{label}{',' if holds_comma(label) else ''} states {join_and(found)}"


def words_only_point(trials: Sequence[Mapping[str, Any]]) -> Markdown:
    """The summary's point on a comparator's trials whose result is in words only
    (:func:`words_only_trials`): "1 trial with a result given in words only (see
    @tbl-narrative): Kerr et al. (2003), authors unverified, states no difference." """
    n = len(trials)
    said = "; ".join(escape(words_only_said(t)) for t in sorted(trials, key=lambda t: t["label"]))
    return Markdown(f"{n} {'trial' if n == 1 else 'trials'} with a result given in words only "
                    f"(see @tbl-narrative): {said}.")


def _count(held: Mapping[str, Sequence[Any]]) -> int:
    """The trials :func:`_trials_held` holds, all groups together."""
    return sum(len(xs) for xs in held.values())


def _held_text(held: Mapping[str, Sequence[Any]], used: int, outcome: str = "", *, more: bool = True) -> str:
    """"more than the 11 trials of this comparison in these data (1 used here, 4 set
    aside, 1 with a result in words only and 5 with no result on pain intensity entered)"
    (``more``), or "these data have 11 trials of this comparison: 1 used here, ...": the
    trials of an analysis's comparison (:func:`_trials_held`) as the summary sets a
    review's pooled trials against them, each group counted where fewer were ``used``
    than there are, the last with the analysis's ``outcome``.

    Just after "the one trial used here", "the 5 trials of this comparison" read as five
    trials behind the result; they are the candidates, most of them set aside or never
    entered. "Of which only one could be used here and 5 have no result on pain intensity
    entered" left the rest, those set aside that the summary counts and a trial known
    from its words only, to be worked out.
    """
    n = _count(held)
    trials = "the one trial" if n == 1 else f"the {n} trials"
    text = (f"more than {trials} of this comparison in these data" if more
            else f"these data have {'one trial' if n == 1 else f'{n} trials'} of this comparison")
    if used >= n:
        return text
    on = f" on {outcome}" if outcome else ""
    parts = [f"{used} used here"]
    for key, what in (("aside", "set aside"), ("words", "with a result in words only"),
                      ("others", f"with a result{on} this analysis does not take up"),
                      ("empty", f"with no result{on} entered")):
        if held.get(key):
            parts.append(f"{len(held[key])} {what}")
    listed = join_and(parts)
    return f"{text} ({listed})" if more else f"{text}: {listed}"


def _overview_nodes(ctx: ReportContext) -> list[str]:
    """The treatments the summary gives an overview of, comparator by comparator
    (:func:`_treatment_overview`), where each analysis has a section of its own: each of
    an indirect comparison's two."""
    return list(dict.fromkeys(n for x in ctx.indirect for n in (x["treatment_a"], x["treatment_b"])))


def _aside_groups(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()
                  ) -> dict[str, list[str]]:
    """The analyses of ``node``'s overview (:func:`_treatment_overview`) whose trials set
    aside one clause counts together, by comparator label: those with a result and those
    with no usable study, whatever the outcome; analysis ids in order."""
    groups: dict[str, list[str]] = {}
    for r in ctx.analyses:
        a = r["analysis"]
        other = {a["intervention"]: "comparator", a["comparator"]: "intervention"}.get(node)
        if other is None or (a[other], a["outcome"], a["window"]) in given or r["status"] == "not_poolable":
            continue
        # A result the overview sets apart (one trial known only from a secondary source)
        # counts no trial set aside.
        if r["status"] in ("pooled", "single_study") and _trials_side(ctx, r) is None:
            continue
        groups.setdefault(a["intervention_label"] if other == "intervention" else a["comparator_label"],
                          []).append(a["id"])
    return groups


def summary_counts(ctx: ReportContext) -> dict[str, dict[str, str]]:
    """The counts of trials and participants the summary's overview of each treatment
    prints for an analysis, by analysis id, as the text words them: ``participants`` ("the 2
    trials pooled here (367 participants)") and ``held`` ("these data have 11 trials of this
    comparison"), which *Published meta-analyses* prints where it gives the
    summary's point on reviews and trials in full, ``aside`` ("4 trials", after "Set aside (see Table 4):") and,
    where published reviews and its trials differ, ``compared`` ("5 reviews with confidence
    intervals", whose sizes :func:`_reviews_and_trials` gives beside the trials': no count
    of the reviews on a side).

    The same walk as the text's (:func:`_treatment_overview`, :func:`_reviews_and_trials`),
    so that the audit trail gives a row to each count the summary prints and to no other.
    Whatever the layout: the summary gives the overview only where each analysis has a
    section of its own, but the audit table is the same in either (as a forest plot's
    totals are traced where the plot is not printed).
    """
    out: dict[str, dict[str, str]] = {}
    for node in _overview_nodes(ctx):
        given = _question_analyses(ctx, node)
        for r in ctx.analyses:
            a = r["analysis"]
            other = {a["intervention"]: "comparator", a["comparator"]: "intervention"}.get(node)
            if other is None or (a[other], a["outcome"], a["window"]) in given or _trials_side(ctx, r) is None:
                continue
        # The trials set aside, counted once per comparator as the overview says them
        # (_aside_count): the row goes to the first analysis of each group, with the
        # trials of all of them.
        for ids in _aside_groups(ctx, node, given).values():
            results = [r for r in ctx.analyses if r["analysis"]["id"] in ids]
            n = len({label for r in results for label in _aside_labels(r)})
            if n:
                out.setdefault(ids[0], {}).update(aside=f"{n} {'trial' if n == 1 else 'trials'} set aside",
                                                  aside_from=" ".join(ids))
        for r, _, analysable, verdicts, differ in _reviews_differing(ctx, node, given):
            k = r["pooled"]["k"] if r["status"] == "pooled" else 1
            total = _trials_participants(r)
            said = out.setdefault(r["analysis"]["id"], {})
            n = len(verdicts)
            said["compared"] = (f"{n} reviews with confidence intervals" if n > 1 else
                                "1 review with a confidence interval")
            if total is not None:
                said["participants"] = (f"the one trial used here ({round(total):,} participants)" if k == 1
                                        else f"the {k} trials pooled here ({round(total):,} participants)")
            pooled_k = [int(e["k_studies"]) for e in analysable if e["study_id"] in differ and e.get("k_studies")]
            held = _trials_held(ctx, r)
            if pooled_k and (max(pooled_k) > _count(held) or k < _count(held)):
                said["held"] = _held_text(held, k, _in_sentence(r["analysis"]["outcome_label"]),
                                          more=max(pooled_k) > _count(held))
    return out


def _analysable_reviews(ctx: ReportContext, r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The published results an analysis's own result is set against in the summary: those
    the tally counts (:func:`_split_secondary`), in its window, on a measure of its kind (a
    difference for MD and SMD, a ratio or risk difference for RR, OR and RD)."""
    binary = r["analysis"]["measure"] in ("RR", "OR", "RD")
    identified, _ = _split_secondary(_external_in_window(r), misread_refs(ctx))
    return [e for e in identified if (e["measure"] in ("RR", "OR", "RD")) == binary]


def _reviews_differing(ctx: ReportContext, node: str, given: Collection[tuple[str, str, str]] = ()
                       ) -> Iterator[tuple[Mapping[str, Any], str, list[Mapping[str, Any]], dict[str, str], dict[str, str]]]:
    """The analyses of ``node`` on which published reviews and this review's trials differ,
    as :func:`_reviews_and_trials` gives them a point: (analysis result, the side of its own
    result, the reviews' results it is set against, each review's side, the reviews on
    another side than its own). One walk for the text and the audit rows of its counts."""
    for r in ctx.analyses:
        a = r["analysis"]
        if a["intervention"] != node or (a["comparator"], a["outcome"], a["window"]) in given:
            continue
        ours = _trials_side(ctx, r)
        if ours is None:
            continue
        analysable = _analysable_reviews(ctx, r)
        # Counted as the tallies count them: reviews printing one result alike are one.
        verdicts = {sid: v for sid, v in _analysis_verdicts(ctx, a, analysable)[0].items() if v != "no interval"}
        differ = {sid: v for sid, v in verdicts.items() if v != ours}
        if differ:
            yield r, ours, analysable, verdicts, differ


def _compared_reviews(ctx: ReportContext, r: Mapping[str, Any], analysable: Sequence[Mapping[str, Any]],
                      verdicts: Mapping[str, str]) -> tuple[str, list[Mapping[str, Any]]]:
    """What the summary says of the published reviews an analysis's trials are set beside
    (:func:`_reviews_and_trials`), plain text, and the results it gives the sizes of:
    "5 reviews with confidence intervals, which share trials: the SMDs of 3 of the 5 range
    from −0.54 to −0.33, and Lam et al. (2013) is at the edge of no difference (MD −16.76,
    95% CI −33.33 to −0.19, p = 0.05)". All the reviews with an interval (``verdicts``),
    counted as the tallies count them, whatever side their intervals lie on: "5 reviews
    find a difference on acupuncture's side" counted reviews by significance, vote counting
    (Cochrane Handbook 12.2) of reviews that share trials."""
    a = r["analysis"]
    alike = _analysis_verdicts(ctx, a, analysable)[1]
    compared = [e for e in _tally_results([{**e, "tally_outcome": a["outcome"]} for e in analysable], set(verdicts),
                                          alike)
                if e["measure"] != "p_only" and e.get("ci_lb") is not None and e.get("ci_ub") is not None]
    n = len(verdicts)
    sizes = "; ".join(x["said"] for x in _size_ranges(compared, reviews=n))
    edge = touching_text(compared, float(ctx.config["methods"].get("level", 95)))
    head = ("1 review with a confidence interval" if n == 1 else
            f"{n} reviews with confidence intervals, which share trials")
    said = f"{head}: {sizes}" if sizes else f"{head}, {'its' if n == 1 else 'each'} difference on a scale of its own"
    return said + (f", and {edge}" if edge else ""), compared


def reviews_in_points(ctx: ReportContext, r: Mapping[str, Any], entries: Iterable[Mapping[str, Any]]
                      ) -> tuple[dict[str, Any], list[tuple[Mapping[str, Any], float, float, float]]] | None:
    """Published SMDs beside a mean-difference analysis on a common scale, re-expressed in
    its points (Cochrane Handbook 15.5.3.2): each SMD and its bounds times the SD of the
    analysis's comparator arms on that scale (:func:`metareview.reexpress.comparator_sd`,
    from its studies' arm rows), so that their intervals can be set beside the
    analysis's. An approximation: the SD is one trial's (or a few), and each review's SMD
    was standardised by its own trials' SDs.

    Returns
    -------
    tuple or None
        The SD (``sd``, ``arms``) and, for each of ``entries`` that is an SMD with both
        bounds, (entry, estimate, ci_lb, ci_ub) in points; None for an analysis of
        another measure or without a common scale, with no such entry, or no SD known.
    """
    a = r["analysis"]
    smds = [e for e in entries if e.get("measure") == "SMD" and not e.get("comparable")
            and e.get("ci_lb") is not None and e.get("ci_ub") is not None and e.get("estimate") is not None]
    if a.get("measure") != "MD" or not md_scale(ctx, a) or not smds or r["status"] not in ("pooled", "single_study"):
        return None
    known = comparator_sd(r["studies"], ctx.normalised, a["comparator"], a["outcome"])
    if known is None or not known["sd"] > 0:
        return None
    return known, [(e, *re_express(float(e["estimate"]), float(e["ci_lb"]), float(e["ci_ub"]), known["sd"]))
                   for e in smds]


def points_sd_text(ctx: ReportContext, known: Mapping[str, Any]) -> str:
    """Where the SD that re-expresses published SMDs came from (:func:`reviews_in_points`):
    "the SD of 3.1 points of the minimal acupuncture arm of Brinkhaus et al. (2006)", or,
    for several arms, "the pooled SD of 3.4 points of the comparator arms of A (sham) and
    B (sham)"; where the SD is of change scores, "the SD of the changes, 3.1 points, in
    the minimal acupuncture arm of ...", and where only some arms' are, "A (sham,
    changes)".

    An SD of changes from baseline is usually smaller than one of final values, so an
    SMD re-expressed with it reads smaller in points: "the SD of 3.1 points" did not say
    which it was."""
    labels = _study_labels(ctx)
    value = f2(known["sd"], points_digits(float(known["sd"])))
    arms = known["arms"]
    changes = [x.get("value_type") == "change" for x in arms]
    if len(arms) == 1:
        x = arms[0]
        where = f"the {_in_sentence(x['arm_label'])} arm of {labels.get(x['study_id'], x['study_id'])}"
        return f"the SD of the changes, {value} points, in {where}" if changes[0] else f"the SD of {value} points of {where}"
    named = join_list([f"{labels.get(x['study_id'], x['study_id'])} ({_in_sentence(x['arm_label'])}"
                       + (", changes" if change and not all(changes) else "") + ")"
                       for x, change in zip(arms, changes, strict=True)])
    if all(changes):
        return f"the pooled SD of the changes, {value} points, in the comparator arms of {named}"
    return f"the pooled SD of {value} points of the comparator arms of {named}"


def points_rough_why(known: Mapping[str, Any], *, short: bool = False) -> str:
    """Why published SMDs re-expressed in points with the SD of :func:`reviews_in_points`
    are a rough conversion (plain text): "Cochrane Handbook 15.5.3.2 re-expresses with a
    typical SD of the measure itself; this is the SD of the changes from baseline in one
    arm of one trial, and each review standardised by its own trials' SDs".

    "An approximation, as the SD differs between trials" did not say how rough: an SD of
    changes, usually smaller than one of the measure, from one arm of one trial (Brinkhaus
    2006's minimal acupuncture arm) made −1.7 to −1.0 points of the reviews' SMDs.
    ``short``, for the summary: "an SD of changes from one arm of one trial, where
    Cochrane Handbook 15.5.3.2 uses an SD of the measure itself"."""
    arms = known["arms"]
    trials = len({x["study_id"] for x in arms})
    changes = [x.get("value_type") == "change" for x in arms]
    what = ("the SD of the changes from baseline" if all(changes) else
            "an SD partly of changes from baseline" if any(changes) else "the SD")
    whence = ("in one arm of one trial" if len(arms) == 1 else
              f"pooled over {len(arms)} arms of one trial" if trials == 1 else
              f"pooled over the comparator arms of {trials} trials")
    if short:
        return (f"{what.replace('the SD of the changes from baseline', 'an SD of changes').replace('the SD', 'an SD')} "
                f"{whence.replace('in one arm', 'from one arm')}, where Cochrane Handbook 15.5.3.2 uses an SD of the "
                "measure itself")
    return (f"Cochrane Handbook 15.5.3.2 re-expresses with a typical SD of the measure itself; this is {what} "
            f"{whence}, and each review standardised by its own trials\u2019 SDs")


def _reviews_and_trials(ctx: ReportContext, node: str, label: str,
                        given: Collection[tuple[str, str, str]] = (), *, brief: bool = False,
                        heads: dict[str, str] | None = None) -> dict[str, str]:
    """A point for each comparator of ``node`` (by its label) on which published meta-analyses and this
    review's trials differ, as *Published meta-analyses* gives it (:func:`reviews_and_trials_text`): "Against sham, published reviews find a difference that the
    trials used here do not show, though an interval that includes no difference is no
    evidence of none. On pain, 5 reviews with confidence intervals, which share trials: the
    SMDs of 3 of the 5 range from −0.54 to −0.33, and Lam et al. (2013) is at the edge of no
    difference (...); the one trial used here has an interval (MD −0.51, 95% CI −1.39 to
    0.37 ...) that includes no difference; ...", with the reasons the data give; none where they agree or cannot
    be compared. "Published reviews and the trials here differ" only where the trials find
    a difference or their interval misses a review's: an imprecise trial whose interval
    does not exclude the reviews' results does not contradict them.

    Like is compared with like: an analysis's own result (pooled, or its one trial's) with
    the reviews it shows apart on the same two treatments, outcome and window, counted as
    the tally counts them (:func:`_split_secondary`), whose results have a confidence
    interval on a measure of the analysis's kind (a difference for MD and SMD, a ratio or
    risk difference for RR, OR and RD). Whether they differ is read from each side, as
    :func:`_review_verdict` and the list of comparators read it (an interval wholly on one
    side of no difference, or not); what is said is the sizes of all the reviews with an
    interval (:func:`_compared_reviews`), never a count of those on a side (vote counting,
    Cochrane Handbook 12.2).

    Reasons given, each only where the data hold it: the number of trials (and
    participants) behind this review's result; the trials a review says it pooled
    (``k_studies``), beside the trials of the comparison in these data (every trial with
    arms of both treatments, :func:`_trials_held`) and whether they outnumber them, so
    that the review pooled trials this one does not hold; whether the intervals overlap, for the results on the analysis's measure and
    scale (``comparable``: an SMD's interval cannot be set beside an MD's), and whether
    an interval compatible with no difference holds a review's whole, too wide to tell a
    difference of that size from none. An interval that includes no difference is no
    evidence of none (Altman & Bland 1995); why trials and reviews differ beyond this (the
    trials' quality, the shams used) is not in the data, and is not guessed at.

    ``brief``: the summary's line, under the comparator it is of, a sentence for each
    outcome that gives the reviews' sizes, the trials' own estimate and interval and, in a clause, that
    outcome's own reasons: why the two can differ (the reviews pooled more trials than
    these data have; an interval here too wide to tell the reviews' difference from none),
    or that their sizes cannot be compared (no review's result on this analysis's scale: a
    reason they cannot be set side by side, not one for their differing), then a link to
    *Published meta-analyses* for the rest: "On pain, 5 reviews with confidence
    intervals, which share trials: the SMDs of 3 of the 5 range from −0.54 to −0.33; the
    one trial used here (MD −0.51, 95% CI −1.39 to 0.37 points ...) is compatible with both
    a difference of that size and none, not evidence of no difference; they can differ
    because Review M pooled more trials than these data have (see Published
    meta-analyses)."

    ``heads``, where given, gets what each comparator's point says ahead of its reasons:
    ``"differ"`` (:data:`REVIEWS_DIFFER`) or ``"unshown"`` (:data:`REVIEWS_UNSHOWN`); and,
    by "<comparator>, on <outcome>", the same of each outcome's sentence under it, which
    can go (a review's interval now across no difference) with the point's head kept.
    """
    by_comparator: dict[str, list[str]] = {}
    name = _in_sentence(label, _names(ctx))
    # Each outcome named with its window, and its measure, only where the treatment's
    # analyses have more than one, as the list of comparators names its results.
    mine = [r["analysis"] for r in ctx.analyses if r["analysis"]["intervention"] == node]
    windows = {a["window"] for a in mine}
    measures = Counter((a["comparator"], a["outcome"], a["window"]) for a in mine)
    clash: set[str] = set()
    # The summary's short form of each point, each outcome with its own reasons in a
    # clause: pooled over the outcomes, "no review's result is on this analysis's scale"
    # read as true of disability too, where a review's SMD is on the analysis's scale.
    short: dict[str, list[str]] = {}
    reasoned: set[str] = set()  # comparators whose last outcome gives a reason
    outcome_heads: dict[str, str] = {}  # "<comparator>, on <outcome>": what its sentence says
    for r, ours, analysable, verdicts, differ in _reviews_differing(ctx, node, given):
        a = r["analysis"]
        # Plain text, escaped once with the rest (_side_of gives Markdown).
        own_side = f"the side of {name}" if name.rstrip().endswith(")") else f"{name}\u2019s side"
        # The reviews' sizes, not a count of those on a side (:func:`_compared_reviews`).
        reviews_said, compared = _compared_reviews(ctx, r, analysable, verdicts)
        sized = any(e["measure"] in ("SMD", "RR", "OR") for e in compared)
        k = r["pooled"]["k"] if r["status"] == "pooled" else 1
        total = _trials_participants(r)
        people = f" ({round(total):,} participants)" if total is not None else ""
        # "Used": the trials set aside are counted against a review's below.
        trials = (f"the one trial used here{people} {'does not' if ours == 'neither' else 'finds one'}" if k == 1
                  else f"the {k} trials pooled here{people} {'do not' if ours == 'neither' else 'find one'}")
        if ours == "neither":
            # "Does not" read as a finding against the reviews: an interval that includes
            # no difference is no evidence of none (Altman & Bland 1995). Its bounds
            # given, a reader sees how wide it is.
            ci = r["pooled"] if r["status"] == "pooled" else r["studies"][0]
            est = ci["estimate"] if r["status"] == "pooled" else ci["yi"]
            scale = md_scale(ctx, a) if a["measure"] == "MD" else ""
            numbers = (f"{a['measure']} {f2(shown(a, est))}, {_level_text({'ci_level': ctx.config['methods'].get('level', 95)})}"
                       f"CI {ci_text(shown(a, ci['ci_lb']), shown(a, ci['ci_ub']))}"
                       + (f" points on the {scale} scale" if scale else ""))
            trials = (f"the one trial used here{people} has an interval ({numbers}) that includes no difference"
                      if k == 1 else
                      f"the {k} trials pooled here{people} have an interval ({numbers}) that includes no difference")
        where = (" on the comparator\u2019s side" if ours == "against" else
                 f" on {own_side}" if ours == "for" and "against" in differ.values() else "")
        trials += where
        what = _in_sentence(a["outcome_label"])
        if len(windows) > 1:
            what += f", {_in_sentence(a['window_label'].split('(')[0].strip())}"
        if measures[(a["comparator"], a["outcome"], a["window"])] > 1:
            what += f", {a['measure']}"
        said = f"On {what}, {reviews_said}; {trials}"
        # The short form: the trials' result said in words, no bounds (an interval that
        # includes no difference is no evidence of none, Altman & Bland 1995).
        used = "the one trial used here" if k == 1 else f"the {k} trials pooled here"
        if ours == "neither":
            # Its numbers beside the reviews' sizes: "compatible with both a difference of
            # that size and none" says by how much, not by a count of sides, where they part.
            brief_trials = (f"{used} ({numbers}) {'is' if k == 1 else 'are'} compatible with both a difference"
                            f"{' of that size' if sized else ''} and none, not evidence of no difference")
        else:
            brief_trials = f"{used} {'finds' if k == 1 else 'find'} one{where}"
        because: list[str] = []
        # A review on another scale is no reason the two differ, but why their sizes
        # cannot be compared: said apart from the reasons they can differ.
        apart = False
        reasons = []
        # How many trials the reviews say they pooled, against those these data have.
        entries = [e for e in analysable if e["study_id"] in differ]
        pooled_k = {e["study_id"]: int(e["k_studies"]) for e in entries if e.get("k_studies")}
        if pooled_k:
            most = max(pooled_k.values())
            held = _trials_held(ctx, r)
            first = next(e for e in entries if e["study_id"] in pooled_k)
            who, people = ((first["label"], f" ({first['n_participants']:,} participants)"
                            if first.get("n_participants") else "") if len(pooled_k) == 1 else ("the reviews", ""))
            # The trials of the comparison these data have beside them, whether or not they
            # outnumber the review's: one trial used of 11 held says why it stands alone.
            outnumbered = most > _count(held)
            beside_held = (f", {_held_text(held, k, _in_sentence(a['outcome_label']))}" if outnumbered else
                           f"; {_held_text(held, k, _in_sentence(a['outcome_label']), more=False)}"
                           if k < _count(held) else "")
            reasons.append(f"{who} pooled {'up to ' if len(pooled_k) > 1 else ''}{most} trials{people}{beside_held}")
            if outnumbered:
                because.append(f"{who} pooled more trials than these data have")
        # Intervals side by side only on the analysis's own measure and scale.
        ci = r["pooled"] if r["status"] == "pooled" else r["studies"][0]
        beside = [e for e in entries if e.get("comparable") and e.get("ci_lb") is not None
                  and e.get("ci_ub") is not None]
        # Published SMDs beside an MD on a common scale, re-expressed in its points with a
        # comparator arm's SD where one is known (Cochrane Handbook 15.5.3.2), as an SMD
        # analysis is in its instruments' points: else their size cannot be compared.
        in_points = None if beside else reviews_in_points(ctx, r, entries)
        in_points_brief = ""
        if not beside and in_points is None:
            reasons.append("no review\u2019s result is on this analysis\u2019s measure and scale, so the intervals cannot be "
                           "set side by side")
            apart = True
        elif in_points is not None:
            known, points = in_points
            d = points_digits(float(known["sd"]))
            source = points_sd_text(ctx, known)

            def smd_level(e: Mapping[str, Any]) -> str:
                bounds = ci_text(e["ci_lb"], e["ci_ub"])
                return f"{_level_text(e)}CI {bounds}" if e.get("ci_level") is not None else (
                    f"CI {bounds}, {LEVEL_NOT_STATED}")
            items = [f"{in_brackets(external_label(e))}: SMD {f2(e['estimate'])}, {smd_level(e)}, about {f2(est, d)} points, "
                     f"{ci_text(lb, ub, d)}" for e, est, lb, ub in points]
            single = len({e["study_id"] for e, *_ in points}) == 1
            whose = "the review\u2019s" if single else "the reviews\u2019"
            smds = "SMD is" if len(points) == 1 else "SMDs are"
            ests = sorted(est for _, est, _, _ in points)
            size = (f"about {f2(ests[0], d)} points" if f2(ests[0], d) == f2(ests[-1], d) else
                    f"about {f2(ests[0], d)} to {f2(ests[-1], d)} points")
            rough = points_rough_why(known)
            rough_short = points_rough_why(known, short=True)
            reasons.append(f"no review\u2019s result is on this analysis\u2019s measure and scale, but roughly re-expressed "
                           f"in its points with {source} ({rough}), {whose} {smds} {size} "
                           f"({'; '.join(items)})")
            # A review among those counted with no SMD to re-express (an MD on a scale of
            # unknown range, say) is not set beside it, and the count says so.
            rest = len({e["study_id"] for e in entries} - {e["study_id"] for e, *_ in points})
            if rest:
                reasons.append(f"the other {rest} {'review has' if rest == 1 else 'reviews have'} no SMD with an "
                               "interval to re-express, and no result on this analysis's scale".replace("'", "\u2019"))
            span = ci_text(min(lb for _, _, lb, _ in points), max(ub for _, _, _, ub in points), d)
            in_points_brief = (f"in this analysis\u2019s points, with {source}, {whose} {smds} {size} "
                               f"({'its interval' if len(points) == 1 else 'their intervals within'} {span}), "
                               f"a rough conversion ({rough_short})")
            if ours == "neither" and all(ci["ci_lb"] <= lb and ub <= ci["ci_ub"] for _, _, lb, ub in points):
                reasons.append(f"{'its' if k == 1 else 'their'} interval holds the whole of "
                               f"{'that interval' if len(points) == 1 else 'those intervals'} in points: too wide to "
                               "tell a difference of that size from none")
                because.append(f"the interval here is too wide to tell the "
                               f"{'review' + chr(0x2019) + 's' if single else 'reviews' + chr(0x2019)} "
                               "difference from none")
            # Whether the intervals overlap is no test of a difference between them
            # (Altman & Bland 2003), and, converted so roughly, the reviews' sizes in points
            # give no difference with an interval to say instead: no comparison is said.
        elif ours == "neither" and all(ci["ci_lb"] <= e["ci_lb"] and e["ci_ub"] <= ci["ci_ub"] for e in beside):
            # The review named with its numbers, inside the report's brackets.
            one = beside[0]
            # "The review's whole" left its noun to be guessed; an interval whose source
            # states no level says so, as every other published interval here does.
            level = (f"{_level_text(one)}CI {ci_text(shown(a, one['ci_lb']), shown(a, one['ci_ub']))}"
                     if one.get("ci_level") is not None else
                     f"CI {ci_text(shown(a, one['ci_lb']), shown(a, one['ci_ub']))}, {LEVEL_NOT_STATED}")
            whose = (f"the whole of the review\u2019s interval ({in_brackets(external_label(one))}: {one['measure']} "
                     f"{f2(shown(a, one['estimate']))}, {level})"
                     if len(beside) == 1 else "the whole of those reviews\u2019 intervals")
            reasons.append(f"{'its' if k == 1 else 'their'} interval holds {whose}: too wide to tell a difference "
                           "of that size from none")
            because.append(f"the interval here is too wide to tell the "
                           f"{'review' + chr(0x2019) + 's' if len(beside) == 1 else 'reviews' + chr(0x2019)} "
                           "difference from none")
        else:
            overlap = [e["ci_lb"] <= ci["ci_ub"] and ci["ci_lb"] <= e["ci_ub"] for e in beside]
            reasons.append("the intervals overlap" if all(overlap) else "the intervals do not overlap"
                           if not any(overlap) else "only some of the intervals overlap")
        by_comparator.setdefault(a["comparator_label"], []).append(
            f"{said}; {'; '.join(reasons)}." if reasons else f"{said}.")
        # Intervals that miss each other are why the two differ: said in the short form too.
        missed = [x for x in reasons if x.startswith(("the intervals do not", "only some"))]
        clauses = ([in_points_brief] if in_points_brief else []) + (
            [f"they can differ because {join_and(list(dict.fromkeys(because)))}"] if because else []) + (
            ["the two cannot be compared in size, as no review\u2019s result is on this analysis\u2019s scale"]
            if apart else [])
        short.setdefault(a["comparator_label"], []).append(
            # An interval that misses the reviews' is no interval compatible with their size.
            f"on {what}, {reviews_said}; {brief_trials.replace(' of that size', '') if missed else brief_trials}" + (f", and {missed[0]}" if missed else "")
            + "".join(f"; {c}" for c in clauses))
        # The link closes the last outcome's sentence: in its brackets after a reason, else
        # a sentence of its own.
        if clauses:
            reasoned.add(a["comparator_label"])
        else:
            reasoned.discard(a["comparator_label"])
        # Differ only where the trials here find a difference, or their interval misses
        # a review's; else the reviews find what the trials neither show nor refute.
        if ours != "neither" or any(reason.startswith(("the intervals do not", "only some")) for reason in reasons):
            clash.add(a["comparator_label"])
            outcome_heads[f"{a['comparator_label']}, on {what}"] = "differ"
        else:
            outcome_heads[f"{a['comparator_label']}, on {what}"] = "unshown"
    if heads is not None:
        heads.update({comp: "differ" if comp in clash else "unshown" for comp in by_comparator})
        heads.update(outcome_heads)
    if brief:
        # The numbers (bounds, trials pooled and held, participants) are in Published
        # meta-analyses, which the point links to, as the summary's other pointers do.
        link = "[Published meta-analyses](#sec-external)"
        out = {}
        for comp, items in short.items():
            # Under the comparator's point, which names it; a sentence for each outcome,
            # its reasons with it.
            sentences = [("published reviews and the trials here differ: " if comp in clash and not i else "") + item
                         for i, item in enumerate(items)]
            text = escape(" ".join(f"{x[:1].upper()}{x[1:]}." for x in sentences)[:-1])
            out[comp] = f"{text} (see {link})." if comp in reasoned else f"{text}. See {link}."
        return out
    return {comp: escape(f"Against {_in_sentence(comp, _names(ctx))}, "
                         + (REVIEWS_DIFFER if comp in clash else REVIEWS_UNSHOWN) + " " + " ".join(items))
            for comp, items in by_comparator.items()}


def reviews_and_trials_heads(ctx: ReportContext) -> dict[str, str]:
    """What the comparison of published reviews with the trials used here says of each
    treatment and comparator (:func:`_reviews_and_trials`), by "<treatment> against
    <comparator>" in the report's words, and of each outcome under it ("<treatment> against
    <comparator>, on <outcome>"): ``"differ"`` where "published reviews and the trials here
    differ", ``"unshown"`` where the reviews find a difference the trials do not show.
    Those it says nothing of are absent. Kept in the key results for What changed
    to say which of these statements appeared or went."""
    out = {}
    for node in _overview_nodes(ctx):
        label = _node_label(ctx, node)
        heads: dict[str, str] = {}
        _reviews_and_trials(ctx, node, label, _question_analyses(ctx, node), heads=heads)
        out.update({f"{label} against {_in_sentence(comp, _names(ctx))}": head for comp, head in heads.items()})
    return out


def reviews_and_trials_text(ctx: ReportContext) -> str:
    """*Published meta-analyses*' account of where published reviews and the trials used
    here differ, treatment by treatment (:func:`_reviews_and_trials` in full: the bounds,
    the trials each review pooled against those these data have, the participants), which
    the summary says in short and links to; "" where they differ nowhere, or where the
    summary gives no overview (each analysis without a section of its own)."""
    if not in_detail(ctx):
        return ""
    # A label that ends with its own full stop ("Smith et al.") takes no second.
    points = [f"- {_full_stop(escape(_node_label(ctx, node)))} {point}" for node in _overview_nodes(ctx)
              for point in _reviews_and_trials(ctx, node, _node_label(ctx, node), _question_analyses(ctx, node)).values()]
    return ("Where published reviews and the trials used here differ, or the reviews find a difference the trials "
            "do not show:\n\n" + "\n".join(points) + "\n") if points else ""


#: The head of a summary point where published reviews and the trials here find
#: differences on different sides (:func:`_reviews_and_trials`).
REVIEWS_DIFFER = "published reviews and the trials here differ."
#: Its head where the reviews find a difference and the trials' interval includes none
#: without excluding the reviews' results: not a disagreement (Altman & Bland 1995).
REVIEWS_UNSHOWN = ("published reviews find a difference that the trials used here do not show, though an interval "
                   "that includes no difference is no evidence of none.")


def _level_text(e: Mapping[str, Any]) -> str:
    """"95% " before a published result's "CI", or "" where the review states no level."""
    return f"{float(e['ci_level']):g}% " if e.get("ci_level") is not None else ""


#: Population fits of reviews the summary does not count
#: (:data:`metareview.normalise.OFF_POPULATION_FITS`), with how it names them.
OFF_POPULATION = {fit: f"of {POPULATION_WORDS[fit]} this review\u2019s" for fit in sorted(OFF_POPULATION_FITS)}


def _split_secondary(entries: Sequence[Mapping[str, Any]], misread: Collection[str]
                     ) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Published results the summary counts, and those it names apart: of reviews known
    only from another document (a blog post's "Cochrane Review (2023)", a review cited by
    an overview), as the trials' lines set such trials apart, of reviews of a broader or
    another population than the review's (:data:`OFF_POPULATION`): back and neck pain
    pooled together says little of low back pain alone, and results whose row is in
    ``misread`` (:func:`misread_refs`), each then marked ``misread``.

    A result another review prints alike for another comparison or outcome may be a row
    read from the wrong table, and which of them is cannot be told: counted, or counted
    as one review with a third that prints it too (Acupunct Med 2020 and Yuan 2015, whose
    SMD Mu 2020 prints for usual care and disability), a tally would rest on a number its
    own warnings doubt. Left out until each row is checked, the reason said."""
    def apart(e: Mapping[str, Any]) -> bool:
        return (e.get("source_level") == "secondary" or bool(e.get("read_elsewhere"))
                or e.get("population_fit") in OFF_POPULATION or e.get("ref") in misread)

    return ([e for e in entries if not apart(e)],
            [{**e, "misread": True} if e.get("ref") in misread else e for e in entries if apart(e)])


SECONDARY = "known only from a secondary source"
#: The flag of a study whose identity the team rates low (studies.csv's
#: ``identity_confidence``: the source cannot be traced to a publication, or its authors
#: could not be verified), beside its effect wherever one is given, whatever the source:
#: a secondary source's says it in its own words ("known only from a secondary source
#: (study identity low)"), a primary one's "Trial C (study identity low)".
IDENTITY_LOW = "study identity low"
#: The same flag in a list of doubts joined by "and" (:func:`_study_doubts_in_brief`),
#: where brackets would nest in those of the list.
IDENTITY_LOW_DOUBT = "with its study identity rated low"


def set_apart(study: Mapping[str, Any]) -> bool:
    """Whether the report sets a trial's result apart: known only from a secondary source,
    its numbers cannot be checked, so no tally counts it and no line states it as found."""
    return study.get("source_level") == "secondary"


def identity_low(study: Mapping[str, Any]) -> bool:
    """Whether the team rates a study's identity low (``identity_confidence``)."""
    return study.get("identity_confidence") == "low"


def identity_flag(study: Mapping[str, Any]) -> str:
    """" (study identity low)" after the label of a study whose identity is rated low and
    whose words do not say it already (a secondary source's do, with its rating), or ""."""
    return f" ({IDENTITY_LOW})" if identity_low(study) and study.get("source_level") != "secondary" else ""


#: A trial effect whose numbers were read in a document other than the trial's own
#: report (metareview.extract.read_elsewhere), of one effect and of several.
READ_ELSEWHERE_TRIAL = "numbers read in a document other than the trial\u2019s own report"
READ_ELSEWHERE_TRIALS = "numbers read in documents other than the trials\u2019 own reports"
#: How the flag of an effect at a window's edge begins (metareview.extract.window_edge_flag).
WINDOW_EDGE = "timepoint at the window\u2019s "
#: The same beside "primary" in the evidence table.
STUDY_READ_ELSEWHERE = "effects use numbers read in another document"
READ_ELSEWHERE = "read here only in a document other than the review\u2019s own"
#: The reasons :func:`_apart_groups` counts by result, not by review, whose other results
#: are counted: read only in another document, and printed alike by a review of another
#: comparison or outcome (:data:`metareview.claims.MISREAD`, :func:`_split_secondary`).
BY_RESULT = (READ_ELSEWHERE, MISREAD)


def _secondary_reviews(entries: Sequence[Mapping[str, Any]]) -> list[str]:
    """The results :func:`_split_secondary` sets apart, a sentence for each reason (each
    review once, by the first reason that applies): "2 reviews known only from a secondary
    source: A; B.", "1 result read here only in a document other than the review's own:
    from C. Results read in a review's own report are counted.", "1 review of a broader
    population than this review's: D."

    A sentence each, for the caller to list as points (:func:`_sub_points`): run into one
    sentence, each reason's reviews in brackets, three semicolon lists inside one list
    could not be told apart.
    """
    said = []
    for why, n, group in _apart_groups(entries):
        labels = sorted({e["label"] for e in group})
        if why == MISREAD:
            # The warning named, and that the review's other results still count: "not
            # counted: Acupunct Med 2020" read as all of a review counted for its others.
            said.append(f"{_apart_count(why, n)}: from {join_list([escape(x) for x in labels])}. A row may have "
                        "been read from the wrong table (see @tbl-warnings): none is counted until each is checked "
                        "in its source; a review\u2019s other results are.")
        elif why == READ_ELSEWHERE:
            # A review read in its own report may have one result read only in an
            # overview's table (Lam 2013): that result is apart, not the review, whose
            # own results are counted (a reader took "not counted: Lam" for all of it).
            # The reviews as a list ("A, B and C"), not "A; B; C", and the note a
            # sentence of its own: after a semicolon it read as one more review.
            said.append(f"{_apart_count(why, n)}: from {join_list([escape(x) for x in labels])}. Results read in a "
                        "review\u2019s own report are counted.")
        else:
            listed = escape("; ".join(labels))
            said.append(f"{_apart_count(why, n)}: {listed}" + ("" if listed.endswith(".") else "."))
    return said


def _apart_groups(entries: Sequence[Mapping[str, Any]]) -> list[tuple[str, int, list[Mapping[str, Any]]]]:
    """The results :func:`_split_secondary` sets apart, by reason, as
    :func:`_secondary_reviews` counts them: (reason, count, results), each result once
    (one shown by two analyses, an MD and an SMD one or two windows, is one) under the
    first reason that applies; the count is of reviews (labels), but of results for those
    read only elsewhere or printed alike by a review of another comparison or outcome
    (:data:`BY_RESULT`: a review may have one result so set apart and others counted)."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for e in {(e["study_id"], e.get("ref")): e for e in entries}.values():
        why = (SECONDARY if e.get("source_level") == "secondary"
               else READ_ELSEWHERE if e.get("read_elsewhere")
               else MISREAD if e.get("misread") and e.get("population_fit") not in OFF_POPULATION
               else OFF_POPULATION[e["population_fit"]])
        groups.setdefault(why, []).append(e)
    return [(why, len(groups[why]) if why in BY_RESULT else len({e["label"] for e in groups[why]}), groups[why])
            for why in (SECONDARY, READ_ELSEWHERE, *OFF_POPULATION.values(), MISREAD) if why in groups]


def _apart_count(why: str, n: int) -> str:
    """"3 reviews known only from a secondary source", "1 result read here only in ...": a
    group of :func:`_apart_groups` as the text counts it."""
    unit = "result" if why in BY_RESULT else "review"
    return f"{n} {unit}{'' if n == 1 else 's'} {why}"


def _sub_points(head: str, points: Sequence[str]) -> str:
    """``head`` and, below it, a Markdown list of ``points`` indented by two spaces: the
    caller's list item takes it as a list nested in its own, whatever the indentation of
    that item (:func:`_points` indents the whole block again)."""
    return head + "".join(f"\n  - {p}" for p in points)


def _published_head_to_head(ctx: ReportContext, x: Mapping[str, Any]) -> str:
    """The published meta-analyses that compare an indirect comparison's two treatments head
    to head, from the direct analyses' external evidence: "Zhang et al. (2024), SMD −0.30
    (−0.55 to −0.05), favouring dry needling; ...", or "".

    They answer the review's question more directly than any indirect comparison, so the
    bottom line gives them; results outside the analysis's window, and reviews known only
    from another document, are left to the analysis's section.
    """
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    said = []
    seen: set[str] = set()  # one result shown by two analyses of the pair (an MD and an SMD one)
    for d in x["direct"]:
        r = by_id.get(d["analysis"])
        if r is None:
            continue
        a = r["analysis"]
        identified, _ = _split_secondary(_external_in_window(r), misread_refs(ctx))
        for e in identified:
            if e.get("estimate") is None or e["measure"] == "p_only" or e["ref"] in seen:
                continue
            seen.add(e["ref"])
            text = f"{escape(e['label'])}, {escape(_external_value(e))}"
            if e.get("ci_lb") is not None and excludes_no_effect(e):
                text += ", favouring " + escape(_in_sentence(a["intervention_label" if favours_intervention(a, e["estimate"])
                                                  else "comparator_label"], _names(ctx)))
            elif e.get("ci_lb") is not None:
                text += f", {INCLUDES}"
            said.append(text)
    return "; ".join(said)


def _direct_text(ctx: ReportContext, direct: Sequence[Mapping[str, Any]], a: str, b: str) -> Markdown:
    """What the head-to-head analyses of two treatments give: each pooled estimate, or each
    single trial's effect, with what its interval shows (a sentence, "For pain, " before it),
    then the trials they set aside (sentences of their own, :func:`_direct_set_aside`)."""
    return Markdown("".join(_direct_parts(ctx, direct, a, b)))


def _direct_parts(ctx: ReportContext, direct: Sequence[Mapping[str, Any]], a: str,
                  b: str) -> tuple[Markdown, Markdown]:
    """:func:`_direct_text` in two: the sentence, and the sentences on trials set aside
    (" A further trial ..."), or ""."""
    by_id = {r["analysis"]["id"]: r for r in ctx.analyses}
    said, notes = [], []
    for d in direct:
        r = by_id[d["analysis"]]
        an, p = r["analysis"], r["pooled"]
        if d["status"] == "pooled":
            said.append(f"{p['k']} head-to-head trials of {a} and {b} pooled give {escape(an['measure'])} "
                        f"{f2(shown(an, p['estimate']))} ({p['level']:g}% CI "
                        f"{ci_text(shown(an, p['ci_lb']), shown(an, p['ci_ub']))}): "
                        f"{_interval_shows(an, p['estimate'], p, proper=_names(ctx), explained=bool(_few_studies_caveat(r)), ctx=ctx)}"
                        f"{_sensitivity_caveat(r)}{heterogeneity_clause(r)}{prediction_clause(r)}"
                        f"{asymmetry_clause(r, _names(ctx))}"
                        f"{_few_studies_caveat(r)}"
                        f"{equal_effects_clause(r, proper=_names(ctx))}"
                        f"{_pooled_study_caveats(r)}{risk_of_bias_clause(ctx, r)}"
                        f"{_certainty_clause(ctx, r)}")
        elif d["status"] == "single_study":
            said.append(f"one head-to-head trial of {a} and {b}, not pooled: {_single_study_text(ctx, r)}"
                        f"{risk_of_bias_clause(ctx, r)}{_certainty_clause(ctx, r)}")
        else:
            fewer = d["k"] < int(ctx.config["methods"].get("min_studies", 2))
            why = (f"fewer than the {ctx.config['methods'].get('min_studies', 2)} studies this review pools" if fewer
                   else escape(r["reason"].rstrip(".")))
            said.append(f"{d['k']} head-to-head trials of {a} and {b}, not pooled ({why})")
        clause, note = _direct_set_aside(ctx, r)
        said[-1] += clause
        if note and note not in notes:
            notes.append(note)
    # What each analysis set aside follows, sentences of their own (_direct_set_aside).
    return Markdown("; ".join(said) + " (see Results)."), Markdown("".join(notes))


#: The timepoint kinds (extract.timepoint_set_aside) of a row that is in no analysis of a
#: window because it belongs to another: its weeks outside the window, or its words read
#: as another window's.
_OTHER_WINDOW_KINDS = ("outside_window", "other_window")


def _used_in_other_windows(ctx: ReportContext, result: Mapping[str, Any], excluded: Mapping[str, Any]) -> tuple[str, str]:
    """("measured at 26 weeks", "used in the medium term analysis") for a trial that
    ``result`` (a head-to-head analysis) left out and an analysis of the same two
    treatments and outcome in another window uses ("pooled in" where every such analysis
    pools it), or ("", "").

    A trial outside one window is often the very trial another window's analysis pools:
    "set aside" alone reads as evidence no analysis counts, and a reader looking for it
    among the set-aside trials would never find its effect.
    """
    an = result["analysis"]
    pair = {an["intervention"], an["comparator"]}
    windows = ctx.config.get("windows", {})
    where: dict[str, set[str]] = {}  # window name -> {"pooled", "used"}, in the order of the analyses
    when: list[str] = []
    for r in ctx.analyses:
        other = r["analysis"]
        if (other["window"] == an["window"] or other["outcome"] != an["outcome"]
                or {other["intervention"], other["comparator"]} != pair):
            continue
        mine = [s for s in r.get("studies") or [] if s["study_id"] == excluded["study_id"]]
        if not mine:
            continue
        name = _in_sentence(_window_name(windows[other["window"]])) if other["window"] in windows else other["window"]
        where.setdefault(name, set()).add("pooled" if r["status"] == "pooled" else "used")
        for s in mine:
            weeks, label = s.get("timepoint_weeks"), s.get("timepoint_label")
            at = f"{float(weeks):g} weeks" if weeks is not None else f"\u2018{label}\u2019" if label else ""
            if at and at not in when:
                when.append(at)
    if not where:
        return "", ""
    verb = "pooled" if all(v == {"pooled"} for v in where.values()) else "used"
    analyses = join_and([f"the {w} analysis" for w in where])
    return escape(f"measured at {join_and(when)}" if when else ""), escape(f"{verb} in {analyses}")


def _only_in_another_window(excluded: Mapping[str, Any]) -> bool:
    """Whether every reason a trial was left out (an entry of an analysis's ``excluded``)
    is a timepoint that belongs to another window.

    Read from the reasons' ``timepoint`` fields (analysis.merge_timepoint_reasons), not
    from their words. An entry without them (written by an older build) is taken as set
    aside for some other reason: the report then lists it with its reason, which is true
    if less tidy.
    """
    reasons = excluded.get("reasons") or []
    return bool(reasons) and not excluded.get("also") and all(
        (r.get("timepoint") or {}).get("kind") in _OTHER_WINDOW_KINDS for r in reasons)


#: Sentence-initial counts in words: "2 further trials" opened a sentence with a numeral.
_COUNT_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine", 10: "Ten"}


def _direct_set_aside(ctx: ReportContext, result: Mapping[str, Any]) -> tuple[str, str]:
    """What a head-to-head analysis could not use of the trials of the two: a clause for
    its sentence and sentences to follow it, either "".

    The clause names a trial that only another window's analysis of the two can use,
    which is not set aside: "; a further trial of the two, Demo (2025), measured at 26
    weeks, is used in the medium term analysis instead". The sentences give each trial
    set aside, its label before a colon and what keeps it out after, with its own effect
    where one could be computed: " A further trial of the two was set aside, Ruiz (2025):
    only change values; ...; its own SMD ...: −0.98 (95% CI −1.59 to −0.38)." In the
    clause, bracketed after its label, the reason nested its interval's brackets and the
    label's year in its own ("Ruiz (2025) (only change values; ... (95% CI ...))"), and
    its semicolons ran into the sentence's.

    "One head-to-head trial" where the data hold two reads as all there is: a trial set
    aside for its value type, a missing SD or its window is evidence on the question too,
    and its own effect, where one could be computed, is as much the answer as the used
    trial's.
    """
    out = result.get("excluded") or []
    if not out:
        return "", ""
    level = float(ctx.config["methods"].get("level", 95))
    aside, elsewhere = [], []
    for e in out:
        at, used = _used_in_other_windows(ctx, result, e)
        if used and _only_in_another_window(e):
            elsewhere.append(f"{escape(e['label'])}, {at + ', ' if at else ''}is {used} instead")
        else:
            why = (f"{escape(e['reason'])}{_own_effect_text(result['analysis'], e, level)}"
                   + (f"; {at + ', ' if at else ''}{used}" if used else ""))
            aside.append((escape(e["label"]), why))

    def stop(text: str) -> str:
        # A reason ending with an abbreviation ("et al.") takes no second full stop.
        return text if text.endswith(".") else text + "."

    def count(n: int) -> str:
        return _COUNT_WORDS.get(n, f"In all, {n}")

    clause = notes = ""
    if len(aside) == 1:
        (label, why), = aside
        notes += f" A further trial of the two was set aside, {label}: {stop(why)}"
    elif aside:
        notes += (f" {count(len(aside))} further trials of the two were set aside."
                  + "".join(f" {label}: {stop(why)}" for label, why in aside))
    if aside:
        # Which way they went, by their own reports (a p-value, a side named).
        notes += _then(_aside_direction(ctx, _with_excluded([result], {e["label"] for e in out
                                                                        if escape(e["label"]) in dict(aside)})))
    if len(elsewhere) == 1:
        clause = f"; a further trial of the two, {elsewhere[0]}"
    elif elsewhere:
        notes += (f" {count(len(elsewhere))} further trials of the two belong to other windows."
                  + "".join(f" {stop(x)}" for x in elsewhere))
    return clause, notes


def _side_of(label: str) -> Markdown:
    """"acupuncture’s side": the label escaped, with a typographic apostrophe; "the side
    of sham (minimal)" for a label that ends with a bracket of its own, which "sham
    (minimal)’s side" would hang the possessive on."""
    if label.rstrip().endswith(")"):
        return Markdown(f"the side of {escape(label)}")
    return Markdown(escape(label) + "\u2019s side")


def _no_direct_effect(ctx: ReportContext, x: Mapping[str, Any], them: str) -> tuple[str, str]:
    """"no trial in these data compares {them} head to head with numbers an effect can be
    computed from", or, where a head-to-head analysis set trials aside, that clause and a
    sentence of what keeps each out (" The trial that compares them could not be used,
    Demo et al. (2025): timepoint 4 weeks is outside the window of 13 to 26 weeks; see
    @tbl-excluded."), or, for a trial another window's analysis uses, where it counts ("no
    trial in these data compares them head to head in the short term (Demo et al., 2025,
    measured at 26 weeks, is used in the medium term analysis instead)").

    The clause and the sentence come apart, the sentence to follow the one the clause
    is in: inside the clause's brackets, the label's own year and the reason's brackets
    nested ("(... could not be used: Nowak et al., 2024 (SD missing); see ...)"), and a
    reader lost count of which bracket closed what.

    A trial of the two that the analysis could not use (another time window, a missing SD)
    is not the same as no trial: a review team that has just added one needs to see why it
    does not count, and a reader that the data hold more than the analysis shows. "No
    trial ... with numbers an analysis here can use" would be untrue of a trial that the
    analysis of another window pools.
    """
    results = {r["analysis"]["id"]: r for r in ctx.analyses}
    kept: dict[str, list[str]] = {}
    # Labels with a reason that is no timepoint of another window.
    not_elsewhere: set[str] = set()
    used: dict[str, tuple[str, str]] = {}  # label -> where another window's analysis uses it
    for d in x["direct"]:
        result = results.get(d["analysis"]) or {}
        for e in result.get("excluded", []):
            reasons = kept.setdefault(e["label"], [])
            if e["reason"] not in reasons:
                reasons.append(e["reason"])
            if not _only_in_another_window(e):
                not_elsewhere.add(e["label"])
            if e["label"] not in used and (where := _used_in_other_windows(ctx, result, e))[1]:
                used[e["label"]] = where
    if not kept:
        return f"no trial in these data compares {them} head to head with numbers an effect can be computed from", ""
    elsewhere = {label: used[label] for label in kept if label in used and label not in not_elsewhere}
    aside = {label: reasons for label, reasons in kept.items() if label not in elsewhere}
    # Out of brackets, each label keeps its own and its reason follows a colon.
    which = "; ".join(f"{escape(label)}: {escape('; '.join(reasons))}"
                      + (f"; {used[label][0] + ', ' if used[label][0] else ''}{used[label][1]}" if label in used else "")
                      for label, reasons in sorted(aside.items()))
    # Which way those trials' own reports went: on the review's own question, "could not be
    # used" alone read as no evidence either way.
    direction = _then(_aside_direction(ctx, _with_excluded([results[d["analysis"]] for d in x["direct"]
                                                            if d["analysis"] in results], set(aside))))
    if not elsewhere:
        trials = "The trial that compares" if len(aside) == 1 else f"The {len(aside)} trials that compare"
        return (f"no trial in these data compares {them} head to head with numbers an analysis here can use",
                f" {trials} them could not be used, {which}; see @tbl-excluded.{direction}")
    windows = ctx.config.get("windows", {})
    name = _in_sentence(_window_name(windows[x["window"]])) if x["window"] in windows else x["window"]
    # Every label here stands inside the sentence's brackets (in_brackets).
    said = [f"{escape(in_brackets(label))}, {at + ', ' if at else ''}is {where} instead"
            for label, (at, where) in sorted(elsewhere.items())]
    trials = "A further trial of the two" if len(aside) == 1 else f"{len(aside)} further trials of the two"
    note = f" {trials} could not be used here, {which}; see @tbl-excluded.{direction}" if aside else ""
    return f"no trial in these data compares {them} head to head in the {escape(name)} ({'; '.join(said)})", note


def _single_study_text(ctx: ReportContext, result: Mapping[str, Any]) -> Markdown:
    """A single trial's effect as the summary gives it: estimate, interval, what it shows,
    then its caveats (:func:`_single_study_parts`, joined)."""
    effect, caveats = _single_study_parts(ctx, result)
    return Markdown(effect + caveats)


def _single_study_parts(ctx: ReportContext, result: Mapping[str, Any], *,
                        doubts: bool = False) -> tuple[Markdown, Markdown]:
    """A single trial's effect as the summary gives it: estimate, interval, what it shows;
    and its caveats, each led by ``"; "`` (``""`` for none).

    With ``doubts``, for a line that gives the effect without its caveats (the summary's
    list of single trials), the effect names after the trial's label what bears on how far
    it can be trusted, a short clause each (:func:`_study_doubts_in_brief`): "Trial C,
    using a value extracted with low confidence, SMD ...".

    A bare estimate ("RR 3.76") reads as a finding; the interval and whether it excludes
    no effect say how much one trial shows, and a study from a secondary source whose
    identity is uncertain says so.
    """
    a, s = result["analysis"], result["studies"][0]
    level = float(ctx.config["methods"].get("level", 95))
    # A study known only from a secondary source says so first: nothing here can check its
    # numbers against a publication, and its effect and interval are computed here from
    # what that source prints (a Cohen's d, with arm sizes assumed where it gives only a
    # total), so what the interval shows holds only if that number is right.
    secondary = s.get("source_level") == "secondary"
    lead = condition = ""
    if secondary:
        assumed = [f for f in s.get("flags", []) if f.startswith("arm sizes assumed")]
        form = escape(str(s.get("form") or "its numbers").removeprefix("reported "))
        lead = (f"known only from a secondary source (study identity {escape(s['identity_confidence'])}); computed "
                f"here from what it reports ({form}){', with ' + escape('; '.join(assumed)) if assumed else ''}: ")
        # Against a comparator the source does not name, what the number is is read too
        # (a between-group d, as the raw row's notes say): the hedge covers both.
        condition = escape("if that source's number is right" + (
            " and is a between-group difference against a control it does not mention"
            if UNNAMED in (a["intervention"], a["comparator"]) else "")) + ", "
    said = _baseline_text(a, s)
    baseline = f"; {said}" if said else ""
    unsettled = exact_test_disagrees(s, level)
    baseline += (_reported_p_clause(ctx, a, s) + ("" if unsettled else _exact_p_clause(s))
                 + _population_clause([s], single=True))
    if s.get("read_elsewhere"):
        # (Never of a secondary source, whose every number is read elsewhere already.)
        baseline += "; " + escape(f"it uses {READ_ELSEWHERE_TRIAL}")
    if not secondary and s.get("low_confidence"):
        # (A secondary source's numbers are in doubt already, as the lead says.)
        baseline += "; " + escape("a value it uses was extracted with low confidence, as its raw row rates it")
    if _from_medians(s):
        # Flagged wherever the effect is used: the summary is where most readers stop.
        baseline += "; " + escape(f"it uses {MEDIAN_CAVEAT}")
    native = s.get("native_difference")
    # The trial's own mean difference with its interval where its rows give one (escalc MD
    # from the SMD's own rows), as the summary gives it; else the difference's size alone.
    own = native_md_text(s, level, where=False) if native is not None else ""
    points = "" if native is None else f"; {escape(own)}" if own else (
        f", a difference of {f2(native['difference'], 1)} points on the {escape(ranges(native['instrument']))}")
    if points and s["yi"] != 0 and not rounds_to_zero(native["difference"], 1) and excludes_no_effect(s):
        # The points are a magnitude: whom they favour is said where the interval lies
        # wholly on one side. Otherwise the interval's clause gives the point estimate's
        # side once, after saying it is compatible with no difference: said first, beside
        # the points, it read as a finding.
        points += " in favour of " + escape(_in_sentence(a["intervention_label" if favours_intervention(a, s["yi"])
                                                          else "comparator_label"], _names(ctx)))
    if own:
        # Where the means were read, after whom the difference favours, which belongs to it.
        # (The space outside: escape drops a leading blank.)
        where = native_md_where(s).strip()
        points += (f" {escape(where)}" if where else "") + escape(native_change_text(s))
    brief = ""
    if doubts:
        # A secondary source's lead says it, and its assumed arm sizes, already; its
        # numbers are in doubt whatever the extraction's confidence, as above.
        # Its identity, rated low, is said beside its label (identity_flag) or in the lead.
        doubts_said = [one for one, _ in _study_doubts_in_brief(s) if one != IDENTITY_LOW_DOUBT and (
            not secondary or one not in (SECONDARY, "using a value extracted with low confidence",
                                         "with arm sizes assumed equal"))]
        brief = f", {escape(join_and(doubts_said))}" if doubts_said else ""
    return (Markdown(f"{lead}{escape(s['label'] + identity_flag(s))}{brief}, {escape(a['measure'])} {f2(shown(a, s['yi']))} ({level:g}% CI "
                     f"{ci_text(shown(a, s['ci_lb']), shown(a, s['ci_ub']))}{rebuilt_note(s)}){md_points(ctx, a)}{points}; "
                     f"{condition}{_disagreement_text(a, s, level, proper=_names(ctx)) if unsettled else _interval_shows(a, s['yi'], s, proper=_names(ctx))}"),
            Markdown(baseline))


def _interval_shows(analysis: Mapping[str, Any], estimate: float, interval: Mapping[str, Any], proper: Collection[str] = (),
                    *, explained: bool = False, ctx: ReportContext | None = None) -> Markdown:
    """What an interval (``ci_lb``/``ci_ub``, analysis scale) shows, and whom it favours if it excludes no difference.

    A pooled interval on t with 1 degree of freedom (:func:`one_df_interval`) that holds no
    difference is also said to be too wide to inform: "compatible with no difference" alone
    is as true of an interval running from a large benefit to a large harm, and two trials
    that agree can pool to one. Why (t on 1 degree of freedom) is said in its bracket unless
    ``explained``, where the caller's next clause says it (:func:`_few_studies_caveat`).
    Given ``ctx``, an interval wholly within ± its minimal important difference informs,
    and is not said to be too wide (:func:`too_wide_to_inform`).
    """
    if not excludes_no_effect(interval):
        wide = too_wide_to_inform(interval, ctx, analysis)
        said = f" but {TOO_WIDE}" if wide else ""
        why = [] if explained or not wide else [ONE_DF]
        # Which side the point estimate is on still tells the reader how to read the sign
        # (a positive SMD favours the comparator), though the interval settles nothing.
        if estimate != 0:
            leans = analysis["intervention_label" if favours_intervention(analysis, estimate) else "comparator_label"]
            # The label inside the bracket: its own brackets as commas (in_brackets).
            why.append(f"point estimate on the side of {escape(in_brackets(_in_sentence(leans, proper)))}")
        return Markdown(f"the confidence interval {INCLUDES}{said}" + (f" ({', '.join(why)})" if why else ""))
    who = analysis["intervention_label" if favours_intervention(analysis, estimate) else "comparator_label"]
    return Markdown(f"the whole confidence interval favours {escape(_in_sentence(who, proper))}")


#: What a study effect from medians rests on, as the summary's lines say it.
MEDIAN_CAVEAT = "means and SDs estimated from medians with quartiles or ranges, assuming a roughly normal outcome"


def _from_medians(s: Mapping[str, Any]) -> bool:
    """Whether a study effect's means and SDs were estimated from medians (``form``)."""
    return str(s.get("form", "")).startswith("arm-level medians")


def _pooled_study_caveats(r: Mapping[str, Any]) -> str:
    """What a pooled estimate's studies bring that its reader must weigh, or "".

    In order: studies known only from a secondary source (their identity as rated), values
    their raw rows rate as extracted with low confidence, means and SDs estimated from
    medians, a window set by a timepoint's words alone, and studies whose arms already
    differed at baseline, with their weight: a final-value effect carries that difference,
    and when the heaviest study has it, the pooled estimate does too (Cochrane Handbook
    10.5.2). A single trial's line says the same of its one study (:func:`_single_study_text`).
    """
    a = r["analysis"]
    out = []
    # Studies with the same doubts share one clause: "A and B use values ...". Each doubt
    # as (verb, of one study, of several): "Lee and Park use a value its raw row rates"
    # spoke of one row of one study.
    doubts: dict[tuple[tuple[str, str, str], ...], list[str]] = {}
    for s in r["studies"]:
        said = []
        if s.get("source_level") == "secondary":
            known = f"{SECONDARY} (study identity {s.get('identity_confidence') or 'not rated'})"
            said.append(("be", known, known))
        elif identity_low(s):
            # A primary report the team could not trace, or whose authors it could not
            # verify: its effect is in the pooled estimate as any other's.
            said.append(("be", f"of uncertain identity ({IDENTITY_LOW})", f"of uncertain identity ({IDENTITY_LOW})"))
        if s.get("read_elsewhere"):
            # Numbers of a trial read in its own report but taken, for this effect, from
            # another document: as a secondary source's, they cannot be checked against
            # the publication (metareview.extract.read_elsewhere).
            said.append(("use", READ_ELSEWHERE_TRIAL, READ_ELSEWHERE_TRIALS))
        if s.get("low_confidence"):
            said.append(("use", "a value its raw row rates as extracted with low confidence",
                         "values their raw rows rate as extracted with low confidence"))
        if _from_medians(s):
            # A mean and SD estimated from a median assume a roughly normal outcome, often
            # the very thing a median was reported for (Cochrane Handbook 6.5.2.5).
            said.append(("use", MEDIAN_CAVEAT, MEDIAN_CAVEAT))
        if s.get("timepoint_weeks") is None and s.get("timepoint_label"):
            # No weeks: the window's terms placed it (normalise.term_window), as the
            # limitations list; a reader of the pooled line should not have to look.
            said.append(("be", "placed in this window by its timepoint's words alone",
                         "placed in this window by their timepoints' words alone"))
        if said:
            doubts.setdefault(tuple(said), []).append(s["label"])
    for shared, labels in doubts.items():
        one = len(labels) == 1
        verbs = [{"be": "is " if one else "are ", "use": "uses " if one else "use "}[verb] + (single if one else several)
                 for verb, single, several in shared]
        # The labels' list as Markdown: as_sentences would split "A, x; and B" at its "; ".
        out.append(f"{join_list([escape(x) for x in labels], markdown=True)} {escape(join_and(verbs))}")
    for s in r["studies"]:
        baseline = _baseline_text(a, s)
        if baseline:
            # A clause, not an apposition: "in Cherkin, 87% of the weight, the arms ..." read
            # as a list of places.
            weight = f", which carries {f2(s['weight'], 0)}% of the weight," if s.get("weight") is not None else ""
            out.append(f"in {escape(s['label'])}{weight or ','} {baseline}")
    return "".join(f"; {part}" for part in out)


def _baseline_text(a: Mapping[str, Any], s: Mapping[str, Any]) -> str:
    """"the arms already differed at baseline (d = 0.19, in the same direction as the
    trial's effect), a difference that final values carry; from baseline, the intervention
    group improved by 4.5 and the comparator group by 4.4 points on the RMDQ, 0.1 points
    more in the intervention group" for a study effect whose arms differed at baseline, or "".

    The changes from baseline, and the gap between them, are the comparison the baseline
    difference does not distort (Cochrane Handbook 10.5.2).
    """
    base = s.get("baseline_imbalance")
    if base is None:
        return ""
    # The direction said against what: "in the same direction" alone left a reader to
    # guess whether it meant the effect's, the scale's or the other arm's. Against the
    # effect, it says whether the imbalance could account for some of it.
    side = "in the same direction as" if (base > 0) == (s["yi"] > 0) else "in the opposite direction to"
    effect = escape("the trial's effect")
    # An SMD analysis's baseline difference is Cohen's d, without the small-sample
    # correction its effects' Hedges' g carry (extract.baseline_difference): "SMD 0.19"
    # read as one of them. An MD analysis's is an MD on the common scale.
    size = f"d = {f2(base)}" if a["measure"] == "SMD" else f"{escape(a['measure'])} {f2(base)}"
    text = (f"the arms already differed at baseline ({size}, {side} {effect}), "
            "a difference that final values carry")
    change = s.get("baseline_change")
    if change is not None:
        gap = change["intervention"] - change["comparator"]
        ahead = "intervention" if gap > 0 else "comparator"
        # The verb once when both groups moved the same way: "improved by 4.5 and the
        # comparator group by 4.4", not "improved by 4.5 and ... improved by 4.4".
        first, second = _moved(change["intervention"]), _moved(change["comparator"])
        if first.split(" by ")[0] == second.split(" by ")[0]:
            second = "by " + second.split(" by ", 1)[1]
        # Which arms a side is, where the trial has more than one of its treatment: the
        # figure is for those alone (or for them combined), not for every such arm.
        named = {what: (f" ({escape(join_and([_in_sentence(x) for x in arms]))}"
                        + (", combined)" if len(arms) > 1 else ")")) if arms else ""
                 for what in ("intervention", "comparator") for arms in [change.get(f"{what}_arms")]}
        text += (f"; from baseline, the intervention group{named['intervention']} {first} and the comparator "
                 f"group{named['comparator']} {second} points on the {escape(ranges(change['instrument']))}, "
                 + (f"{f2(abs(gap), 1)} points more in the {ahead} group" if not rounds_to_zero(gap, 1)
                    else "the same change"))
    return text


def _external_in_window(r: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """An analysis's published results at a timepoint in its window, or not stated in
    weeks (a week-6 result is no evidence for a medium-term analysis)."""
    return [e for e in r.get("external") or [] if not e.get("outside_window")]


def _result_sides(a: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Where each review's published results for an analysis lie, by review (study id):
    ``for`` (the interval wholly on the intervention's side), ``against`` (wholly on the
    comparator's) or ``neither``, for each result with a confidence interval."""
    by_review: dict[str, list[str]] = {}
    for e in entries:
        sides = by_review.setdefault(e["study_id"], [])
        if e["measure"] == "p_only" or e.get("ci_lb") is None or e.get("ci_ub") is None:
            continue
        bounds = (e["ci_lb"], e["ci_ub"])
        sides.append("for" if all(favours_intervention(a, x) for x in bounds) else
                     "against" if all(x != 0 and not favours_intervention(a, x) for x in bounds) else "neither")
    return by_review


def _review_verdict(sides: Sequence[str]) -> str:
    """A review's results taken together: ``for`` or ``against`` when all of those with an
    interval lie wholly on that side, ``neither`` otherwise, ``no interval`` without one.

    Reviews, not results: one review gives a result per timepoint, measure or outcome
    (Mu 2020's MD and its SMD are one finding), and counting each would weigh it more.
    """
    return "no interval" if not sides else sides[0] if len(set(sides)) == 1 else "neither"


def _size_ranges(entries: Sequence[Mapping[str, Any]], reviews: int | None = None) -> list[dict[str, Any]]:
    """What :func:`_external_sizes` says of each scale-free measure, for its text and the
    audit rows of its counts and ranges (:func:`_size_audit_rows`): ``measure``, ``plural``,
    ``given`` (the results with an estimate, lowest first), ``of`` (the reviews giving
    one), ``reviews`` (all reviews of ``entries``, or of a tally ``entries`` are one outcome's)
    and ``said`` (the words printed).

    Given ``reviews``, the words name them: "the SMDs of 3 of the 5", not "of 3 of them".
    After a tally's "4 of 5", "them" read as the 4 on the treatment's side, the review the
    tally does not count there (Lee 2023's −0.13 against sham) among them."""
    out = []
    them = "them" if reviews is None else f"the {reviews}"
    reviews = reviews if reviews is not None else len({e["study_id"] for e in entries})

    def value(e: Mapping[str, Any]) -> float:
        return float(e["estimate_exp"] if e.get("log_scale") else e["estimate"])

    for measure, plural in (("SMD", "SMDs"), ("RR", "risk ratios"), ("OR", "odds ratios")):
        given = sorted((e for e in entries if e["measure"] == measure and e.get("estimate") is not None
                        and (not e.get("log_scale") or e.get("estimate_exp") is not None)), key=value)
        values = [value(e) for e in given]
        # "Their SMDs" only when every review gives one: of three reviews, one giving a
        # mean difference, the other two's are "the SMDs of 2 of them".
        of = len({e["study_id"] for e in given})
        subject = (f"{'its' if reviews == 1 else 'their'} {plural}" if of == reviews
                   else f"the {plural} of {'one' if of == 1 else of} of {them}")
        article = "an" if measure[0] in "AEFHILMNORSX" else "a"
        if len(values) == 1:
            # Of two reviews, one giving an SMD: "the one SMD is −1.07" read as if the
            # reviews had one SMD between them, or as "the only one" of something else.
            said = (f"its {measure} is {f2(values[0])}" if reviews == 1
                    else f"one of {them} gives {article} {measure} of {f2(values[0])}")
        elif values and f2(values[0]) == f2(values[-1]) and of == reviews:
            said = f"{subject} are {'both' if len(values) == 2 else 'all'} {f2(values[0])}"
        elif values and f2(values[0]) == f2(values[-1]):
            # Not "the SMDs of 2 of them are both −0.69", which counts the same two twice,
            # nor "2 of them give SMDs of −0.69", which reads as more than one value.
            said = (f"one of {them} gives {article} {measure} of {f2(values[0])}" if of == 1
                    else f"{of} of {them} each give {article} {measure} of {f2(values[0])}")
        elif values:
            said = f"{subject} range from {f2(values[0])} to {f2(values[-1])}"
        else:
            continue
        out.append({"measure": measure, "plural": plural, "given": given, "values": values, "of": of,
                    "reviews": reviews, "said": said})
    return out


def _left_out_words(labels: Sequence[str], k: int) -> str:
    """The studies whose omission changes a conclusion, after "sensitive to leaving out":
    "A or B", or "any one of its 4 studies" when every one of the analysis's k studies
    does, which a list of all their names says less plainly (and, in a summary line, at
    the length of the whole list)."""
    return f"any one of its {k} studies" if k > 2 and len(labels) == k else _either(labels)


def _omission_labels(r: Mapping[str, Any], widened: bool) -> list[str]:
    """The labels of the studies whose omission alone changes the analysis' conclusion
    (:func:`metareview.report.keys.sensitive_to`): those whose omission only takes the
    interval across no difference while the estimate moves away from it
    (:func:`metareview.report.keys.widened_only`) if ``widened``, the others if not."""
    labels = {s["study_id"]: s["label"] for s in r["studies"]}
    return [labels[x["study_id"]] for x in sensitive_to(r) if widened_only(r, x) == widened]


def _sensitive_labels(r: Mapping[str, Any]) -> list[str]:
    """The labels of the studies a conclusion rests on: their omission alone changes it,
    other than by widening the interval alone (:func:`_widened_labels`)."""
    return _omission_labels(r, widened=False)


def _widened_labels(r: Mapping[str, Any]) -> list[str]:
    """The labels of the studies whose omission only widens the interval across no
    difference, the estimate moving away from it."""
    return _omission_labels(r, widened=True)


def widened_words(r: Mapping[str, Any], *, markdown: bool = True) -> str:
    """"leaving out A or B widens the interval across no difference, though the estimate
    moves away from it"; "" when no refit does only that. Said beside the studies a
    result is sensitive to, so that a reader does not count a study nearest no difference,
    whose omission costs only precision, among those the result rests on. The labels are
    escaped for Markdown unless ``markdown`` is False (for a caller that escapes the
    whole)."""
    widened = [escape(label) if markdown else label for label in _widened_labels(r)]
    if not widened:
        return ""
    k = len((r.get("pooled") or {}).get("leave1out") or [])
    return (f"leaving out {_left_out_words(widened, k)} widens the interval across no difference, "
            "though the estimate moves away from it")


#: Tests whose interval takes its critical value from a t distribution on k - 1 df.
T_TESTS = frozenset({"knha", "t", "adhoc"})

#: Below this many studies a t-based pooled interval is said to be wide by construction.
FEW_STUDIES = 4


def _study_doubts_in_brief(s: Mapping[str, Any], *, baseline: bool = True) -> list[tuple[str, str]]:
    """What a study effect rests on that bears on how far it can be trusted, as the
    summary's lines say it beside the study: each doubt as (said of one study, said of
    several), e.g. ("using a value extracted with low confidence", "using values extracted
    with low confidence"); [] for none.

    In order: arms that differed at baseline (where ``baseline``), a secondary source, an
    identity rated low (whatever the source: :data:`IDENTITY_LOW_DOUBT`), values rated as
    extracted with low confidence, a population other than the review's (``population_fit``
    narrower, broader or different) or not known to be it (unclear), means and SDs estimated from medians, an SD or SE
    imputed from a p-value, and arm sizes assumed equal from a total.
    The analysis's line in the Results says each in full (:func:`_pooled_study_caveats`,
    :func:`_single_study_parts`); a reader who stops at the summary must not take such an
    effect for one like the others. No commas inside a doubt: the summary's lists of
    results part their items with commas and semicolons.
    """
    doubts = []
    if baseline and s.get("baseline_imbalance") is not None:
        # "with", not "whose": joined by "and" to the next doubt ("using ..."), a relative
        # clause would not read as one list with it.
        doubts.append(("with arms that differed at baseline", "with arms that differed at baseline"))
    if s.get("source_level") == "secondary":
        doubts.append((SECONDARY, "known only from secondary sources"))
    if identity_low(s):
        doubts.append((IDENTITY_LOW_DOUBT, "with their study identities rated low"))
    if s.get("read_elsewhere"):
        doubts.append((f"using {READ_ELSEWHERE_TRIAL}", f"using {READ_ELSEWHERE_TRIALS}"))
    if s.get("low_confidence"):
        doubts.append(("using a value extracted with low confidence", "using values extracted with low confidence"))
    fit = s.get("population_fit")
    if fit in POPULATION_WORDS:
        doubts.append((f"in {POPULATION_WORDS[fit]} this review\u2019s", f"in {POPULATION_WORDS[fit]} this review\u2019s"))
    elif fit == "unclear":
        # Not known to be the review's population (the table of study effects flags it):
        # said as a secondary source's or a low identity's doubt is.
        doubts.append(("with its population unclear", "with their populations unclear"))
    if _from_medians(s):
        doubts.append(("using means and SDs estimated from medians", "using means and SDs estimated from medians"))
    flags = s.get("flags") or []
    for what in ("SD", "SE"):
        # A t-test assumed where the source gives only a p-value (extract, Cochrane
        # Handbook 6.5.2.3): an estimate, not the trial's own spread.
        if f"{what} imputed from a p-value" in flags:
            doubts.append((f"with an {what} imputed from a p-value", f"with {what}s imputed from p-values"))
    if any(f.startswith("arm sizes assumed") for f in flags):
        doubts.append(("with arm sizes assumed equal", "with arm sizes assumed equal"))
    # As the median-based estimate: an assumption the effect rests on.
    if SMD_FROM_T_FLAG in flags:
        doubts.append(("standardised from a t statistic", "standardised from t statistics"))
    # Its raw rows disagree with each other or with their quote: the effect may rest on a
    # misread cell, which only the warnings table said.
    if WARNED_FLAG in flags:
        doubts.append(("with a consistency warning on its raw rows",
                       "with consistency warnings on their raw rows"))
    return doubts


def _pooled_caveats_in_brief(r: Mapping[str, Any]) -> str:
    """What the bottom line says beside "pooled, k = 2": ", an interval wider than any of its
    trials' own, 87% of the weight from Cherkin et al., 2009, with arms that differed at
    baseline, 13% of the weight from Kwon et al., 2007, known only from a secondary source
    and using a value extracted with low confidence" (in brackets:
    :func:`metareview.fmt.in_brackets`), or "". The analysis's line says each in full
    (:func:`_few_studies_caveat`, :func:`_pooled_study_caveats`); a list of results grouped
    by where their intervals lie must not present such an estimate as one like the others.

    Each study's doubts (:func:`_study_doubts_in_brief`) with the share of the weight it
    carries, which says how far they reach into the pooled estimate; studies with the same
    doubts share one clause, by their number ("20% of the weight from 2 studies using
    values extracted with low confidence"): their labels, each with a comma of its own,
    would need semicolons, which part the bottom line's results. A baseline imbalance is
    said only of a study with most of the weight: the pooled estimate carries it only then.
    """
    out = ["an interval wider than any of its trials' own"] if _few_studies_caveat(r) else []
    out += [f"{share}{in_brackets(who) + ',' if one else who} {doubts}" for share, who, one, doubts in _weight_doubts(r)]
    # Commas only: the bottom line separates its items with semicolons.
    return "".join(f", {text}" for text in out)


def _weight_doubts(r: Mapping[str, Any]) -> list[tuple[str, str, bool, str]]:
    """The doubts of a pooled result's studies (:func:`_study_doubts_in_brief`), with the
    share of the weight each carries, which says how far they reach into the pooled
    estimate: (share, "87% of the weight from ", or "" where a weight is missing; the
    study's label, or "2 studies" for those with the same doubts; whether one study; its
    doubts in words). A baseline imbalance is said only of a study with most of the
    weight: the pooled estimate carries it only then."""
    studies = r.get("studies") or []
    groups: dict[tuple[tuple[str, str], ...], list[Mapping[str, Any]]] = {}
    for s in studies:
        doubts = _study_doubts_in_brief(s, baseline=(s.get("weight") or 0) >= 50)
        if doubts:
            groups.setdefault(tuple(doubts), []).append(s)
    weighed = all(s.get("weight") is not None for s in studies)
    out = []
    for shared, group in groups.items():
        one = len(group) == 1
        share = f"{f2(sum(float(s['weight']) for s in group), 0)}% of the weight from " if weighed else ""
        out.append((share, group[0]["label"] if one else f"{len(group)} studies", one,
                    join_and([d[0] if one else d[1] for d in shared])))
    return out


def weight_sentences(r: Mapping[str, Any]) -> str:
    """The doubts of a pooled result's studies, by their share of the weight, as sentences
    after the result's line in the summary's list of comparators, plain text, or "": "87%
    of the weight is from Cherkin et al. (2009), with arms that differed at baseline. 13%
    is from Kwon et al. (2007), known only from a secondary source and with its study
    identity rated low." Inside the result's brackets, after its interval, they made the
    line one sentence too long to read (:func:`_weight_doubts`)."""
    said: list[str] = []
    for share, who, one, doubts in _weight_doubts(r):
        # "of the weight" once: the next share is read as of the same.
        share = share.replace(" of the weight from ", "" if said else " of the weight").strip()
        if share:
            said.append(f"{share} is from {who}, {doubts}." if one else f"{share} is from {who} {doubts}.")
        else:
            said.append(f"{who[:1].upper()}{who[1:]}: {doubts}.")
    return " ".join(said)


#: What the report says of a pooled interval on t with 1 degree of freedom that holds no
#: difference, after "compatible with no difference but": as the report calls a sparse
#: table's interval unreliable, not a finding of no difference; and why.
TOO_WIDE = "too wide to inform"
ONE_DF = "t on 1 degree of freedom"


def one_df_interval(p: Mapping[str, Any]) -> bool:
    """Whether a pooled result's interval is on t with 1 degree of freedom (two studies
    under Hartung-Knapp or a t test), whose critical value (12.71 at 95%) makes it wide
    whatever the studies show. A study effect, or a pooled result of a z test, is not."""
    return p.get("test") in T_TESTS and p.get("df") == 1


def too_wide_to_inform(p: Mapping[str, Any], ctx: ReportContext | None = None,
                       analysis: Mapping[str, Any] | None = None) -> bool:
    """Whether a pooled interval that holds no difference is to be called too wide to
    inform: one on t with 1 df (:func:`one_df_interval`), unless it lies wholly within ±
    its outcome's minimal important difference (given ``ctx`` and ``analysis``), where it
    does inform: any effect is likely too small to matter (:func:`mid_position`)."""
    if not one_df_interval(p):
        return False
    mid = outcome_mid(ctx, analysis) if ctx is not None and analysis is not None else None
    return not (mid and mid_position(p["ci_lb"], p["ci_ub"], float(mid["value"])) == "within")


def equal_effects_clause(r: Mapping[str, Any], proper: Collection[str] = ()) -> Markdown:
    """The equal-effects estimate beside a pooled interval on t with 1 df, and why it is
    given: "; as a sensitivity analysis, an equal-effects (common-effect) model gives MD
    −0.84 (95% CI −1.48 to −0.19), whose whole interval favours dry needling: the
    Hartung-Knapp interval on 2 studies is very wide, and the equal-effects one, which
    assumes a single true effect, too narrow if the trials' true effects differ (Cochrane
    Handbook 10.10.4)", or "" where the analysis has none
    (:func:`metareview.analysis.equal_effects_fit`).

    A clause after the pooled result's, beginning "; ": the summary's line makes it a
    sentence of its own (:func:`metareview.report.summary.as_sentences`). Never in place of
    the random-effects result: the two intervals bracket what two trials can say.
    """
    p = r.get("pooled") or {}
    ee = p.get("equal_effects")
    if not ee or ee.get("estimate") is None:
        return Markdown("")
    a = r["analysis"]
    shows = _sensitivity_shows(a, ee, proper)
    method = "Hartung-Knapp" if p.get("test") in ("knha", "adhoc") else "t-based"
    return Markdown(
        f"; as a sensitivity analysis, an equal-effects (common-effect) model gives {escape(a['measure'])} "
        f"{f2(shown(a, ee['estimate']))} ({ee['level']:g}% CI {ci_text(shown(a, ee['ci_lb']), shown(a, ee['ci_ub']))}), "
        f"{shows}: the {method} interval on {p['k']} studies is very wide, and the equal-effects one, which assumes "
        "a single true effect, too narrow if the trials' true effects differ (Cochrane Handbook 10.10.4)")


def _sensitivity_shows(a: Mapping[str, Any], fit: Mapping[str, Any], proper: Collection[str]) -> str:
    """What a sensitivity analysis's interval shows, after its estimate: "whose whole
    interval favours acupuncture", or "whose interval includes no difference"."""
    if excludes_no_effect(fit):
        who = a["intervention_label" if favours_intervention(a, fit["estimate"]) else "comparator_label"]
        return f"whose whole interval favours {escape(_in_sentence(who, proper))}"
    return f"whose interval {INCLUDES}"


def mantel_haenszel_clause(r: Mapping[str, Any], proper: Collection[str] = ()) -> Markdown:
    """The Mantel-Haenszel estimate of a binary analysis with a zero-event arm
    (:func:`metareview.analysis.mantel_haenszel_fit`), where it and the random-effects
    interval disagree on whether the interval includes no difference: "; as a
    sensitivity analysis for the zero-event arm of Cruz et al. (2012), the
    Mantel-Haenszel method, which pools the 2×2 tables as they are, without a continuity
    correction, gives RR 1.51 (95% CI 1.16 to 1.97), whose whole interval favours
    acupuncture: a common-effect model with a normal-based interval, narrower than the
    random-effects one if the trials' true effects differ (Cochrane Handbook 10.4.4.2)";
    else "".

    A clause after the pooled result's, beginning "; ", as :func:`equal_effects_clause`.
    Where both intervals say the same, the estimate adds nothing a reader would act on,
    and is not printed (the analysis's JSON keeps it).
    """
    p = r.get("pooled") or {}
    mh = p.get("mantel_haenszel")
    if not mh or mh.get("estimate") is None or excludes_no_effect(mh) == excludes_no_effect(p):
        return Markdown("")
    a = r["analysis"]
    shows = _sensitivity_shows(a, mh, proper)
    labels = {s["study_id"]: s["label"] for s in r.get("studies") or []}
    names = join_and([escape(labels.get(x, x)) for x in mh.get("zero_arm") or []])
    arms = "zero-event arm" if len(mh.get("zero_arm") or []) == 1 else "zero-event arms"
    return Markdown(
        f"; as a sensitivity analysis for the {arms} of {names}, the Mantel-Haenszel method, which pools the "
        f"2×2 tables as they are, without a continuity correction, gives {escape(a['measure'])} "
        f"{f2(shown(a, mh['estimate']))} ({mh['level']:g}% CI {ci_text(shown(a, mh['ci_lb']), shown(a, mh['ci_ub']))}), "
        f"{shows}: a common-effect model with a normal-based interval, narrower than the random-effects one if the "
        "trials' true effects differ (Cochrane Handbook 10.4.4.2)")


def _few_studies_caveat(r: Mapping[str, Any]) -> str:
    """Why a t-based pooled interval on two or three studies is wider than every one of
    its studies' own: "; with 2 studies the interval takes its width from a t distribution
    on 1 degree of freedom (critical value 12.71, against 1.96 for a single trial's
    interval here), wider than any of its studies' own intervals", or "".

    Said only where the interval is wider than each study's: a reader would otherwise
    take the width for the studies disagreeing. The Hartung-Knapp interval also scales
    with how far the studies scatter, so studies that agree closely can give one narrower
    than theirs, and then nothing is said.
    """
    p = r.get("pooled") or {}
    k, test = p.get("k"), p.get("test")
    if test not in T_TESTS or not k or k >= FEW_STUDIES:
        return ""
    widths = [s["ci_ub"] - s["ci_lb"] for s in r.get("studies") or []
              if s.get("ci_lb") is not None and s.get("ci_ub") is not None]
    if not widths or p["ci_ub"] - p["ci_lb"] <= max(widths):
        return ""
    # numpy and scipy: imported only for such an estimate.
    from metareview.distributions import norm_ppf, t_ppf

    df = int(p.get("df") or k - 1)
    quantile = 0.5 + float(p.get("level", 95)) / 200.0
    return (f"; with {k} studies the interval takes its width from a t distribution on {df} degree"
            f"{'' if df == 1 else 's'} of freedom (critical value {float(t_ppf(quantile, df)):.2f}, against "
            f"{float(norm_ppf(quantile)):.2f} for a single trial's interval here), wider than any of its studies' "
            "own intervals")


def _sensitive_in_brief(r: Mapping[str, Any]) -> str:
    """", sensitive to leaving out Bee, 2020" beside "pooled, k = 5" in the treatments'
    lists, inside their brackets (:func:`metareview.fmt.in_brackets`); "" when no omission
    matters.

    The other lists of the bottom line give :func:`_sensitivity_caveat`, in brackets of its
    own, which would open inside these. Several studies are counted, not named ("any one of
    2 of its studies"): their labels, each with a comma of its own, would need the
    semicolons that part the list's results.
    """
    k = len((r.get("pooled") or {}).get("leave1out") or [])

    def who(labels: Sequence[str]) -> str:
        return (in_brackets(labels[0]) if len(labels) == 1 else
                f"any one of its {k} studies" if len(labels) == k else f"any one of {len(labels)} of its studies")

    changed, widened = _sensitive_labels(r), _widened_labels(r)
    # A study whose omission only widens the interval, said as the summary's line says it.
    return ((f", sensitive to leaving out {who(changed)}" if changed else "")
            + (f", its interval across no difference without {who(widened)}, the estimate further from it"
               if widened else ""))


def prediction_clause(r: Mapping[str, Any]) -> str:
    """"; a new trial's effect could lie on either side of no difference (95% prediction
    interval −1.86 to 0.14)" beside a pooled estimate whose confidence interval lies on one
    side while its prediction interval crosses no difference; "" otherwise (no prediction
    interval, fewer than 3 studies, or one that agrees).

    The confidence interval says where the average effect lies; the prediction interval,
    where a new setting's effect may (Cochrane Handbook 10.10.4.3). "Favouring
    acupuncture" alone let a panel read a benefit in every setting that the spread of the
    trials does not promise.
    """
    p = r.get("pooled") or {}
    lb, ub = p.get("pi_lb"), p.get("pi_ub")
    if lb is None or ub is None or not excludes_no_effect(p) or lb > 0 or ub < 0:
        return ""
    a = r["analysis"]
    # The true effect: a new trial's observed effect would lie wider still, by its own
    # sampling error, than an interval for the effect in its setting.
    return (f"; a new trial\u2019s true effect could lie on either side of no difference ({p.get('level', 95):g}% "
            f"prediction interval {ci_text(shown(a, lb), shown(a, ub))})")


def heterogeneity_clause(r: Mapping[str, Any]) -> str:
    """"; substantial heterogeneity between the trials (I² = 64.1%, 95% CI 34.7% to
    94.5%)" beside a pooled estimate of at least 4 studies whose I² lies in the Cochrane
    Handbook's bands of substantial or considerable heterogeneity (10.10.2:
    :func:`~metareview.report.base.substantial_heterogeneity`), else "".

    The summary gave an SMD of 11 trials with I² = 64% as one number favouring
    acupuncture: that the trials' results differ that much is part of what the estimate
    means, and the results said it in numbers only.
    """
    level = substantial_heterogeneity(r)
    if not level:
        return ""
    p = r["pooled"]
    interval = ""
    if p.get("I2_ci_lb") is not None and p.get("I2_ci_ub") is not None and not (p.get("ci_lb_sign") or p.get("ci_ub_sign")):
        interval = f", {p.get('level', 95):g}% CI {f2(p['I2_ci_lb'], 1)}% to {f2(p['I2_ci_ub'], 1)}%"
    return f"; {level} heterogeneity between the trials (I² = {f2(p['I2'], 1)}%{interval})"


def asymmetry_clause(r: Mapping[str, Any], proper: Collection[str] = ()) -> str:
    """"; the small-study test found asymmetry (the less precise trials more favourable to
    acupuncture), so this estimate may be too favourable to acupuncture" beside a pooled
    estimate whose small-study test found asymmetry (:func:`~metareview.report.base.asymmetry_favours`),
    else "" (Markdown).

    Said only in the analysis's section, a significant test (t = −4.84, p < 0.001) left
    the summary's estimate unqualified: asymmetry, whatever its cause (results missing
    for their size or direction among them: Sterne et al. 2011), is a reason to doubt the
    pooled estimate.
    """
    favoured = asymmetry_favours(r)
    if favoured is None:
        return ""
    who = escape(_in_sentence(favoured, proper))
    return (f"; the small-study test found asymmetry (the less precise trials more favourable to {who})"
            f"{escape(sample_size_check(r))}, so this estimate may be too favourable to {who}")


def _sensitivity_caveat(r: Mapping[str, Any]) -> str:
    """" (sensitive to leaving out Bee 2020)" for a summary line, with
    :func:`widened_words`; "" when no omission matters."""
    changed = [escape(label) for label in _sensitive_labels(r)]
    k = len((r.get("pooled") or {}).get("leave1out") or [])
    said = [f"sensitive to leaving out {_left_out_words(changed, k)}"] if changed else []
    said += [w] if (w := widened_words(r)) else []
    return f" ({'; '.join(said)})" if said else ""


#: Study designs as a reader writes them (the raw tables' codes otherwise, in words).
DESIGN_NAMES = {"rct": "RCT", "crossover_rct": "crossover RCT", "cluster_rct": "cluster RCT",
                "quasi_rct": "quasi-randomised trial", "case_series": "case series", "meta_analysis": "meta-analysis",
                "ipd_meta_analysis": "IPD meta-analysis", "unknown": "not stated"}


def design_text(design: str) -> str:
    """A study design for the report's tables: "RCT", "IPD meta-analysis"."""
    return DESIGN_NAMES.get(design, design.replace("_", " "))


def _own_effect_text(a: Mapping[str, Any], e: Mapping[str, Any], level: float) -> str:
    """"; its own SMD from changes from baseline: −0.98 (95% CI −1.59 to −0.38)" for a trial
    set aside for its value type, or ""."""
    own = e.get("own_effect")
    if not own:
        return ""
    kind = _VALUE_KINDS.get(own["value_type"], own["value_type"])
    return (f"; its own {escape(a['measure'])} from {escape(kind)}, not combined with the others: "
            f"{f2(shown(a, own['yi']))} ({level:g}% CI {ci_text(shown(a, own['ci_lb']), shown(a, own['ci_ub']))})")


def add_on_statement(doc: Mapping[str, Any], statement: Mapping[str, Any]) -> bool:
    """Whether a statement compares X + C with C alone (an add-on design), in either order
    of its arms: one arm's cointervention is the other arm's treatment, as
    :func:`metareview.extract.study_effects` tells an add-on arm from its comparator."""
    arms = {a["arm_id"]: a for a in doc["arms"]}
    one, other = arms.get(statement.get("arm1")), arms.get(statement.get("arm2"))
    if one is None or other is None:
        return False
    return (is_cointervention(other["treatment"], one.get("cointervention"))
            or is_cointervention(one["treatment"], other.get("cointervention")))


def in_designs(add_on: bool, designs: str) -> bool:
    """Whether a comparison of an add-on design or not belongs to an analysis's ``designs``
    (``any``, ``head_to_head``, ``add_on``), as its numbers would."""
    return designs == "any" or (designs == "add_on") == add_on


#: A row reference in a conversion step: ``arm_outcomes.csv:Cherkin2009#9`` (the study's
#: ninth row in that file), as :func:`metareview.rawdata.resolve_refs` keys them.
_REF = re.compile(r"\b[a-z_]+\.csv:[A-Za-z][A-Za-z0-9_-]*#\d+\b")
#: Row references listed one after another (", " between them), as a flag lists them.
_REF_RUN = re.compile(rf"{_REF.pattern}(?:, {_REF.pattern})*")
