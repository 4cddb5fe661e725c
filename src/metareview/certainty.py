"""Certainty of the evidence (GRADE) for each analysis, from the review team's judgements.

GRADE rates the certainty of a body of evidence for one comparison and outcome. Evidence
from randomised trials starts at *high* and is rated down one level for each domain with a
serious concern, two for a very serious one, in five domains: risk of bias,
inconsistency, indirectness, imprecision and publication bias [1]_ [2]_::

    level = max(very low, high - sum of the downgrades)

The ratings are judgements, which this module does not make: the review team records
them in the config (``analyses[].certainty``, with the studies they were made on), and
this module turns them into a level, and refuses to when the analysis no longer holds
the studies they were made on. A study added to or removed from an analysis leaves the
judgement *out of date* (its risk of bias, its precision, its consistency were judged on
other trials), and the report says so instead of printing a level. So does an edit to a
judged study's data, when the team recorded each study's :func:`fingerprint` with the
judgements (``studies: {id: fingerprint}``); judgements that name their studies only
(``studies: [id, ...]``) cannot tell an edit, and the report's "What changed" names such
edits beside the analyses whose numbers they move. Rating up (large effect, dose-response, plausible
confounding) applies to non-randomised evidence; the analyses here pool randomised trials
only, so it is not offered.

Only the standard library is imported here.

References
----------
.. [1] Guyatt GH, Oxman AD, Vist GE, et al. (2008). GRADE: an emerging consensus on
   rating quality of evidence and strength of recommendations. BMJ 336:924-926.
.. [2] Schünemann HJ, Higgins JPT, Vist GE, et al. (2023). Chapter 14: Completing
   'Summary of findings' tables and grading the certainty of the evidence. In: Cochrane
   Handbook for Systematic Reviews of Interventions, version 6.4.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from metareview.fmt import in_brackets, join_list, with_each

__all__ = [
    "DOMAINS",
    "DOMAIN_TEXT",
    "LEVELS",
    "ONE_STUDY_INCONSISTENCY",
    "RATINGS",
    "STATUSES",
    "Certainty",
    "describe",
    "fingerprint",
    "join_and",
    "level_text",
    "rate",
]

#: The five domains that can rate evidence from randomised trials down, in GRADE's order.
DOMAINS: tuple[str, ...] = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")

#: Domain names as the report prints them.
DOMAIN_TEXT = {
    "risk_of_bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication_bias": "publication bias",
}

#: Levels from lowest to highest; randomised trials start at the last.
LEVELS: tuple[str, ...] = ("very_low", "low", "moderate", "high")

#: Levels down for each rating of a domain.
RATINGS: dict[str, int] = {"not_serious": 0, "serious": 1, "very_serious": 2}

#: Above this many studies judged and held together, an out-of-date judgement names only
#: the studies that differ (:func:`describe`).
OUT_OF_DATE_LISTED = 6

#: Said of inconsistency rated down for an analysis of one study. GRADE's inconsistency is
#: that of the results of several studies; it is judged in one trial only in special cases
#: (results that differ between its centres or subgroups; the GRADE Handbook, on
#: inconsistency). Noted rather than refused: such a case is the team's to make, and the
#: reason it gives is printed beside the rating.
ONE_STUDY_INCONSISTENCY = ("Inconsistency was rated down for one study: GRADE does so only in special cases "
                           "(results that differ between the trial's centres or subgroups), which the reason should "
                           "say")

#: Statuses of :class:`Certainty`, and what each means.
STATUSES = {
    "graded": "rated",
    "not_assessed": "no GRADE judgements recorded",
    "incomplete": "some domains not rated",
    "out_of_date": "judged on studies other than those the analysis now holds, or on their earlier data",
    "no_evidence": "no study effect to rate",
}


@dataclass(frozen=True)
class Certainty:
    """The certainty of one analysis's evidence, or why it has none.

    Attributes
    ----------
    status
        ``graded`` (``level`` is set), ``not_assessed`` (no judgements),
        ``incomplete`` (``missing`` domains not rated), ``out_of_date`` (the analysis
        now holds ``held``, with ``added`` studies the judgements do not cover, or
        without ``dropped`` ones they do, or the data of the ``changed`` studies differ
        from the fingerprints recorded with the judgements) or ``no_evidence`` (no
        study effect to rate).
    level
        ``high``, ``moderate``, ``low`` or ``very_low``; ``None`` unless graded.
    downgrades
        Levels down per rated domain (0, 1 or 2), in :data:`DOMAINS` order.
    reasons
        The team's reason for each rated domain that gave one.
    notes
        What the report says beside judgements that the data make unusual, without
        refusing them (:data:`ONE_STUDY_INCONSISTENCY`): the judgements stay the team's.
    """

    status: str
    level: str | None = None
    downgrades: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    assessed_by: str | None = None
    judged: tuple[str, ...] = ()
    held: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rated_down_for(self) -> list[str]:
        """The domains that lowered the level, in :data:`DOMAINS` order."""
        return [d for d in DOMAINS if self.downgrades.get(d, 0) > 0]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "level": self.level, "downgrades": dict(self.downgrades),
                "reasons": dict(self.reasons), "missing": list(self.missing), "added": list(self.added),
                "dropped": list(self.dropped), "assessed_by": self.assessed_by, "judged": list(self.judged),
                "held": list(self.held), "changed": list(self.changed), "notes": list(self.notes)}


def fingerprint(yi: float, vi: float, n1: float | None = None, n2: float | None = None,
                risk_of_bias: Iterable[tuple[str, str]] = ()) -> str:
    """A short code for the data of one study in one analysis, as GRADE judged them.

    From the SHA-256 of the study's effect ``yi``, its variance ``vi``, its group sizes
    and its risk-of-bias judgements (domain, judgement), the numbers to 10 significant
    digits (so that a last-bit difference between two machines' floating point gives
    the same code, and any edit of the data a new one): its first hex digit written as
    one of the letters g to v, then the next seven. A code that starts with a letter
    outside hex is a string to YAML however it is pasted (``12345678`` would be a
    number, ``01234567`` an octal one, ``0b101101`` a binary one). Recorded with the
    judgements, it lets the report tell judgements made on data that has since changed.

    Examples
    --------
    >>> fingerprint(-0.51, 0.2016, 60, 58)
    'gfee058d'
    """
    def number(x: float | None) -> str | None:
        return None if x is None else format(float(x), ".10g")

    text = json.dumps([number(yi), number(vi), number(n1), number(n2), sorted(map(list, risk_of_bias))],
                      separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return "ghijklmnopqrstuv"[int(digest[0], 16)] + digest[1:8]


def rate(judgement: Mapping[str, Any] | None, studies: Sequence[str], *, has_evidence: bool = True,
         fingerprints: Mapping[str, str] | None = None) -> Certainty:
    """The GRADE level of an analysis from the team's judgements, if they still fit it.

    Parameters
    ----------
    judgement
        The analysis's ``certainty`` entry of the config, or ``None``:
        ``{"studies": [...], "assessed_by": ..., "<domain>": {"rating": "serious",
        "reason": ...}, ...}`` with a rating of ``not_serious``, ``serious`` or
        ``very_serious`` for each domain of :data:`DOMAINS`. ``studies`` is a list of
        study ids, or a mapping of each id to the :func:`fingerprint` of its data
        when the judgements were made.
    studies
        The studies the analysis now uses (those with an effect in it).
    has_evidence
        Whether the analysis has an effect to rate (a pooled estimate or a single
        study's effect); without one, nothing is rated.
    fingerprints
        The :func:`fingerprint` of each study's data now, compared with those the
        judgements recorded.

    Returns
    -------
    Certainty
        ``level = LEVELS[max(0, 3 - sum(downgrades))]`` when every domain is rated and
        the judgements cover exactly ``studies`` with the data they recorded;
        otherwise the status says why there is no level.

    Raises
    ------
    ValueError
        A rating other than those of :data:`RATINGS`, or a domain not in
        :data:`DOMAINS` (the config's schema rules both out first).
    """
    if not judgement:
        return Certainty("not_assessed" if has_evidence else "no_evidence")
    unknown = sorted(set(judgement) - set(DOMAINS) - {"studies", "assessed_by"})
    if unknown:
        raise ValueError(f"not a GRADE domain: {', '.join(unknown)} (expected {', '.join(DOMAINS)})")
    downgrades: dict[str, int] = {}
    reasons: dict[str, str] = {}
    for domain in DOMAINS:
        entry = judgement.get(domain)
        if entry is None:
            continue
        rating = entry.get("rating")
        if rating not in RATINGS:
            raise ValueError(f"{domain}: rating {rating!r} is not one of {', '.join(RATINGS)}")
        downgrades[domain] = RATINGS[rating]
        if entry.get("reason"):
            reasons[domain] = str(entry["reason"])
    recorded = judgement.get("studies") or []
    judged = tuple(recorded)
    # The fields every outcome below shares; Any, as the checker would type each value as
    # the union of them all and match it against every field of Certainty.
    # Inconsistency rated down where the analysis holds one study: said, not refused.
    notes = (ONE_STUDY_INCONSISTENCY,) if len(studies) == 1 and downgrades.get("inconsistency", 0) > 0 else ()
    common: dict[str, Any] = {"downgrades": downgrades, "reasons": reasons, "assessed_by": judgement.get("assessed_by"),
              "judged": judged, "held": tuple(studies), "notes": notes}
    if not has_evidence:
        # Kept, so that the report can say the judgements have nothing to rate.
        return Certainty("no_evidence", **common)
    judged_set, held_set = set(judged), set(studies)
    added = tuple(s for s in studies if s not in judged_set)
    dropped = tuple(s for s in judged if s not in held_set)
    now = fingerprints or {}
    changed = tuple(s for s in judged if isinstance(recorded, Mapping) and s in now and recorded[s] != now[s])
    if added or dropped or changed:
        return Certainty("out_of_date", added=added, dropped=dropped, changed=changed, **common)
    missing = tuple(d for d in DOMAINS if d not in downgrades)
    if missing:
        return Certainty("incomplete", missing=missing, **common)
    level = LEVELS[max(0, len(LEVELS) - 1 - sum(downgrades.values()))]
    return Certainty("graded", level=level, **common)


def level_text(level: str) -> str:
    """``very_low`` -> ``very low``."""
    return level.replace("_", " ")


def describe(c: Certainty, labels: Mapping[str, str] | None = None, *, bracketed: bool = True) -> str:
    """One phrase for the report: the level and why, or why there is none.

    ``labels`` gives study labels by id (for an out-of-date judgement's studies). They
    stand inside the phrase's brackets, so each gives its own brackets as commas
    (:func:`metareview.fmt.in_brackets`): "not rated (judged on Kim et al. (2008) ...)"
    nested one bracket in another. A label's commas are then not told from a list's,
    and a list's semicolons (:func:`metareview.fmt.join_list`) not from the clauses', so
    the preposition before a list of such labels is said again before each
    (:func:`metareview.fmt.with_each`): "judged on Kim et al., 2008, on Lee, 2009 and on
    Park, 2010". ``bracketed=False`` keeps each label as written, for a caller that
    prints the reasons without the brackets (a table's cell).

    Examples: ``high``, ``low (rated down for risk of bias and imprecision)``,
    ``very low (rated down for risk of bias, and two levels for imprecision)``,
    ``not rated (inconsistency and publication bias not judged)``,
    ``not rated (judged on A; the analysis now rests on A and B)``.
    """
    names = labels or {}

    def studies(ids: Sequence[str], preposition: str = "on") -> str:
        said = [names.get(s, s) for s in ids]
        return with_each([in_brackets(x) for x in said] if bracketed else said, preposition) or "no study"

    if c.status == "graded":
        assert c.level is not None
        return level_text(c.level) + (f" ({_downgrades_text(c)})" if c.rated_down_for else "")
    if c.status == "incomplete":
        return f"not rated ({join_and([DOMAIN_TEXT[d] for d in c.missing])} not judged)"
    if c.status == "out_of_date":
        # Neutral: a study added or removed reads the same as a mistyped id would. Both
        # lists in full while short; for a large analysis, only where they differ.
        parts = []
        if (c.added or c.dropped) and len(c.judged) + len(c.held) <= OUT_OF_DATE_LISTED:
            parts.append(f"judged on {studies(c.judged)}; the analysis now rests on {studies(c.held)}")
        elif c.added or c.dropped:
            parts.append(f"judged on {len(c.judged)} studies; the analysis now rests on {len(c.held)}")
            if c.added:
                parts.append(f"no judgement on {studies(c.added)}")
            if c.dropped:
                parts.append(f"the analysis no longer rests on {studies(c.dropped)}")
        if c.changed:
            # An edit of the data reads the same as a mistyped fingerprint: both are named,
            # so that a team does not hunt for an edit that was never made.
            parts.append(f"the data of {studies(c.changed, 'of')} do not match the fingerprint recorded with the "
                         "judgements: their data changed, or the code was mistyped")
        return f"not rated ({'; '.join(parts)})"
    if c.status == "no_evidence" and c.judged:
        return f"not rated ({STATUSES[c.status]}; judged on {studies(c.judged)})"
    return f"not rated ({STATUSES[c.status]})"


def _downgrades_text(c: Certainty) -> str:
    """"rated down for A and B", "rated down two levels for C", or both joined."""
    ones = [DOMAIN_TEXT[d] for d in c.rated_down_for if c.downgrades[d] == 1]
    twos = [DOMAIN_TEXT[d] for d in c.rated_down_for if c.downgrades[d] >= 2]
    if ones and twos:
        return f"rated down for {join_and(ones)}, and two levels for {join_and(twos)}"
    return f"rated down for {join_and(ones)}" if ones else f"rated down two levels for {join_and(twos)}"


def join_and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``; ``a, x; and b`` where an item holds a comma
    (:func:`metareview.fmt.join_list`)."""
    return join_list(items, "and")
