"""Turn one normalised study into at most one effect size per analysis.

An *analysis* is a contrast between two nodes (intervention vs comparator) on one
outcome, in one time window, with one effect measure (MD on the outcome's common scale,
or SMD). For each analysis a study can contribute to, this module

1. finds the study's arms in each node (one trial, one row per analysis: arms of the same
   node are combined, never counted twice);
2. collects every reported form that could give the measure in the window: arm-level
   means and SDs (final values or change scores) and reported between-group results (a
   mean difference with its CI, a Cohen's d with arm or total N);
3. picks the timepoint nearest the window's target among those with usable data (ties go
   to the earlier timepoint), preferring arm-level data to a reported contrast at the
   same timepoint (arm-level data show their own arithmetic);
4. computes ``yi``/``vi`` with :func:`metareview.effects.escalc`, recording each
   conversion and assumption.

Final values and change scores are kept apart (``options`` by value type): the pooling
step decides which one an analysis uses, since SMDs of final values and of change scores
must never be mixed. Every raw row the analysis looked at gets a reason when it is not
used.

Sign convention: ``yi < 0`` favours the intervention (lower is better on every scale).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from metareview.normalise import UNNAMED

#: Reported forms that can give a mean difference or SMD.
CONTINUOUS_MEASURES = ("MD", "SMD", "cohen_d")
#: Why a row measured at week 0 never gives an effect, whatever the window.
BASELINE_REASON = "baseline (week 0): measured before treatment, not an effect of it"


def combine_groups(n: Sequence[float], mean: Sequence[float], sd: Sequence[float]) -> tuple[float, float, float]:
    """Combine arms into one group (Cochrane Handbook 6.5.2.10, Table 6.5.a).

    .. math::
        N = N_1 + N_2,\\quad M = (N_1 M_1 + N_2 M_2)/N,\\quad
        SD = \\sqrt{\\frac{(N_1-1)SD_1^2 + (N_2-1)SD_2^2 + \\frac{N_1 N_2}{N}(M_1-M_2)^2}{N-1}}

    applied pairwise for more than two arms.
    """
    n_c, m_c, s_c = float(n[0]), float(mean[0]), float(sd[0])
    for n2, m2, s2 in zip(n[1:], mean[1:], sd[1:], strict=True):
        total = n_c + n2
        m_new = (n_c * m_c + n2 * m2) / total
        var = ((n_c - 1) * s_c**2 + (n2 - 1) * s2**2 + n_c * n2 / total * (m_c - m2) ** 2) / (total - 1)
        n_c, m_c, s_c = total, m_new, math.sqrt(var)
    return n_c, m_c, s_c


def _z(level: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 200.0)


def _effect_from_arms(measure: str, g1: Mapping[str, Any], g2: Mapping[str, Any]) -> tuple[float, float, list[str]]:
    from metareview.effects import escalc, hedges_j

    es = escalc(measure, m1i=[g1["mean"]], sd1i=[g1["sd"]], n1i=[g1["n"]],
                m2i=[g2["mean"]], sd2i=[g2["sd"]], n2i=[g2["n"]])
    yi, vi = float(es.yi[0]), float(es.vi[0])
    if measure == "SMD":
        m = g1["n"] + g2["n"] - 2
        steps = [f"Hedges' g from means and SDs: d = {yi / float(hedges_j(m)):.4f}, J = {float(hedges_j(m)):.4f} (df = {m:g}); vi = 1/n1 + 1/n2 + g^2/(2(n1+n2))"]
    else:
        steps = ["MD from means: vi = sd1^2/n1 + sd2^2/n2"]
    return yi, vi, steps


class _Candidate(dict):
    """A usable effect for one analysis from one form at one timepoint."""


def study_effects(normalised: Mapping[str, Any], analyses: Sequence[Mapping[str, Any]], *,
                  windows: Mapping[str, Mapping[str, Any]],
                  assume_equal_arms_from_total: bool = True,
                  impute_missing_sd: bool = False) -> dict[str, Any]:
    """Effect sizes of one study for every analysis it can contribute to.

    Parameters
    ----------
    normalised
        Output of :func:`metareview.normalise.normalise_study`.
    analyses
        The ``analyses`` section of the config (id, intervention, comparator, outcome,
        window, measure).
    windows
        The ``windows`` section of the config.
    assume_equal_arms_from_total
        Allow a contrast reported with only a total N to be split equally between arms
        (flagged as an assumption).
    impute_missing_sd
        When an arm-level mean has no SD, SE or CI, impute a common SD from the study's
        exact two-sided p-value for the same contrast (flagged wherever used). An SD from
        an SE or from a CI of the mean is a conversion, not an imputation, and is always
        done.

    Returns
    -------
    dict
        ``study_id``, ``label``, ``role``, ``analyses`` (per analysis id: ``options`` by
        value type, ``external`` evidence, ``narrative`` statements, ``considered`` row
        reasons) and ``rows`` (for each raw row ref, what became of it per analysis).
    """
    study = normalised["study"]
    role = study["role"]
    arms = {a["arm_id"]: a for a in normalised["arms"]}
    out: dict[str, Any] = {"study_id": study["study_id"], "label": study["label"], "role": role,
                           "design": study["design"], "source_level": study["source_level"],
                           "identity_confidence": study["identity_confidence"], "analyses": {}}
    row_notes: dict[str, list[dict[str, str]]] = {}

    def note(ref: str, analysis: str, use: str, reason: str) -> None:
        row_notes.setdefault(ref, []).append({"analysis": analysis, "use": use, "reason": reason})

    for analysis in analyses:
        aid = analysis["id"]
        i_node, c_node = analysis["intervention"], analysis["comparator"]
        outcome, window, measure = analysis["outcome"], analysis["window"], analysis["measure"]
        i_arms = [a for a in arms.values() if a["node"] == i_node]
        c_arms = [a for a in arms.values() if a["node"] == c_node]
        if not i_arms or not c_arms:
            continue
        # Add-on designs (X + C vs C) estimate X on top of C, not X against C: an analysis
        # may keep them ("any", the default), exclude them ("head_to_head") or keep only
        # them ("add_on").
        add_on = [a for a in i_arms if a.get("cointervention") not in (None, "none")
                  and any(c["treatment"] == a["cointervention"] for c in c_arms)]
        mode = analysis.get("designs", "any")
        dropped = add_on if mode == "head_to_head" else [a for a in i_arms if a not in add_on] if mode == "add_on" else []
        if dropped:
            why = ("add-on design (" + ", ".join(f"{a['treatment_label']} + {a['cointervention'].replace('_', ' ')}" for a in dropped)
                   + f" vs {c_arms[0]['treatment_label']}); this analysis compares treatments head to head"
                   if mode == "head_to_head" else "not an add-on design; this analysis takes add-on designs only")
            gone = {a["arm_id"] for a in dropped}
            for row in normalised["arm_values"]:
                if row["arm_id"] in gone and row["outcome"] == outcome:
                    note(row["ref"], aid, "excluded", why)
            for row in normalised["contrasts"]:
                if {row["arm1"], row["arm2"]} & gone and row["outcome"] == outcome:
                    note(row["ref"], aid, "excluded", why)
            i_arms = [a for a in i_arms if a not in dropped]
            if not i_arms:
                out["analyses"][aid] = {"options": {}, "external": [], "narrative": [], "flags": []}
                continue
        i_ids = {a["arm_id"] for a in i_arms}
        c_ids = {a["arm_id"] for a in c_arms}
        result: dict[str, Any] = {"options": {}, "external": [], "narrative": [], "flags": []}
        if i_node == UNNAMED or c_node == UNNAMED:
            result["flags"].append("comparator not named by the source")
        cointerventions = {a["cointervention"] for a in i_arms + c_arms if a.get("cointervention") not in (None, "none")}
        for arm in i_arms:
            if arm.get("cointervention") not in (None, "none") and arm["cointervention"] == arms_treatment_node(c_arms, arm["cointervention"]):
                result["flags"].append(f"add-on design: {arm['treatment_label']} + {arm['cointervention'].replace('_', ' ')} vs {arm['cointervention'].replace('_', ' ')}")
        if cointerventions:
            result["cointerventions"] = sorted(cointerventions)

        # --- statements (narrative) ------------------------------------------------
        for s in normalised["statements"]:
            if s["outcome"] == outcome and s["arm1"] in i_ids and (s["arm2"] is None or s["arm2"] in c_ids):
                result["narrative"].append(s["ref"])

        def relevant_values(v: Mapping[str, Any]) -> bool:
            return v["outcome"] == outcome and v["arm_id"] in (i_ids | c_ids)

        def relevant_contrast(c: Mapping[str, Any]) -> int:
            if c["outcome"] != outcome:
                return 0
            if c["arm1"] in i_ids and c["arm2"] in c_ids:
                return 1
            if c["arm1"] in c_ids and c["arm2"] in i_ids:
                return -1
            return 0

        contrasts = [(c, relevant_contrast(c)) for c in normalised["contrasts"]]
        contrasts = [(c, s) for c, s in contrasts if s]
        values = [v for v in normalised["arm_values"] if relevant_values(v)]

        if role == "external":
            for c, sign in contrasts:
                result["external"].append(_external_entry(c, sign, measure, window))
                note(c["ref"], aid, "external", "published pooled result: shown as external evidence, never pooled with trials")
            for v in values:
                note(v["ref"], aid, "excluded", "arm-level value from a review: not used")
            if result["external"]:
                out["analyses"][aid] = result
            continue
        if role == "narrative":
            for c, _ in contrasts:
                note(c["ref"], aid, "narrative", "guideline or consensus: narrative evidence only")
            for v in values:
                note(v["ref"], aid, "narrative", "guideline or consensus: narrative evidence only")
            if result["narrative"]:
                out["analyses"][aid] = result
            continue
        if role == "ineligible":
            for c, _ in contrasts:
                note(c["ref"], aid, "excluded", f"design '{study['design']}' is not pooled in this review")
            for v in values:
                note(v["ref"], aid, "excluded", f"design '{study['design']}' is not pooled in this review")
            if contrasts or values:
                out["analyses"][aid] = result
            continue

        candidates: list[_Candidate] = []
        # --- arm-level data ----------------------------------------------------------
        for v in values:
            if v["value_type"] == "within_group_change":
                note(v["ref"], aid, "excluded", "within-group change of one arm: not a between-group effect")
            elif v["value_type"] in ("events", "percent_responders"):
                note(v["ref"], aid, "excluded", "binary result: this analysis is of a continuous outcome")
            elif v["value_type"] == "percent_change":
                note(v["ref"], aid, "excluded", "mean percentage change from baseline cannot be converted to a mean difference or SMD")
            elif v["timepoint_weeks"] == 0:
                note(v["ref"], aid, "excluded", BASELINE_REASON)
            elif window not in v["windows"]:
                why = "timepoint not reported" if v["timepoint_weeks"] is None else f"timepoint {v['timepoint_weeks']:g} weeks is outside the window"
                note(v["ref"], aid, "excluded", why)
        usable_vals = [v for v in values if v["value_type"] in ("final", "change") and window in v["windows"]
                       and v["timepoint_weeks"] != 0]
        keys = sorted({(v["timepoint_weeks"], v["instrument"], v["value_type"]) for v in usable_vals},
                      key=lambda k: (k[0], k[1], k[2]))
        for weeks, instrument, value_type in keys:
            group = [v for v in usable_vals if (v["timepoint_weeks"], v["instrument"], v["value_type"]) == (weeks, instrument, value_type)]
            g_i = [v for v in group if v["arm_id"] in i_ids]
            g_c = [v for v in group if v["arm_id"] in c_ids]
            refs = [v["ref"] for v in group]
            if not g_i or not g_c:
                for v in group:
                    note(v["ref"], aid, "excluded", "no value for the other arm at the same timepoint and instrument")
                continue
            problem = None
            arm_ids = [v["arm_id"] for v in group]
            repeated = sorted({a for a in arm_ids if arm_ids.count(a) > 1})
            if repeated:
                # Two rows for one arm would be combined as if they were two groups of
                # participants, counting the same people twice.
                problem = (f"more than one value for arm {', '.join(repeated)} at this timepoint, instrument and "
                           "value type: which one to use is ambiguous")
            imputed_sd: dict[str, tuple[float, str]] = {}
            for v in ([] if problem else g_i + g_c):
                if v["mean"] is None:
                    problem = "mean missing (median only; conversion not configured)"
                elif v["n"] is None:
                    problem = "arm n not reported"
                elif v["sd"] is None and v.get("se") is None and v.get("ci_lb") is None:
                    if impute_missing_sd:
                        found = _sd_from_p_value(normalised["contrasts"], g_i, g_c, weeks, instrument)
                        if found is None:
                            problem = "SD missing, and no exact p-value to impute it from"
                        else:
                            imputed_sd.update({x["ref"]: found for x in g_i + g_c if x["sd"] is None})
                    else:
                        problem = "SD missing; imputation off in config"
                if problem:
                    break
            if problem is None and measure == "MD" and not all(v["rescaled"] for v in group):
                problem = "instrument range unknown: cannot express as MD on the common scale"
            if problem:
                for r in refs:
                    note(r, aid, "excluded", problem)
                continue
            steps: list[str] = []
            flags: list[str] = []
            for v in group:
                steps += [f"{v['ref']}: {s}" for s in v["steps"]]
            prepared = []
            for v in g_i + g_c:
                sd = v["sd"]
                if sd is None and v.get("se") is not None:
                    sd = v["se"] * math.sqrt(v["n"])
                    steps.append(f"{v['ref']}: SD from SE, n = {v['n']}: SD = SE x sqrt(n) = {sd:.4g}")
                elif sd is None and v.get("ci_lb") is not None:
                    from metareview.conversions import sd_from_ci_mean

                    est = sd_from_ci_mean([v["ci_lb"]], [v["ci_ub"]], [v["n"]], level=float(v["ci_level"]))
                    sd = float(est.sd[0])
                    steps.append(f"{v['ref']}: {est.method}, n = {v['n']}: SD = {sd:.4g}")
                elif sd is None:
                    sd, how = imputed_sd[v["ref"]]
                    steps.append(f"{v['ref']}: {how}")
                    flags.append("SD imputed from a p-value")
                prepared.append({"arm_id": v["arm_id"], "n": float(v["n"]), "mean": float(v["mean"]), "sd": float(sd)})
            p_i = [p for p in prepared if p["arm_id"] in i_ids]
            p_c = [p for p in prepared if p["arm_id"] in c_ids]

            def merged(ps: list[dict[str, Any]], what: str) -> dict[str, Any]:
                if len(ps) == 1:
                    return ps[0]
                n, m, s = combine_groups([p["n"] for p in ps], [p["mean"] for p in ps], [p["sd"] for p in ps])
                steps.append(f"{what} arms {', '.join(p['arm_id'] for p in ps)} combined into one group "
                             f"(Cochrane Handbook 6.5.2.10): n = {n:g}, mean = {m:.4g}, SD = {s:.4g}")
                flags.append(f"{len(ps)} {what} arms combined")
                return {"n": n, "mean": m, "sd": s}

            g1, g2 = merged(p_i, "intervention"), merged(p_c, "comparator")
            yi, vi, s = _effect_from_arms(measure, g1, g2)
            steps += s
            candidates.append(_Candidate(
                yi=yi, vi=vi, n1=g1["n"], n2=g2["n"], value_type=value_type, timepoint_weeks=weeks,
                distance=v_distance(weeks, windows[window]), form="arm-level means and SDs",
                instrument=instrument, refs=refs, steps=steps, flags=flags, priority=0))

        # --- reported contrasts ---------------------------------------------------------
        for c, sign in contrasts:
            if c["timepoint_weeks"] == 0:
                note(c["ref"], aid, "excluded", BASELINE_REASON)
                continue
            if window not in c["windows"]:
                why = "timepoint not reported" if c["timepoint_weeks"] is None else f"timepoint {c['timepoint_weeks']:g} weeks is outside the window"
                note(c["ref"], aid, "excluded", why)
                continue
            if c["measure"] == "p_only":
                note(c["ref"], aid, "excluded", "only a p-value reported: no effect size or variance")
                continue
            if c["measure"] not in CONTINUOUS_MEASURES:
                note(c["ref"], aid, "excluded", f"{c['measure']} is a binary measure; this analysis is continuous")
                continue
            if c["estimate"] is None:
                note(c["ref"], aid, "excluded", c["steps"][-1] if c["steps"] else "no estimate")
                continue
            cand, why = _effect_from_contrast(c, sign, measure, assume_equal_arms_from_total)
            if cand is None:
                note(c["ref"], aid, "excluded", why)
                continue
            cand["distance"] = v_distance(c["timepoint_weeks"], windows[window])
            candidates.append(cand)

        # --- choose, per value type ----------------------------------------------------
        by_type: dict[str, list[_Candidate]] = {}
        for cand in candidates:
            by_type.setdefault(cand["value_type"], []).append(cand)
        for value_type, cands in sorted(by_type.items()):
            # Nearest timepoint to the window target; earlier on ties; arm-level data first;
            # then the largest sample (one row per trial per analysis).
            cands.sort(key=lambda c: (c["distance"], c["timepoint_weeks"], c["priority"], -(c["n1"] + c["n2"])))
            best = cands[0]
            result["options"][value_type] = {k: v for k, v in best.items() if k not in ("priority", "distance")}
            for other in cands[1:]:
                if other["timepoint_weeks"] != best["timepoint_weeks"]:
                    reason = ("another timepoint is nearer the window target" if other["distance"] > best["distance"]
                              else "another timepoint is as near the window target and earlier (ties go to the earlier)")
                elif best["priority"] < other["priority"]:
                    reason = "the same result is available as arm-level data"
                elif other["instrument"] != best["instrument"]:
                    reason = (f"another instrument ({best['instrument']}) at the same timepoint is used "
                              "(one row per trial per analysis)")
                else:
                    reason = "another arm pair of the same trial is used (one row per trial per analysis)"
                for r in other["refs"]:
                    if r not in best["refs"]:
                        note(r, aid, "superseded", reason)
        for value_type, opt in result["options"].items():
            for r in opt["refs"]:
                note(r, aid, "candidate", f"{value_type} values")
        if result["options"] or row_notes_for(row_notes, aid):
            out["analyses"][aid] = result

    out["rows"] = {ref: notes for ref, notes in sorted(row_notes.items())}
    return out


def _sd_from_p_value(contrasts: Sequence[Mapping[str, Any]], g_i: Sequence[Mapping[str, Any]],
                     g_c: Sequence[Mapping[str, Any]], weeks: float | None,
                     instrument: str) -> tuple[float, str] | None:
    """A common SD for two arms from an exact two-sided p-value of their difference.

    With t = the 1 - p/2 quantile of t(n1 + n2 - 2), the SE of the difference is
    |m1 - m2| / t and, assuming equal SDs, SD = SE / sqrt(1/n1 + 1/n2) (Cochrane Handbook
    6.5.2.3). Only single-arm-pair contrasts with ``p_qualifier`` '=' qualify: a bound such
    as p < 0.001 gives no SD.
    """
    if len(g_i) != 1 or len(g_c) != 1:
        return None
    a, b = g_i[0], g_c[0]
    for c in contrasts:
        if ({c["arm1"], c["arm2"]} == {a["arm_id"], b["arm_id"]} and c["timepoint_weeks"] == weeks
                and c["instrument"] == instrument and c.get("p_value") is not None and c.get("p_qualifier", "=") == "="
                and 0 < c["p_value"] < 1 and a["mean"] != b["mean"]):
            from metareview.conversions import t_from_p

            n1, n2 = float(a["n"]), float(b["n"])
            t = float(t_from_p([c["p_value"]], [n1 + n2 - 2])[0])
            se = abs(a["mean"] - b["mean"]) / abs(t)
            sd = se / math.sqrt(1 / n1 + 1 / n2)
            return sd, (f"SD imputed from p = {c['p_value']:g} ({c['ref']}): t = {abs(t):.4f} on {n1 + n2 - 2:g} df, "
                        f"SD = |m1 - m2| / t / sqrt(1/n1 + 1/n2) = {sd:.4g}, equal SDs assumed (Cochrane Handbook 6.5.2.3)")
    return None


def row_notes_for(row_notes: Mapping[str, list[dict[str, str]]], aid: str) -> bool:
    return any(n["analysis"] == aid for notes in row_notes.values() for n in notes)


def arms_treatment_node(c_arms: Sequence[Mapping[str, Any]], cointervention: str) -> str | None:
    """The cointervention code when a comparator arm receives exactly that treatment."""
    for arm in c_arms:
        if arm["treatment"] == cointervention:
            return cointervention
    return None


def v_distance(weeks: float | None, window: Mapping[str, Any]) -> float:
    return math.inf if weeks is None else abs(float(weeks) - float(window["target_weeks"]))


def _effect_from_contrast(c: Mapping[str, Any], sign: int, measure: str,
                          assume_equal: bool) -> tuple[_Candidate | None, str]:
    """yi/vi from a reported between-group result, oriented intervention minus comparator."""
    from metareview.effects import escalc, hedges_j

    steps = list(c["steps"])
    flags: list[str] = []
    est, lb, ub = c["estimate"], c["ci_lb"], c["ci_ub"]
    if sign < 0:
        est, lb, ub = -est, (None if ub is None else -ub), (None if lb is None else -lb)
        steps.append("contrast reported comparator vs intervention: sign reversed")
    n1, n2 = (c["n1"], c["n2"]) if sign > 0 else (c["n2"], c["n1"])
    if (n1 is None or n2 is None) and c["n_total"] is not None and assume_equal:
        n1 = n2 = c["n_total"] / 2.0
        flags.append(f"arm sizes assumed equal ({n1:g} + {n2:g} from N = {c['n_total']})")
        steps.append(f"arm sizes not reported: N = {c['n_total']} split equally (assumption)")
    base = {"value_type": c["value_type"], "timepoint_weeks": c["timepoint_weeks"], "instrument": c["instrument"],
            "refs": [c["ref"]], "priority": 1}
    if c["measure"] == "MD":
        if measure != "MD":
            return None, "mean difference reported without SDs: cannot be standardised"
        if not c["rescaled"]:
            return None, "instrument range unknown: cannot express as MD on the common scale"
        if lb is not None:
            z = _z(c["ci_level"])
            se = (ub - lb) / (2 * z)
            mid = (lb + ub) / 2
            asym = abs(est - mid) / (ub - lb) if ub > lb else 0.0
            steps.append(f"variance from the {c['ci_level']:g}% CI: SE = (upper - lower)/(2 x {z:.4f}) = {se:.4g}")
            if asym > 0.05:
                flags.append(f"CI not centred on the estimate (midpoint {mid:.3g} vs estimate {est:.3g})")
            vi = se**2
        elif c["se"] is not None:
            vi = float(c["se"]) ** 2
            steps.append("variance from the reported SE")
        else:
            return None, "mean difference without CI or SE: variance unknown"
        return _Candidate(yi=float(est), vi=float(vi), n1=n1 or 0.0, n2=n2 or 0.0, form="reported mean difference",
                          steps=steps, flags=flags, **base), ""
    # SMD or Cohen's d
    if measure != "SMD":
        return None, "standardised effect reported: cannot be expressed as MD on the common scale"
    if n1 is None or n2 is None:
        return None, "arm n not reported" + ("" if c["n_total"] is None else " (equal split off in config)")
    if c["measure"] == "cohen_d":
        es = escalc("SMD", di=[est], n1i=[n1], n2i=[n2])
        j = float(hedges_j(n1 + n2 - 2))
        steps.append(f"Hedges' g from Cohen's d = {est:g}: J = {j:.4f} (df = {n1 + n2 - 2:g}); vi = 1/n1 + 1/n2 + g^2/(2(n1+n2))")
        return _Candidate(yi=float(es.yi[0]), vi=float(es.vi[0]), n1=n1, n2=n2, form="reported Cohen's d",
                          steps=steps, flags=flags, **base), ""
    # Reported SMD (already corrected): variance from its CI if given, else the LS formula.
    if lb is not None:
        z = _z(c["ci_level"])
        se = (ub - lb) / (2 * z)
        steps.append(f"variance from the {c['ci_level']:g}% CI: SE = (upper - lower)/(2 x {z:.4f}) = {se:.4g}")
        vi = se**2
    elif c["se"] is not None:
        vi = float(c["se"]) ** 2
        steps.append("variance from the reported SE")
    else:
        vi = 1 / n1 + 1 / n2 + est**2 / (2 * (n1 + n2))
        steps.append("variance of the reported SMD: 1/n1 + 1/n2 + g^2/(2(n1+n2))")
    return _Candidate(yi=float(est), vi=float(vi), n1=n1, n2=n2, form="reported SMD", steps=steps, flags=flags, **base), ""


def _external_entry(c: Mapping[str, Any], sign: int, measure: str, window: str) -> dict[str, Any]:
    est, lb, ub = c["estimate"], c["ci_lb"], c["ci_ub"]
    if est is not None and sign < 0:
        est, lb, ub = -est, (None if ub is None else -ub), (None if lb is None else -lb)
    reported_measure = {"cohen_d": "SMD"}.get(c["measure"], c["measure"])
    comparable = reported_measure == measure and (measure != "MD" or c["rescaled"])
    notes = []
    if c["measure"] == "cohen_d":
        notes.append("reported as Cohen's d")
    if est is None and c["measure"] != "p_only":
        notes.append("direction of the estimate unknown")
        comparable = False
    if c["timepoint_weeks"] is None:
        notes.append(f"timepoint not stated in weeks ({c['timepoint_label'] or 'no label'})")
    elif window not in c["windows"]:
        notes.append(f"timepoint {c['timepoint_weeks']:g} weeks is outside the window")
        comparable = False
    if reported_measure != measure:
        notes.append(f"reported as {reported_measure}, this analysis uses {measure}")
    return {"ref": c["ref"], "measure": reported_measure, "estimate": est, "ci_lb": lb, "ci_ub": ub,
            "k_studies": c["k_studies"], "n_participants": c["n_participants"], "i2": c["i2"],
            "certainty": c["certainty"], "comparable": comparable, "timepoint_weeks": c["timepoint_weeks"],
            "instrument_label": c["instrument_label"], "notes": notes}
