"""Indirect comparison of two treatments through a common comparator (Bucher et al. 1997).

For treatments A and B each compared with the same comparator C,

.. math::
    \\hat d_{AB} = \\hat d_{AC} - \\hat d_{BC}, \\qquad
    \\operatorname{Var}(\\hat d_{AB}) = \\operatorname{Var}(\\hat d_{AC}) + \\operatorname{Var}(\\hat d_{BC})

(Bucher HC, Guyatt GH, Griffith LE, Walter SD. J Clin Epidemiol 1997;50:683-691). It
keeps randomisation only when C is the *same* treatment in both sets of trials. A
comparator the source does not name is never the same as another: without a named common
comparator there is no anchored comparison, and the module says so. It can then show the
naive difference of the two effects, labelled as unanchored (it assumes the unnamed
controls are interchangeable, which nothing in the data supports).

Risk and odds ratios are compared on the log scale, where the Bucher difference is the log
of the ratio of ratios, :math:`\\ln RR_{AB} = \\ln RR_{AC} - \\ln RR_{BC}`; results of
such comparisons also carry the exponentiated numbers (``estimate_exp``, ``ci_lb_exp``,
``ci_ub_exp``) for display.

A multi-arm trial of A, B and C would be in both sides' estimates through its one C arm:
Bucher's variance, the sum of the two sides' as for independent trials, would count that
arm twice, and the trial's own comparison of A and B, direct evidence already, again as
indirect. Such a trial is used as direct evidence only, and the comparison through C is
made from the other trials, which keeps Bucher's two sides independent: each side is
refitted without it, with the estimator, test and level its analysis used, or is the one
trial left; a side with no other trial against C anchors nothing through C.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from statistics import NormalDist
from typing import Any

from metareview.arguments import alpha_from_level
from metareview.fmt import in_brackets, in_sentence, join_list, no_comparator_words, with_each
from metareview.normalise import UNNAMED

#: Measures compared on the log scale (the analyses' results hold log ratios).
RATIO_MEASURES = ("RR", "OR")


def _with_exp(entry: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """``entry`` plus ``<key>_exp = exp(<key>)`` for each of ``keys``."""
    return {**entry, **{f"{k}_exp": math.exp(entry[k]) for k in keys}}


def bucher(d_ac: float, v_ac: float, d_bc: float, v_bc: float, level: float = 95.0) -> dict[str, float]:
    """Bucher's adjusted indirect comparison of A vs B from A vs C and B vs C.

    Parameters
    ----------
    d_ac, v_ac
        Effect of A relative to C and its variance.
    d_bc, v_bc
        Effect of B relative to C and its variance.
    level
        Confidence level in percent (or as metafor reads a level: 0.95 and 0.05 also ask
        for a 95% interval; :func:`metareview.arguments.alpha_from_level`).

    Returns
    -------
    dict
        ``estimate`` (A minus B), ``se``, ``ci_lb``, ``ci_ub``, ``zval``, ``pval``.

    Raises
    ------
    ValueError
        A variance is negative, or both are 0, or ``level`` is not a confidence level.
    """
    alpha = alpha_from_level(level)
    if v_ac < 0 or v_bc < 0:
        raise ValueError("variances must be non-negative")
    if v_ac + v_bc == 0:
        # No test or interval exists without a variance: a z of ±inf (and p = 0, even for
        # an estimate of 0) would be printed as a certain difference.
        raise ValueError("the two variances are both 0: the indirect comparison has no standard error")
    est = d_ac - d_bc
    se = math.sqrt(v_ac + v_bc)
    z = NormalDist().inv_cdf(1.0 - alpha / 2.0)
    zval = est / se
    # 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2), without the cancellation that rounds
    # 1 - Phi(|z|) to 0 beyond |z| of about 8.3.
    pval = math.erfc(abs(zval) / math.sqrt(2))
    return {"estimate": est, "se": se, "ci_lb": est - z * se, "ci_ub": est + z * se, "zval": zval, "pval": pval}


def _pooled_variance(pooled: Mapping[str, Any]) -> tuple[float, bool]:
    """The variance a pooled estimate brings to a Bucher comparison: that of its own
    interval, and whether it was read from the interval.

    Bucher's interval is normal-based, ``d ± z · SE``. A random-effects estimate whose
    interval is Hartung-Knapp-Sidik-Jonkman (t on k − 1 degrees of freedom) is wider than
    ``z · SE``: with two studies, ``t(1) = 12.71`` against ``z = 1.96``. Entering the bare SE
    would give an indirect interval narrower than the interval of the very estimate it
    is built from. The SE is therefore read back from the interval, as the Cochrane
    Handbook (section 6.3.1) obtains one from a reported interval,

    .. math::
        SE = (\\text{ci\\_ub} - \\text{ci\\_lb}) / (2 z_{1 - \\alpha/2}),

    which equals the model SE for a normal-based (Wald) interval and keeps the t-based
    width otherwise. Without bounds the model SE is used (and the second item is False,
    so that the audit trail does not say the variance came from an interval).
    """
    lb, ub, level = pooled.get("ci_lb"), pooled.get("ci_ub"), pooled.get("level")
    if lb is None or ub is None:
        return float(pooled["se"]) ** 2, False
    z = NormalDist().inv_cdf(0.5 + float(level if level is not None else 95.0) / 200.0)
    return ((float(ub) - float(lb)) / (2.0 * z)) ** 2, True


def _effects_of(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Summary effects an analysis result offers: its pooled estimate, or each study's."""
    a = result["analysis"]
    if result["status"] == "pooled" and result["pooled"]:
        p = result["pooled"]
        variance, from_interval = _pooled_variance(p)
        return [{"analysis": a["id"], "intervention": a["intervention"], "comparator": a["comparator"],
                 "estimate": p["estimate"], "variance": variance,
                 **({"variance_from": "interval"} if from_interval else {}),
                 "k": p["k"], "what": f"pooled estimate of {p['k']} studies",
                 "studies": [s["label"] for s in result["studies"]],
                 "study_ids": [s.get("study_id", s["label"]) for s in result["studies"]],
                 "arm_treatments": _arm_treatments(result["studies"]),
                 # What a refit without a shared trial needs (_without): each study's
                 # effect, and the model the analysis fitted.
                 "members": list(result["studies"]), "fit": p}]
    return [{"analysis": a["id"], "intervention": a["intervention"], "comparator": a["comparator"],
             "estimate": s["yi"], "variance": s["vi"], "k": 1, "what": s["label"], "studies": [s["label"]],
             "study_ids": [s.get("study_id", s["label"])], "arm_treatments": _arm_treatments([s])}
            for s in result["studies"]]


def _arm_treatments(studies: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Each study's arms' raw treatments by side (:func:`metareview.extract.arm_treatments`),
    by study id; None for a study whose result does not record them."""
    return {s.get("study_id", s["label"]): s.get("arm_treatments") for s in studies}


def comparator_treatments(effect: Mapping[str, Any], treatment: str) -> list[dict[str, Any]] | None:
    """The raw treatments the trials of ``effect`` gave on the side opposite ``treatment``
    (its controls, when ``treatment`` is one side of an indirect comparison), each with the
    ids of the trials that gave it: ``[{"treatment", "label", "study_ids"}]``, by code.

    A node ("sham, minimal needling or placebo TENS") groups treatments; Bucher's method
    assumes the common comparator is the *same* treatment on both sides (transitivity:
    Salanti 2012, Res Synth Methods 3:80-97; Cochrane Handbook chapter 11), which only the
    treatments themselves can show. None when a trial's result does not record its arms'
    treatments (an analysis written before they were recorded): a list of some trials'
    controls would read as all of them.
    """
    role = "comparator" if effect["intervention"] == treatment else "intervention"
    recorded = effect.get("arm_treatments") or {}
    found: dict[str, dict[str, Any]] = {}
    for study in effect["study_ids"]:
        arms = recorded.get(study)
        if not arms or not arms.get(role):
            return None
        for t in arms[role]:
            entry = found.setdefault(t["treatment"], {"treatment": t["treatment"], "label": t["label"], "study_ids": []})
            if study not in entry["study_ids"]:
                entry["study_ids"].append(study)
    return [found[code] for code in sorted(found)]


def _side(estimate: float, effect: Mapping[str, Any], treatment: str) -> dict[str, Any]:
    """One side of an anchored comparison of ``treatment``: its effect, variance, source
    (``what``, a label for reading), the ids of the studies it comes from (``study_ids``,
    for tracing), the raw treatments of their controls (``comparator_treatments``,
    :func:`comparator_treatments`, where recorded) and, for a pooled estimate whose
    variance was read from its interval, that it was."""
    side = {"estimate": estimate, "variance": effect["variance"], "what": effect["what"],
            "study_ids": list(effect["study_ids"])}
    controls = comparator_treatments(effect, treatment)
    if controls is not None:
        side["comparator_treatments"] = controls
    if effect.get("variance_from"):
        side["variance_from"] = effect["variance_from"]
    for key in ("left_out", "left_out_ids", "refit"):
        if effect.get(key):
            side[key] = effect[key]
    return side


def _equal_effects_side(effect: Mapping[str, Any], treatment: str) -> dict[str, float] | None:
    """A pooled side's equal-effects estimate and variance, as ``treatment`` against the
    comparator (turned round as :func:`_oriented` turns the side), where its analysis
    gives one beside an interval on t with 1 degree of freedom
    (:func:`metareview.analysis.equal_effects_fit`); else None.

    Such a side brings the width of t(1) = 12.71 into the indirect interval, which is then
    too wide to inform whatever the trials show; the comparison from the sides'
    equal-effects estimates is the sensitivity analysis the pooled analysis has, never
    the result.
    """
    ee = (effect.get("fit") or {}).get("equal_effects") or {}
    if ee.get("estimate") is None or ee.get("se") is None:
        return None
    sign = 1.0 if effect["intervention"] == treatment else -1.0
    return {"estimate": sign * float(ee["estimate"]), "variance": float(ee["se"]) ** 2}


def _refit(effect: Mapping[str, Any], kept: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The pooled estimate of ``effect``'s analysis refitted on the studies ``kept``, with
    the estimator, test, level and τ² search the analysis used (its ``pooled`` record),
    as :func:`metareview.analysis.pool_analysis` fits it (metafor's ``rma.uni``).

    The variance it brings to Bucher's sum is read from its interval
    (:func:`_pooled_variance`), as for the analysis's own estimate. The record also
    holds the Q-profile interval of τ², searched up to the analysis's ``tau2_max``
    (metafor's ``control = list(tau2.max = ...)``; null: metafor's default), as the
    analysis's own record does: what an auditor needs to check the refit in metafor.
    """
    # Imported here: numpy and the model code cost the indirect job more than all its own
    # work, and only a side refitted without a shared trial needs them.
    from metareview.pool import rma

    fit = effect["fit"]
    method, test = fit.get("method") or "REML", fit.get("test") or "z"
    level = float(fit.get("level") if fit.get("level") is not None else 95.0)
    tau2_max = fit.get("tau2_max")
    yi, vi = [float(s["yi"]) for s in kept], [float(s["vi"]) for s in kept]
    res = rma(yi, vi, method=method, test=test, level=level,
              control=None if tau2_max is None else {"tau2_max": tau2_max})
    d = res.to_dict(confint=True)
    variance, from_interval = _pooled_variance({"se": d["se"], "ci_lb": d["ci_lb"], "ci_ub": d["ci_ub"],
                                                "level": level})
    # Two studies left on t with 1 degree of freedom: the equal-effects fit beside it, as
    # the analysis gives one, for the comparison's sensitivity line (_equal_effects_side).
    from metareview.analysis import equal_effects_fit

    ee = equal_effects_fit(yi, vi, res)
    equal = None if ee is None else {"estimate": float(ee["estimate"]), "se": float(ee["se"])}
    return {"estimate": float(d["estimate"]), "variance": variance, "from_interval": from_interval,
            "equal_effects": equal,
            "refit": {"method": method, "test": test, "level": level, "k": len(kept),
                      "estimate": float(d["estimate"]), "se": float(d["se"]), "ci_lb": float(d["ci_lb"]),
                      "ci_ub": float(d["ci_ub"]), "tau2": float(d["tau2"]), "tau2_max": tau2_max,
                      "tau2_ci_lb": d.get("tau2_ci_lb"), "tau2_ci_ub": d.get("tau2_ci_ub"),
                      "tau2_ci_lb_sign": d.get("ci_lb_sign", ""), "tau2_ci_ub_sign": d.get("ci_ub_sign", "")}}


def _without(effect: Mapping[str, Any], shared: set[str], min_studies: int) -> list[dict[str, Any]]:
    """The estimates ``effect`` leaves once the trials ``shared`` (by study id) are left out.

    A multi-arm trial of A, B and C is in both sides' estimates against C through its one C
    arm; left out, the other trials still compare each treatment with C. A single study's
    effect that is the shared trial leaves nothing. A pooled estimate leaves: nothing, when
    it pooled only shared trials; the one other study's effect; the model refitted on the
    others (:func:`_refit`) when they are at least ``min_studies`` (the analysis's pooling
    threshold, ``methods.min_studies``); else each other study's effect, unpooled, as the
    analysis itself would have left them.
    """
    if not shared & set(effect["study_ids"]):
        return [dict(effect)]
    if "members" not in effect:
        return []
    gone = [s for s in effect["members"] if s.get("study_id", s["label"]) in shared]
    kept = [s for s in effect["members"] if s.get("study_id", s["label"]) not in shared]
    if not kept:
        return []
    who = " and ".join(s["label"] for s in gone)
    base = {"analysis": effect["analysis"], "intervention": effect["intervention"],
            "comparator": effect["comparator"], "left_out": [s["label"] for s in gone],
            "left_out_ids": [s.get("study_id", s["label"]) for s in gone]}
    singles = [{**base, "estimate": s["yi"], "variance": s["vi"], "k": 1,
                "what": f"{s['label']}, the one trial besides {who}" if len(kept) == 1 else s["label"],
                "studies": [s["label"]], "study_ids": [s.get("study_id", s["label"])],
                "arm_treatments": _arm_treatments([s])} for s in kept]
    if len(kept) == 1 or len(kept) < min_studies:
        return singles
    fitted = _refit(effect, kept)
    return [{**base, "estimate": fitted["estimate"], "variance": fitted["variance"],
             **({"variance_from": "interval"} if fitted["from_interval"] else {}),
             "k": len(kept), "what": f"pooled estimate of {len(kept)} studies besides {who}",
             "studies": [s["label"] for s in kept], "study_ids": [s.get("study_id", s["label"]) for s in kept],
             "arm_treatments": _arm_treatments(kept), "refit": fitted["refit"],
             # read by _equal_effects_side, as an analysis's own record is
             **({"fit": {"equal_effects": fitted["equal_effects"]}} if fitted["equal_effects"] else {})}]


def _oriented(effect: Mapping[str, Any], treatment: str) -> tuple[str, float] | None:
    """(comparator, effect of ``treatment`` vs that comparator) or None."""
    if effect["intervention"] == treatment:
        return effect["comparator"], effect["estimate"]
    if effect["comparator"] == treatment:
        return effect["intervention"], -effect["estimate"]
    return None


def _comparators(effects: Sequence[Mapping[str, Any]], treatment: str, other: str) -> list[str]:
    """Nodes ``treatment`` is compared with in ``effects``, besides ``other``."""
    return sorted({o[0] for e in effects if (o := _oriented(e, treatment)) and o[0] != other})


def _other_measures(results: Sequence[Mapping[str, Any]], measure: str, a: str, b: str) -> list[dict[str, Any]]:
    """What the analyses on measures other than ``measure`` offer each side.

    Effects on different measures (an MD and an SMD, a risk ratio and an odds ratio)
    cannot be combined, so they never enter the comparison; but a treatment compared
    with a named comparator only on another measure is not "compared with nothing", and
    a comparator both share on another measure would anchor a comparison on that one.
    """
    out = []
    for m in sorted({r["analysis"]["measure"] for r in results} - {measure}):
        effects = [e for r in results if r["analysis"]["measure"] == m for e in _effects_of(r)]
        comps_a, comps_b = _comparators(effects, a, b), _comparators(effects, b, a)
        head_to_head = _head_to_head(effects, a, b)
        if comps_a or comps_b or head_to_head:
            common = sorted((set(comps_a) & set(comps_b)) - {UNNAMED})
            out.append({"measure": m, "comparators_a": comps_a, "comparators_b": comps_b, "common": common,
                        "head_to_head": head_to_head})
    return out


def _head_to_head(effects: Sequence[Mapping[str, Any]], a: str, b: str) -> bool:
    """Whether any of ``effects`` compares ``a`` and ``b`` directly."""
    return any({e["intervention"], e["comparator"]} == {a, b} for e in effects)


def _sides(la: str, comparators_a: Sequence[str], lb: str, comparators_b: Sequence[str],
           labels: Mapping[str, str], head_to_head: bool = False, names: Collection[str] = (),
           undefined: Collection[str] = ()) -> str:
    """"A is compared with x and y; B is compared with no third treatment in a usable trial".

    Comparators are named in lower case mid-sentence and joined as prose
    (:func:`~metareview.fmt.with_each`: "with" before each where a label holds a comma, as
    "sham, minimal needling or placebo TENS" does); the two sides are then two sentences,
    so that no list reads as more treatments than it names. Where the two are compared
    head to head, a side without a third treatment is compared "only with" the other, not
    "with nothing"; nor "with no treatment besides" it, which reads as a comparison with a
    no-treatment control, a node most reviews of treatments have. A side named in
    ``undefined`` (a treatment the review defines no such analysis of against a third one)
    "is in none": "compared with no third treatment in a usable trial" would say that the
    review looked for such trials.
    """
    sides, commas = [], False
    for name, comps, other in ((la, comparators_a, lb), (lb, comparators_b, la)):
        shown = sorted((in_sentence(labels.get(c, c), names) for c in comps), key=str.casefold)
        commas = commas or any("," in x for x in shown)
        sides.append((name, shown, other))
    if sides[0][1] == sides[1][1] and (sides[0][1] or not (head_to_head or {la, lb} & set(undefined))):
        # The same comparators on both sides, said once: "dry needling is compared with an
        # unnamed control; acupuncture is compared with an unnamed control" read as a slip.
        return (f"{in_sentence(la, names)} and {in_sentence(lb, names)} are each compared with "
                + (with_each(sides[0][1]) if sides[0][1] else "no third treatment in a usable trial"))
    # The first side follows the sentence's opening ("In the SMD analyses of ..., "), as
    # does the second after a semicolon: only after a full stop does a name start one.
    said = [f"{name if i and commas else in_sentence(name, names)} is compared "
            + (f"with {with_each(shown)}" if shown
               # Not "with nothing in the data": trials may compare it with a third treatment
               # and be set aside (Rajfur 2022 and 2024, dry needling against sham).
               else f"only with {in_sentence(other, names)}" if head_to_head
               else "with no third treatment in a usable trial")
            if shown or head_to_head or name not in undefined
            else f"{name if i and commas else in_sentence(name, names)} is in none against a third treatment"
            for i, (name, shown, other) in enumerate(sides)]
    return (". " if commas else "; ").join(said)


def _other_measure_sentence(other: Mapping[str, Any], la: str, lb: str, labels: Mapping[str, str],
                            measure: str, names: Collection[str] = (), undefined: Collection[str] = ()) -> str:
    """The sentence on one other measure's analyses, which never enter the comparison
    (``undefined``: the labels of the treatments in none of them against a third one)."""
    m = other["measure"]
    if other["common"]:
        shared = with_each(sorted((in_sentence(labels.get(c, c), names) for c in other["common"]), key=str.casefold))
        return (f" In the {m} analyses both are compared with {shared}, so an indirect comparison on "
                f"{m} would be anchored; {m} effects are not combined with {measure} ones.")
    sides = _sides(la, other["comparators_a"], lb, other["comparators_b"], labels, other.get("head_to_head", False),
                   names=names, undefined=undefined)
    return f" In the {m} analyses, which are not combined with {measure} ones, {sides}."


def _why_not_anchored(la: str, comparators_a: Sequence[str], lb: str, comparators_b: Sequence[str], names: Collection[str] = (),
                      undefined: Collection[str] = (), measure: str = "", untried: Collection[str] = ()) -> str:
    """Why no anchored comparison exists, as the data show it (the sentence after the sides).

    A treatment with no trial against a third one leaves nothing to anchor on; otherwise
    the two sides share no named comparator, and unnamed controls never count as one. A
    treatment in ``undefined`` is in no analysis on ``measure`` against a third treatment:
    the review's choice, not the trials', and said so. One in ``untried`` too is in such
    an analysis on another measure, without a usable trial on any: that is the reason
    given first, as the summary gives it, for no choice of measure would anchor on it.
    """
    missing = [name for name, comps in ((la, comparators_a), (lb, comparators_b)) if not comps]
    nowhere = [name for name in missing if name in undefined and name in untried]
    unasked = [name for name in missing if name in undefined and name not in untried]
    missing = [name for name in missing if name not in undefined]
    la, lb = in_sentence(la, names), in_sentence(lb, names)
    if nowhere:
        who = " and ".join([nowhere[0], *(in_sentence(x, names) for x in nowhere[1:])])
        rest = "".join([
            f", and the review defines no {measure} analysis of {' or of '.join(in_sentence(x, names) for x in unasked)} "
            "against a third treatment there" if unasked else "",
            f", and {in_sentence(missing[0], names)} has no usable trial against a third treatment in the {measure} "
            "analyses" if missing else ""])
        return (f"{who} {'has' if len(nowhere) == 1 else 'have'} no usable trial against a third treatment in the "
                f"review's analyses of this outcome and window, on any measure{rest}, so there is nothing to anchor "
                f"an indirect comparison of {la} and {lb} on.")
    if unasked:
        who = " or of ".join(in_sentence(x, names) for x in unasked)
        rest = (f", and {in_sentence(missing[0], names)} has no usable trial against a third treatment in these "
                "analyses" if missing else "")
        return (f"The review defines no {measure} analysis of {who} against a third treatment on this outcome and "
                f"window{rest}, so there is nothing to anchor an indirect comparison of "
                f"{la} and {lb} on.")
    if missing:
        # The sides, just before, say that it is compared with no third treatment in a
        # usable trial: said again here, it was the same fact twice in three sentences.
        such = "such a trial" if len(missing) == 1 else "such trials"
        return f"Without {such}, there is nothing to anchor an indirect comparison of {la} and {lb} on."
    unnamed = UNNAMED in comparators_a or UNNAMED in comparators_b
    return ("The two share no named comparator"
            + (", and comparators the sources do not name cannot be assumed to be the same treatment"
               if unnamed else "")
            + f", so no anchored indirect comparison of {la} and {lb} exists.")


def _unresolved_sentence(unresolved: Sequence[Mapping[str, Any]], la: str, lb: str, names: Collection[str] = ()) -> str:
    """" Both are compared with Sham, but Acupuncture has 2 estimates against it that no
    analysis pooled into one: ..." for each common comparator with more than one estimate
    on a side, or ""."""
    said = []
    for u in unresolved:
        many = [f"{in_sentence(name, names)} has {n} estimates against it"
                for name, n in ((la, u["estimates_a"]), (lb, u["estimates_b"])) if n > 1]
        said.append(f" Both are compared with {in_sentence(u['comparator_label'], names)}, but {' and '.join(many)} that no analysis "
                    "pooled into one (fewer studies than the pooling threshold, or more than one analysis of that "
                    "comparison): Bucher’s method takes one estimate per side, and choosing one would set the "
                    "others aside, so no comparison is made through it.")
    return "".join(said)


def _three_arm_clause(studies: Sequence[str], la: str, lb: str, c: str, names: Collection[str] = ()) -> str:
    """"Silva et al. (2025) compares Dry needling, Acupuncture and Sham in one trial and is
    in the estimates of both sides", or the same of several such trials."""
    one = len(studies) == 1
    la, lb, c = in_sentence(la, names), in_sentence(lb, names), in_sentence(c, names)
    return (f"{' and '.join(studies)} {'compares' if one else 'compare'} {la}, {lb} and {c} "
            f"{'in one trial' if one else 'each in one trial'} and {'is' if one else 'are'} in the estimates of "
            "both sides")


def _why_left_out(studies: Sequence[str], la: str, lb: str, c: str, names: Collection[str] = ()) -> str:
    """Why a trial of all three is left out of both sides: the reason Bucher's sum of
    variances cannot take it, and where it counts instead."""
    one = len(studies) == 1
    la, lb, c = in_sentence(la, names), in_sentence(lb, names), in_sentence(c, names)
    return (f"{'Its' if one else 'Their'} {c} arm{'' if one else 's'} would enter both, which the Bucher method takes "
            f"as independent, so {'that arm' if one else 'those arms'} would count twice, and "
            f"{'its' if one else 'their'} own comparison{'' if one else 's'} of {la} and {lb}, direct evidence "
            "already, would count again as indirect")


def _what_is_left(name: str, c: str, effect: Mapping[str, Any]) -> str:
    """"Dry needling vs Sham is the pooled estimate of the other 2 studies, refitted with the
    analysis's model (REML, knha test, 95% level)", "... is Okafor et al., the one trial
    left" (of a pooled estimate), or "... is Okafor et al., its one other estimate" (of
    several unpooled ones)."""
    if effect.get("refit"):
        r = effect["refit"]
        return (f"{name} vs {c} is the pooled estimate of the other {r['k']} studies, refitted with the analysis’s "
                f"model ({r['method']}, {r['test']} test, {r['level']:g}% level)")
    if effect.get("left_out"):
        return f"{name} vs {c} is {effect['studies'][0]}, the one trial left"
    return f"{name} vs {c} is {effect['studies'][0]}, its one other estimate"


def _refit_sentence(comparator_label: str, shared: Sequence[str], e_ac: Mapping[str, Any],
                    e_bc: Mapping[str, Any], la: str, lb: str, names: Collection[str] = ()) -> str:
    """The sentence on a comparison made through C once the trials of all three were left
    out of both sides: which trials, why, and what each side is without them."""
    c = comparator_label
    one = len(shared) == 1
    return (f"Through {in_sentence(c, names)}, {_three_arm_clause(shared, la, lb, c, names=names)}. {_why_left_out(shared, la, lb, c, names=names)}. "
            f"{'It is' if one else 'They are'} therefore left out of both sides and {'counts' if one else 'count'} "
            f"as direct evidence only: {_what_is_left(la, c, e_ac)}, and {_what_is_left(lb, c, e_bc)}.")


def _shared_sentence(overlapping: Sequence[Mapping[str, Any]], la: str, lb: str, names: Collection[str] = ()) -> str:
    """" Both are compared with Sham, but Silva et al. (2025) compares Dry needling,
    Acupuncture and Sham in one trial: ..." for each common comparator whose two sides
    share a trial and, without it, leave a side with no single estimate, or ""."""
    said = []
    for o in overlapping:
        c = in_sentence(o["comparator_label"], names)
        one = len(o["studies"]) == 1
        short = []
        for name, n in ((in_sentence(la, names), o.get("left_a", 0)), (in_sentence(lb, names), o.get("left_b", 0))):
            if n == 0:
                short.append(f"{name} with no other trial against {c}")
            elif n > 1:
                short.append(f"{name} with {n} estimates against {c} that no analysis pooled into one (fewer "
                             "studies than the pooling threshold, or more than one analysis of that comparison)")
        said.append(f" Both are compared with {c}, but {_three_arm_clause(o['studies'], la, lb, c, names=names)}. "
                    f"{_why_left_out(o['studies'], la, lb, c, names=names)}. Left out of both sides, {'it leaves' if one else 'they leave'} "
                    f"{' and '.join(short)}, so no comparison is made through {c}; such a trial counts as direct "
                    "evidence only.")
    return "".join(said)


def indirect_comparison(spec: Mapping[str, Any], results: Sequence[Mapping[str, Any]], *,
                        labels: Mapping[str, str], level: float = 95.0, min_studies: int = 2,
                        names: Collection[str] = ()) -> dict[str, Any]:
    """Compare ``treatment_a`` with ``treatment_b`` from the analyses' results.

    Parameters
    ----------
    spec
        One entry of the config's ``indirect``: ``id``, ``treatment_a``, ``treatment_b``,
        ``outcome``, ``window``, ``measure``, ``show_unanchored``.
    results
        Results of the analyses on that outcome and window (from
        :func:`metareview.analysis.pool_analysis`). Only those on ``measure`` enter the
        comparison; the others are described (``other_measures``).
    labels
        Display labels of nodes, outcomes and windows.
    level
        Confidence level of the indirect intervals, in percent (``methods.level``).
    min_studies
        The analyses' pooling threshold (``methods.min_studies``): a side refitted without
        a trial of all three is pooled only from at least this many other studies.
    names
        Labels the review marks as proper names (:func:`metareview.fmt.proper_names`),
        written as they are mid-sentence ("Pilates", not "pilates").

    Returns
    -------
    dict
        ``status``: ``anchored`` (one comparison per named common comparator),
        ``no_single_estimate`` (a named common comparator, but more than one unpooled
        estimate against it on a side, ``unresolved``), ``shared_trial`` (a named common
        comparator, but a multi-arm trial in both sides' estimates that, left out, leaves
        a side with no single estimate against it, ``shared``, with ``left_a`` and
        ``left_b`` the estimates each side has left), or
        ``no_common_comparator``; ``left_out`` (the common comparators no comparison is
        made through, and why, or ""); ``finding`` (what was found, naming the comparison and
        its outcome), ``detail`` (the same without them: the comparators each side has and
        why none anchors a comparison), ``comparators_a`` and ``comparators_b`` (the nodes
        each treatment is compared with, besides the other), ``other_measures`` (for each
        other measure with usable effects: ``measure``, ``comparators_a``, ``comparators_b``
        and the named comparators ``common`` to both), ``anchored`` list (each side,
        ``a_vs_c`` and ``b_vs_c``, with its ``study_ids`` and, where the analyses record
        their arms' treatments, ``comparator_treatments`` (the raw treatments of its trials'
        controls, each with its ``study_ids``), and the entry's ``controls_differ`` (whether
        the two sides' controls are not the same treatments, so that the comparison
        assumes they have the same effect); where a trial of all three was
        left out of both sides, the entry's ``shared`` and ``shared_study_ids`` name it and
        its ``note`` says why and what each side is without it, and each side carries
        ``left_out`` and ``left_out_ids`` and, when refitted, ``refit``: the model's
        ``method``, ``test``, ``level``, ``k`` and numbers), ``unanchored`` list (naive
        contrasts, when asked for, with ``a_study_ids`` and ``b_study_ids``) and ``direct`` (analyses
        comparing A and B head to head, with their status).
    """
    a, b = spec["treatment_a"], spec["treatment_b"]
    la, lb = labels.get(a, a), labels.get(b, b)
    # Analyses of the outcome and window on any measure: only those on the comparison's
    # measure can be combined, the others say what a reader would otherwise miss.
    same_place = [r for r in results if r["analysis"]["outcome"] == spec["outcome"]
                  and r["analysis"]["window"] == spec["window"]]
    relevant = [r for r in same_place if r["analysis"]["measure"] == spec["measure"]]
    # Head-to-head analyses on any measure: an MD analysis of trials comparing A and B
    # directly is direct evidence whatever the measure the indirect comparison uses.
    direct = [{"analysis": r["analysis"]["id"], "measure": r["analysis"]["measure"], "status": r["status"],
               "k": r.get("k", 0)}
              for r in same_place if {r["analysis"]["intervention"], r["analysis"]["comparator"]} == {a, b}]
    effects = [e for r in relevant for e in _effects_of(r)]
    side_a = [(c, d, e) for e in effects if (o := _oriented(e, a)) and (c := o[0]) != b for d in [o[1]]]
    side_b = [(c, d, e) for e in effects if (o := _oriented(e, b)) and (c := o[0]) != a for d in [o[1]]]

    anchored: list[dict[str, Any]] = []
    named_a = {c for c, _, _ in side_a if c != UNNAMED}
    named_b = {c for c, _, _ in side_b if c != UNNAMED}
    unresolved = []
    overlapping: list[dict[str, Any]] = []
    for common in sorted(named_a & named_b):
        ea = [e for c, _, e in side_a if c == common and e["k"] >= 1]
        eb = [e for c, _, e in side_b if c == common and e["k"] >= 1]
        # Matched by study id: two studies may share a label ("Smith et al. (2020)").
        both = {i for e in ea for i in e["study_ids"]} & {i for e in eb for i in e["study_ids"]}
        trial_labels = {i: lab for e in (*ea, *eb) for i, lab in zip(e["study_ids"], e["studies"])}
        shared = sorted({trial_labels[i] for i in both})
        if both:
            # A multi-arm trial of A, B and C enters both sides through its one C arm.
            # Bucher's variance is the sum of the two sides', as for independent trials:
            # the shared arm's participants would count twice, and the trial's own A-vs-B
            # comparison, direct evidence already, would be counted again as indirect. It is
            # left out of both sides, which keep their other trials against C (refitted
            # without it, or the one trial left); a side with none anchors nothing.
            ea = [r for e in ea for r in _without(e, both, min_studies)]
            eb = [r for e in eb for r in _without(e, both, min_studies)]
            if len(ea) != 1 or len(eb) != 1:
                overlapping.append({"comparator": common, "comparator_label": labels.get(common, common),
                                    "studies": shared, "left_a": len(ea), "left_b": len(eb)})
                continue
        elif len(ea) != 1 or len(eb) != 1:
            # Several estimates on a side: studies an analysis did not pool (fewer than
            # methods.min_studies), or two analyses of one comparison. Bucher's method takes
            # one per side, and taking the first would set the others aside unseen.
            unresolved.append({"comparator": common, "comparator_label": labels.get(common, common),
                               "estimates_a": len(ea), "estimates_b": len(eb)})
            continue
        # The pooled estimate when there is one, else the single study.
        (e_ac,), (e_bc,) = ea, eb
        ac, bc = _oriented(e_ac, a), _oriented(e_bc, b)
        # side_a and side_b hold only effects that compare a, or b, with a comparator
        # (a refit by _without keeps its effect's arms)
        assert ac is not None and bc is not None
        d_ac, d_bc = ac[1], bc[1]
        res = bucher(d_ac, e_ac["variance"], d_bc, e_bc["variance"], level)
        entry: dict[str, Any] = {"comparator": common, "comparator_label": labels.get(common, common),
                 "a_vs_c": _side(d_ac, e_ac, a), "b_vs_c": _side(d_bc, e_bc, b), **res}
        alt_a, alt_b = _equal_effects_side(e_ac, a), _equal_effects_side(e_bc, b)
        if alt_a or alt_b:
            sa = alt_a or {"estimate": d_ac, "variance": e_ac["variance"]}
            sb = alt_b or {"estimate": d_bc, "variance": e_bc["variance"]}
            entry["equal_effects"] = {
                **bucher(sa["estimate"], sa["variance"], sb["estimate"], sb["variance"], level),
                "a_vs_c": sa, "b_vs_c": sb, "sides": [k for k, alt in (("a_vs_c", alt_a), ("b_vs_c", alt_b)) if alt]}
        controls = [entry[k].get("comparator_treatments") for k in ("a_vs_c", "b_vs_c")]
        if None not in controls:
            # The node is common; whether its treatments are is what transitivity asks.
            entry["controls_differ"] = ({t["treatment"] for t in controls[0]}
                                        != {t["treatment"] for t in controls[1]})
        if shared:
            entry["shared"] = shared
            entry["shared_study_ids"] = sorted(both)
            entry["note"] = _refit_sentence(entry["comparator_label"], shared, e_ac, e_bc, la, lb, names=names)
        anchored.append(entry)

    unanchored = []
    if not anchored and spec.get("show_unanchored", False):
        for ca, d_a, e_a in side_a:
            for cb, d_b, e_b in side_b:
                if ca != cb or ca == UNNAMED:
                    res = bucher(d_a, e_a["variance"], d_b, e_b["variance"], level)
                    unanchored.append({
                        "a_source": e_a["what"], "a_comparator": labels.get(ca, ca), "a_estimate": d_a,
                        "a_study_ids": list(e_a["study_ids"]),
                        "b_source": e_b["what"], "b_comparator": labels.get(cb, cb), "b_estimate": d_b,
                        "b_study_ids": list(e_b["study_ids"]),
                        **res,
                    })

    if spec["measure"] in RATIO_MEASURES:
        anchored = [_with_exp(x, ("estimate", "ci_lb", "ci_ub")) for x in anchored]
        for x in anchored:
            if x.get("equal_effects"):
                x["equal_effects"] = _with_exp(x["equal_effects"], ("estimate", "ci_lb", "ci_ub"))
        unanchored = [_with_exp(u, ("a_estimate", "b_estimate", "estimate", "ci_lb", "ci_ub")) for u in unanchored]
    comparators_a, comparators_b = _comparators(effects, a, b), _comparators(effects, b, a)
    # A treatment the review defines no analysis of against a third one on a measure:
    # "no usable trial" would blame the trials for the review's own choice.
    def unasked_on(measure: str) -> list[str]:
        return [labels.get(t, t) for t in (a, b) if not any(
            t in (r["analysis"]["intervention"], r["analysis"]["comparator"])
            and {r["analysis"]["intervention"], r["analysis"]["comparator"]} != {a, b}
            for r in same_place if r["analysis"]["measure"] == measure)]

    unasked = unasked_on(spec["measure"])
    other_measures = _other_measures(same_place, spec["measure"], a, b)
    # The outcome in every finding: the summary lists them side by side, beside the direct
    # analysis of the same two treatments, hence "indirect comparison" first.
    # The outcome's own brackets as commas (in_brackets): "(pain (vas))" nested them.
    outcome = in_brackets(in_sentence(labels.get(spec["outcome"], spec["outcome"])))
    what = f"Indirect comparison of {in_sentence(la, names)} and {in_sentence(lb, names)} ({outcome})"
    window = labels.get(spec["window"], spec["window"])
    # The window by its name: its weeks are the methods' (and the label's, where it gives them).
    scope = (f"In the {spec['measure']} analyses of "
             f"{in_sentence(labels.get(spec['outcome'], spec['outcome']))}, {in_sentence(window.split(' (')[0], names)}")
    sides = f"{scope}, {_sides(la, comparators_a, lb, comparators_b, labels, _head_to_head(effects, a, b), names=names, undefined=unasked)}."
    others = "".join(_other_measure_sentence(m, la, lb, labels, spec["measure"], names=names,
                                             undefined=unasked_on(m["measure"])) for m in other_measures)
    left_out = _unresolved_sentence(unresolved, la, lb, names=names) + _shared_sentence(overlapping, la, lb, names=names)
    if anchored:
        status = "anchored"
        # "through sham, minimal needling or placebo TENS, usual care" read as three.
        through = join_list([in_sentence(x["comparator_label"], names) for x in anchored])
        # Which trial of all three was left out of which side, and why, beside the result.
        notes = "".join(f" {x['note']}" for x in anchored if x.get("note"))
        detail = f"Indirect comparison through {through} (Bucher method).{notes}{left_out}"
        finding = f"{what}: through {through} (Bucher method).{notes}{_shared_sentence(overlapping, la, lb, names=names)}"
    elif overlapping:
        status = "shared_trial"
        detail = sides + left_out + others
        finding = f"{what}: a common comparator, but a trial of all three is on both sides. {detail}"
    elif unresolved:
        status = "no_single_estimate"
        detail = sides + _unresolved_sentence(unresolved, la, lb, names=names) + others
        finding = f"{what}: a common comparator, but no single estimate on each side. {detail}"
    else:
        status = "no_common_comparator"
        # A side the review analyses against a third treatment on another measure, with
        # no usable trial on any: "defines no SMD analysis of it" would put on the
        # review's choice of measure what no measure's trials give.
        asked_anywhere = {n for r in same_place
                          if {r["analysis"]["intervention"], r["analysis"]["comparator"]} != {a, b}
                          for n in (r["analysis"]["intervention"], r["analysis"]["comparator"])}
        untried = [labels.get(t, t) for t, key in ((a, "comparators_a"), (b, "comparators_b"))
                   if t in asked_anywhere and not any(o[key] for o in other_measures)]
        why = _why_not_anchored(la, comparators_a, lb, comparators_b, names=names, undefined=unasked,
                                measure=spec["measure"], untried=untried)
        # Neither treatment in an analysis against a third one: the sides would say "in
        # none" twice before the sentence that says why.
        detail = (why if len(unasked) == 2 and not _head_to_head(effects, a, b) else f"{sides} {why}") + others
        finding = f"{what}: {no_comparator_words(spec['measure'], other_measures)}. {detail}"
    return {"id": spec["id"], "treatment_a": a, "treatment_b": b, "treatment_a_label": la, "treatment_b_label": lb,
            "outcome": spec["outcome"], "window": spec["window"], "measure": spec["measure"],
            "scale": "log" if spec["measure"] in RATIO_MEASURES else "linear", "level": level,
            "status": status, "finding": finding, "detail": detail,
            "comparators_a": comparators_a, "comparators_b": comparators_b, "other_measures": other_measures,
            "anchored": anchored, "unresolved": unresolved, "shared": overlapping, "left_out": left_out.strip(),
            "unanchored": unanchored, "direct": direct}
