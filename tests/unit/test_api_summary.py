"""A fit prints as metafor prints it: the text a notebook shows for ``res`` and ``print(res)``.

The expected text is metafor 3.8-1's print output (R's default significance stars and
their legend included, less the space R's cat leaves at the end of each line), from

    library(metafor)
    dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
    print(rma(yi, vi, data = dat))
    print(rma(yi, vi, data = dat, method = "FE"))
    print(rma(yi, vi, mods = ~ ablat, data = dat, method = "DL", test = "t"))
    print(confint(rma(yi, vi, data = dat, method = "DL")))

Models whose estimates are closed forms (FE, DL) and the REML fit, whose four printed
decimals metafor's default convergence already reaches, agree digit for digit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from metafor_tolerances import assert_printed

import metareview
from metareview import escalc, rma, subgroups

BCG = json.loads(
    (Path(__file__).resolve().parents[1] / "reference" / "metafor" / "dat.bcg__RR.json").read_text(
        encoding="utf-8"
    )
)
YI, VI = BCG["yi"], BCG["vi"]
ABLAT = BCG["input"]["ablat"]

RE_REML = """\
Random-Effects Model (k = 13; tau^2 estimator: REML)

tau^2 (estimated amount of total heterogeneity): 0.3132 (SE = 0.1664)
tau (square root of estimated tau^2 value):      0.5597
I^2 (total heterogeneity / total variability):   92.22%
H^2 (total variability / sampling variability):  12.86

Test for Heterogeneity:
Q(df = 12) = 152.2330, p-val < .0001

Model Results:

estimate      se     zval    pval    ci.lb    ci.ub
 -0.7145  0.1798  -3.9744  <.0001  -1.0669  -0.3622  ***

---
Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1"""

FE = """\
Fixed-Effects Model (k = 13)

I^2 (total heterogeneity / total variability):  92.12%
H^2 (total variability / sampling variability): 12.69

Test for Heterogeneity:
Q(df = 12) = 152.2330, p-val < .0001

Model Results:

estimate      se      zval    pval    ci.lb    ci.ub
 -0.4303  0.0405  -10.6247  <.0001  -0.5097  -0.3509  ***

---
Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1"""


def test_random_effects_fit_prints_as_metafor() -> None:
    res = rma(YI, VI)
    assert str(res) == RE_REML
    assert res.summary() == RE_REML


def test_fixed_effects_fit_prints_as_metafor() -> None:
    # metafor pads the FE block's labels one column wider; the numbers and wording match
    text = str(rma(YI, VI, method="FE"))
    assert [line.split() for line in text.splitlines()] == [
        line.split() for line in FE.splitlines()
    ]


MIXED_DL_T = """\
Mixed-Effects Model (k = 13; tau^2 estimator: DL)

tau^2 (estimated amount of residual heterogeneity):     0.0633 (SE = 0.0548)
tau (square root of estimated tau^2 value):             0.2516
I^2 (residual heterogeneity / unaccounted variability): 64.21%
H^2 (unaccounted variability / sampling variability):   2.79
R^2 (amount of heterogeneity accounted for):            79.50%

Test for Residual Heterogeneity:
QE(df = 11) = 30.7331, p-val = 0.0012

Test of Moderators (coefficient 2):
F(df1 = 1, df2 = 11) = 18.8452, p-val = 0.0012

Model Results:

         estimate      se     tval  df    pval    ci.lb    ci.ub
intrcpt    0.2595  0.2323   1.1172  11  0.2877  -0.2518   0.7708
ablat     -0.0292  0.0067  -4.3411  11  0.0012  -0.0440  -0.0144  **

---
Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1"""


def test_meta_regression_prints_as_metafor() -> None:
    assert str(rma(YI, VI, mods={"ablat": ABLAT}, method="DL", test="t")) == MIXED_DL_T


def test_confint_prints_as_metafor() -> None:
    text = str(rma(YI, VI).confint())
    assert text.splitlines()[0].split() == ["estimate", "ci.lb", "ci.ub"]
    assert text.splitlines()[1].split() == ["tau^2", "0.3132", "0.1197", "1.1115"]


def test_notebooks_display_the_summary() -> None:
    class Printer:
        def __init__(self) -> None:
            self.out = ""

        def text(self, s: str) -> None:
            self.out += s

    p = Printer()
    rma(YI, VI)._repr_pretty_(p, False)
    assert p.out == RE_REML


def test_package_lists_its_public_names_for_completion() -> None:
    names = dir(metareview)
    for name in ("escalc", "rma", "subgroups", "leave1out", "influence", "regtest", "anova", "blup", "ranef",
                 "rma_mh", "rma_peto"):
        assert name in names
    for name in metareview.__all__:
        assert getattr(metareview, name) is not None


@pytest.mark.parametrize(
    "name", ["METHODS", "MEASURES", "hedges_j", "vi_from_ci", "METAFOR_DEFAULTS", "DEFAULT_CONTROL"]
)
def test_package_exports_the_vocabulary_a_user_needs(name: str) -> None:
    assert name in metareview.__all__


def test_the_control_the_docs_name_is_importable_from_the_package() -> None:
    # statistics.md writes `control=METAFOR_DEFAULTS` after `from metareview import ...`
    from metareview import DEFAULT_CONTROL, METAFOR_DEFAULTS, pool

    assert METAFOR_DEFAULTS is pool.METAFOR_DEFAULTS and DEFAULT_CONTROL is pool.DEFAULT_CONTROL
    assert METAFOR_DEFAULTS == {"threshold": 1e-5, "uniroot_tol": 2.0**-13, "maxiter": 100}


# metafor 3.8-1 on the first four BCG trials (data as above):
#   r <- rma(yi, vi, data = dat[1:4, ])
#   print(leave1out(r)); print(influence(r))
LEAVE1OUT_4 = """\
  estimate     se     zval   pval   ci.lb   ci.ub      Q     Qp   tau2     I2     H2
1  -1.4505 0.1319 -11.0010 0.0000 -1.7089 -1.1921 0.1228 0.9405 0.0000 0.0000 1.0000
2  -1.4069 0.1343 -10.4769 0.0000 -1.6701 -1.1437 0.8912 0.6405 0.0000 0.0000 1.0000
3  -1.4251 0.1311 -10.8706 0.0000 -1.6821 -1.1682 1.0273 0.5983 0.0000 0.0000 1.0000
4  -1.3302 0.3069  -4.3346 0.0000 -1.9317 -0.7288 0.9325 0.6274 0.0000 0.0000 1.0000"""

INFLUENCE_4 = """\
  rstudent  dffits cook.d  cov.r tau2.del QE.del    hat  weight    dfbs inf
1   0.9582  0.2214 0.0490 1.0534   0.0000 0.1228 0.0507  5.0689  0.2214
2  -0.3871 -0.1178 0.0139 1.0927   0.0000 0.8912 0.0848  8.4816 -0.1178
3   0.1171  0.0238 0.0006 1.0414   0.0000 1.0273 0.0397  3.9732  0.0238
4  -0.3294 -0.7147 0.5107 5.7066   0.0000 0.9325 0.8248 82.4763 -0.7147   *"""


def _cells(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


def test_leave1out_and_influence_print_metafors_tables() -> None:
    res = rma(YI[:4], VI[:4])
    # metafor separates the columns by one space where this prints two
    assert _cells(str(res.leave1out())) == _cells(LEAVE1OUT_4)
    assert _cells(str(res.influence())) == _cells(INFLUENCE_4)


# metafor 3.8-1 (data as above):
#   inf <- influence(rma(yi, vi, mods = ~ ablat, data = dat, method = "DL")); inf$dfbs
INFLUENCE_DFBS_ABLAT = """\
   intrcpt   ablat
1  -0.0021  0.0266
2   0.1188 -0.1775
3   0.0250 -0.0634
4   0.2838 -0.4692
5  -0.1357  0.1139
6  -0.1913  0.4340
7  -0.6192  0.4003
8   0.4710 -0.3639
9   0.0602 -0.0276
10  0.0645 -0.2408
11 -0.0553  0.0496
12  0.0518  0.0297
13  0.1401  0.0929"""


def test_influence_names_its_dfbetas_by_coefficient() -> None:
    inf = rma(YI, VI, mods={"ablat": ABLAT}, method="DL").influence()
    assert inf.coef_names == ("intrcpt", "ablat")
    assert inf.to_dict()["coef_names"] == ["intrcpt", "ablat"]
    rows = _cells(str(inf))
    header = rows[0]
    assert header[-3:] == ["dfbs.intrcpt", "dfbs.ablat", "inf"]
    # study label and the two dfbs columns as metafor prints $dfbs (the header has no
    # cell for the label, so header[j] is row[j + 1])
    j = len(header) - 3
    assert [[row[0], row[j + 1], row[j + 2]] for row in rows[1:]] == _cells(
        INFLUENCE_DFBS_ABLAT
    )[1:]
    assert rma(YI, VI).influence().coef_names == ("intrcpt",)
    # read under metafor's name, inf$dfbs, as it prints, and as dfbetas
    expected = [[float(x) for x in row[1:]] for row in _cells(INFLUENCE_DFBS_ABLAT)[1:]]
    assert inf.dfbs.shape == (13, 2) and inf.dfbs.round(4).tolist() == expected
    assert inf.dfbs is inf.dfbetas and not inf.dfbs.flags.writeable


def test_subgroups_print_each_group_and_the_test_of_differences() -> None:
    # metafor 3.8-1 (data as above):
    #   r <- rma(yi, vi, mods = ~ factor(alloc), data = dat); c(r$QM, r$QMp)
    #     1.767513 0.4132277
    #   for (l in c("alternate", "random", "systematic")) {
    #     f <- rma(yi, vi, data = dat, subset = alloc == l)
    #     c(f$k, f$beta, f$se, f$ci.lb, f$ci.ub, f$tau2, f$I2) }
    #   alternate  2 -0.540793  0.2816016 -1.092722  0.01113606 0.132577  82.02252
    #   random     7 -0.9709645 0.2759557 -1.511828 -0.4301012  0.3925265 89.93428
    #   systematic 4 -0.4242073 0.3597454 -1.129295  0.2808807  0.4003463 86.42213
    text = str(subgroups(YI, VI, BCG["input"]["alloc"], variable="alloc"))
    assert _cells(text)[:4] == [
        ["k", "estimate", "se", "ci.lb", "ci.ub", "tau2", "I2"],
        ["alternate", "2", "-0.5408", "0.2816", "-1.0927", "0.0111", "0.1326", "82.02%"],
        ["random", "7", "-0.9710", "0.2760", "-1.5118", "-0.4301", "0.3925", "89.93%"],
        ["systematic", "4", "-0.4242", "0.3597", "-1.1293", "0.2809", "0.4003", "86.42%"],
    ]
    assert text.splitlines()[-1] == "QM(df = 2) = 1.7675, p-val = 0.4132"


# metafor 3.8-1, data as above, iterative fits run to convergence:
#   ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)
#   for (r in list(rma(yi, vi, data = dat, control = ctl),
#                  rma(yi, vi, mods = ~ ablat, data = dat, control = ctl),
#                  rma(yi, vi, data = dat, method = "FE"),
#                  rma(yi, vi, mods = ~ ablat, data = dat, method = "DL")))
#     print(sprintf("%.12g", as.matrix(r$fit.stats)))
# (columns ML then REML; rows ll, dev, AIC, BIC, AICc)
FIT_STATS = {
    ("REML", False): (
        (-12.6877716627, 37.1614115989, 29.3755433253, 30.5054420403, 30.5755433253),
        (-12.2023714155, 24.404742831, 28.404742831, 29.3745561306, 29.7380761643),
    ),
    ("REML", True): (
        (-7.94657355591, 27.6790153853, 21.8931471118, 23.5879951842, 24.5598137785),
        (-8.08732005828, 16.1746401166, 22.1746401166, 23.3683259349, 25.6032115451),
    ),
    ("FE", False): (
        (-70.2235699044, 152.233008082, 142.447139809, 143.012089166, 142.810776172),
        (-71.2286408198, 142.45728164, 144.45728164, 144.942188289, 144.85728164),
    ),
    ("DL", True): (
        (-7.83384509096, 27.4535584554, 21.6676901819, 23.3625382543, 24.3343568486),
        (-8.10351750721, 16.2070350144, 22.2070350144, 23.4007208328, 25.635606443),
    ),
}


@pytest.mark.parametrize(("method", "ablat"), sorted(FIT_STATS))
def test_fitstats_match_metafor(method: str, ablat: bool) -> None:
    res = rma(YI, VI, method=method, mods={"ablat": ABLAT} if ablat else None)
    stats = res.fitstats()
    for kind, expected in zip(("ML", "REML"), FIT_STATS[(method, ablat)]):
        for key, value in zip(("ll", "dev", "AIC", "BIC", "AICc"), expected):
            # printed with sprintf("%.12g"); closed forms given tau2, which both programs
            # converge to ~1e-12 here
            assert_printed(stats[kind][key], f"{value:.12g}", "closed", f"{kind} {key}")


def test_effect_sizes_print_yi_and_vi_as_metafor() -> None:
    # metafor 3.8-1:
    #   escalc("MD", m1i = c(1, 2, NA), sd1i = c(1, 1, 1), n1i = c(10, 10, 10),
    #          m2i = c(0, 0, 0), sd2i = c(1, 1, 1), n2i = c(10, 10, 10))
    #         yi     vi
    #   1 1.0000 0.2000
    #   2 2.0000 0.2000
    #   3     NA 0.2000
    es = escalc(
        "MD", m1i=[1, 2, None], sd1i=[1, 1, 1], n1i=[10, 10, 10], m2i=[0, 0, 0],
        sd2i=[1, 1, 1], n2i=[10, 10, 10],
    )  # fmt: skip
    lines = str(es).splitlines()
    assert lines[0] == "measure: MD"
    assert _cells("\n".join(lines[1:])) == [
        ["yi", "vi"],
        ["1", "1.0000", "0.2000"],
        ["2", "2.0000", "0.2000"],
        ["3", "NA", "0.2000"],
    ]


def test_a_fit_without_heterogeneity_statistics_prints_as_metafor() -> None:
    """A study with vi = 0 leaves Q, I^2 and H^2 uncomputed ("Cannot compute Q-test, I^2,
    or H^2 when there are non-positive sampling variances in the data."): metafor 3.8-1's
    print(rma(c(0.1, 0.5, 0.3, 0.8), c(0, 0.2, 0.1, 0.3), tau2 = 0.1)) leaves out their
    lines."""
    with pytest.warns(UserWarning) as caught:
        res = rma([0.1, 0.5, 0.3, 0.8], [0.0, 0.2, 0.1, 0.3], tau2=0.1)
    said = [str(w.message) for w in caught]
    assert any("non-positive sampling variances" in m for m in said)
    assert any("Q-test, I^2 and H^2 are not computed" in m for m in said)
    assert res.summary(signif_stars=False) == """\
Random-Effects Model (k = 4; user-specified tau^2 value)

tau^2 (estimated amount of total heterogeneity): 0.1000 (SE = 0.1622)
tau (square root of estimated tau^2 value):      0.3162

Model Results:

estimate      se    zval    pval    ci.lb   ci.ub
  0.2960  0.2191  1.3510  0.1767  -0.1334  0.7254"""


def test_an_undefined_p_value_prints_as_metafors_na() -> None:
    """With as many coefficients as studies a t-test has no df: metafor 3.8-1's
    print(rma(c(0.1, 0.5), c(0.1, 0.2), mods = ~ c(1, 2), method = "FE", test = "t"))
    shows these lines (and then stops in symnum() on the NA p-values of the table)."""
    text = rma([0.1, 0.5], [0.1, 0.2], mods=[1.0, 2.0], method="FE", test="t").summary()
    assert """\
Test for Residual Heterogeneity:
QE(df = 0) = 0.0000, p-val = 1.0000

Test of Moderators (coefficient 2):
F(df1 = 1, df2 = 0) = 0.5333, p-val = NA
""" in text


# metafor 3.8-1 on a first study of vi = 0, whose z in the first cumulative step is
# infinite (se = 0):
#   yi <- c(0.1, 0.3, 0.5, 0.2); vi <- c(0, 0.02, 0.03, 0.05); w <- 1:4
#   print(cumul(rma(yi, vi, weights = w, method = "FE")))
CUMUL_VI0 = """\
  estimate     se   zval  pvals  ci.lb  ci.ub  Q Qp I2 H2
1   0.1000 0.0000    Inf 0.0000 0.1000 0.1000 NA NA NA NA
2   0.2333 0.0943 2.4749 0.0133 0.0485 0.4181 NA NA NA NA
3   0.3667 0.0986 3.7187 0.0002 0.1734 0.5599 NA NA NA NA
4   0.3000 0.1072 2.7975 0.0051 0.0898 0.5102 NA NA NA NA"""

# and with two studies of vi = 0, unweighted, whose own fit has se = 0:
#   r <- rma(c(0.1, 0.3), c(0, 0), method = "FE", weighted = FALSE)
#   print(r); print(leave1out(r)); rma(-c(0.1, 0.3), c(0, 0), method = "FE",
#   weighted = FALSE)$zval   # -Inf
FE_VI0 = """\
estimate      se  zval    pval   ci.lb   ci.ub
  0.2000  0.0000   Inf  <.0001  0.2000  0.2000"""

LEAVE1OUT_VI0 = """\
  estimate     se zval   pval  ci.lb  ci.ub  Q Qp I2 H2
1   0.3000 0.0000  Inf 0.0000 0.3000 0.3000 NA NA NA NA
2   0.1000 0.0000  Inf 0.0000 0.1000 0.1000 NA NA NA NA"""


def test_an_infinite_z_prints_as_inf() -> None:
    """R prints an infinite z as Inf (-Inf), not as the NA of a missing value."""
    yi, vi = [0.1, 0.3, 0.5, 0.2], [0.0, 0.02, 0.03, 0.05]
    with pytest.warns(UserWarning):
        res = rma(yi, vi, weights=[1, 2, 3, 4], method="FE")
    assert _cells(str(res.cumul())) == _cells(CUMUL_VI0)
    two = rma([0.1, 0.3], [0.0, 0.0], method="FE", weighted=False)
    assert _cells(two.summary(signif_stars=False))[-2:] == _cells(FE_VI0)
    assert _cells(str(two.leave1out())) == _cells(LEAVE1OUT_VI0)
    neg = rma([-0.1, -0.3], [0.0, 0.0], method="FE", weighted=False)
    assert _cells(neg.summary(signif_stars=False))[-1][2] == "-Inf"
    assert [row[3] for row in _cells(str(neg.cumul()))[1:]] == ["-Inf", "-Inf"]


# metafor 3.8-1's print of the subset fits of an equal-effects model leaves out tau2
# (every refit has tau^2 = 0) and heads cumul's p-values "pvals"; the random-effects
# tables keep tau2, and influence's tau2.del stays in both (data: the first five trials
# of dat.bcg, as above; options(width = 250) so that R prints each row on one line):
#   dat5 <- dat[1:5, ]
#   fe <- rma(yi, vi, data = dat5, method = "FE"); re <- rma(yi, vi, data = dat5)
#   print(cumul(fe)); print(leave1out(fe)); print(influence(fe))
#   print(leave1out(fe), digits = 2)
#   print(cumul(rma(yi, vi, data = dat5, method = "FE", test = "t")), digits = 2)
#   print(cumul(re)); print(leave1out(re), digits = 2); print(influence(re))
FE5_CUMUL = """\
  estimate     se     zval  pvals   ci.lb   ci.ub       Q     Qp      I2     H2
1  -0.8893 0.5706  -1.5586 0.1191 -2.0077  0.2290  0.0000 1.0000  0.0000 1.0000
2  -1.3250 0.3490  -3.7967 0.0001 -2.0090 -0.6410  0.9315 0.3345  0.0000 0.9315
3  -1.3302 0.3069  -4.3346 0.0000 -1.9317 -0.7288  0.9325 0.6274  0.0000 0.4662
4  -1.4220 0.1285 -11.0694 0.0000 -1.6738 -1.1703  1.0410 0.7913  0.0000 0.3470
5  -1.1285 0.1117 -10.1010 0.0000 -1.3474 -0.9095 22.4667 0.0002 82.1959 5.6167"""

FE5_LEAVE1OUT = """\
  estimate     se     zval   pval   ci.lb   ci.ub       Q     Qp      I2     H2
1  -1.1380 0.1139  -9.9892 0.0000 -1.3613 -0.9147 22.2840 0.0001 86.5374 7.4280
2  -1.0972 0.1155  -9.5005 0.0000 -1.3235 -0.8708 21.3202 0.0001 85.9289 7.1067
3  -1.1217 0.1134  -9.8881 0.0000 -1.3440 -0.8993 22.3470 0.0001 86.5754 7.4490
4  -0.6095 0.1821  -3.3463 0.0008 -0.9664 -0.2525  9.4481 0.0239 68.2475 3.1494
5  -1.4220 0.1285 -11.0694 0.0000 -1.6738 -1.1703  1.0410 0.7913  0.0000 0.3470"""

FE5_INFLUENCE = """\
  rstudent  dffits  cook.d  cov.r tau2.del  QE.del    hat  weight    dfbs inf
1   0.4274  0.0853  0.0073 1.0399   0.0000 22.2840 0.0383  3.8335  0.0853
2  -1.0707 -0.2803  0.0786 1.0685   0.0000 21.3202 0.0641  6.4144 -0.2803
3  -0.3460 -0.0609  0.0037 1.0310   0.0000 22.3470 0.0300  3.0049 -0.0609
4  -3.6081 -4.6457 21.5821 2.6578   0.0000  9.4481 0.6237 62.3748 -4.6457   *
5   4.6288  2.6277  6.9049 1.3223   0.0000  1.0410 0.2437 24.3725  2.6277   *"""

FE5_LEAVE1OUT_D2 = """\
  estimate   se   zval pval ci.lb ci.ub     Q   Qp    I2   H2
1    -1.14 0.11  -9.99 0.00 -1.36 -0.91 22.28 0.00 86.54 7.43
2    -1.10 0.12  -9.50 0.00 -1.32 -0.87 21.32 0.00 85.93 7.11
3    -1.12 0.11  -9.89 0.00 -1.34 -0.90 22.35 0.00 86.58 7.45
4    -0.61 0.18  -3.35 0.00 -0.97 -0.25  9.45 0.02 68.25 3.15
5    -1.42 0.13 -11.07 0.00 -1.67 -1.17  1.04 0.79  0.00 0.35"""

FE5_T_CUMUL_D2 = """\
  estimate   se   tval pvals ci.lb ci.ub     Q   Qp    I2   H2
1    -0.89 0.57  -1.56  0.12 -2.01  0.23  0.00 1.00  0.00 1.00
2    -1.33 0.35  -3.80  0.16 -5.76  3.11  0.93 0.33  0.00 0.93
3    -1.33 0.31  -4.33  0.05 -2.65 -0.01  0.93 0.63  0.00 0.47
4    -1.42 0.13 -11.07  0.00 -1.83 -1.01  1.04 0.79  0.00 0.35
5    -1.13 0.11 -10.10  0.00 -1.44 -0.82 22.47 0.00 82.20 5.62"""

RE5_CUMUL = """\
  estimate     se     zval  pvals   ci.lb   ci.ub       Q     Qp   tau2      I2     H2
1  -0.8893 0.5706  -1.5586 0.1191 -2.0077  0.2290  0.0000 1.0000 0.0000  0.0000 1.0000
2  -1.3250 0.3490  -3.7967 0.0001 -2.0090 -0.6410  0.9315 0.3345 0.0000  0.0000 1.0000
3  -1.3302 0.3069  -4.3346 0.0000 -1.9317 -0.7288  0.9325 0.6274 0.0000  0.0000 1.0000
4  -1.4220 0.1285 -11.0694 0.0000 -1.6738 -1.1703  1.0410 0.7913 0.0000  0.0000 1.0000
5  -1.0586 0.3011  -3.5162 0.0004 -1.6486 -0.4685 22.4667 0.0002 0.2984 76.5130 4.2577"""

RE5_LEAVE1OUT_D2 = """\
  estimate   se   zval pval ci.lb ci.ub     Q   Qp tau2    I2   H2
1    -1.10 0.36  -3.07 0.00 -1.80 -0.40 22.28 0.00 0.38 83.21 5.96
2    -0.94 0.34  -2.73 0.01 -1.62 -0.27 21.32 0.00 0.32 79.75 4.94
3    -1.02 0.35  -2.94 0.00 -1.70 -0.34 22.35 0.00 0.36 82.77 5.81
4    -0.91 0.37  -2.50 0.01 -1.63 -0.20  9.45 0.02 0.32 63.43 2.73
5    -1.42 0.13 -11.07 0.00 -1.67 -1.17  1.04 0.79 0.00  0.00 1.00"""

RE5_INFLUENCE = """\
  rstudent  dffits cook.d  cov.r tau2.del  QE.del    hat  weight    dfbs inf
1   0.2258  0.1148 0.0149 1.4078   0.3787 22.2840 0.1453 14.5254  0.1117
2  -0.8073 -0.3813 0.1531 1.3057   0.3247 21.3202 0.1839 18.3854 -0.3795
3  -0.3488 -0.1283 0.0178 1.3211   0.3585 22.3470 0.1270 12.6983 -0.1249
4  -0.7673 -0.4690 0.2368 1.4705   0.3228  9.4481 0.2847 28.4656 -0.4729
5   4.6288  3.1544 1.4575 0.1821   0.0000  1.0410 0.2593 25.9252  3.2533   *"""


@pytest.mark.parametrize("method", ["FE", "EE"])
def test_equal_effects_subset_fits_print_metafors_columns(method: str) -> None:
    """No tau2 column for an FE/EE model, ``pvals`` over cumul's p-values, at either
    number of digits (metafor prints EE's tables as FE's)."""
    res = rma(YI[:5], VI[:5], method=method)
    # metafor separates the columns by one space where this prints two
    assert _cells(str(res.cumul())) == _cells(FE5_CUMUL)
    assert _cells(str(res.leave1out())) == _cells(FE5_LEAVE1OUT)
    assert _cells(str(res.influence())) == _cells(FE5_INFLUENCE)
    assert _cells(res.leave1out().summary(digits=2)) == _cells(FE5_LEAVE1OUT_D2)
    t = rma(YI[:5], VI[:5], method=method, test="t")
    assert _cells(t.cumul().summary(digits=2)) == _cells(FE5_T_CUMUL_D2)


def _assert_as_printed(text: str, printed: str, tol: str) -> None:
    """The same header, labels and flags as metafor's table, and each number what
    metafor printed within ``TOL[tol]`` plus half a unit in its last digit."""
    ours, theirs = _cells(text), _cells(printed)
    assert ours[0] == theirs[0]
    for row, ref in zip(ours[1:], theirs[1:], strict=True):
        assert len(row) == len(ref) and row[0] == ref[0]
        for name, a, b in zip(ours[0], row[1:], ref[1:]):
            if name == "inf":
                assert a == b
            else:
                assert_printed(float(a), b, tol, f"row {row[0]}, {name}")


def test_random_effects_subset_fits_print_metafors_columns() -> None:
    """tau2 stays for a random-effects model; metafor's REML stops at its threshold of
    1e-5, which leaves some fourth decimals one unit off (I2 76.5130 in cumul's last
    step, 76.5132 converged), so the numbers are held to the REML tolerance."""
    res = rma(YI[:5], VI[:5])
    _assert_as_printed(str(res.cumul()), RE5_CUMUL, "loose_reml")
    _assert_as_printed(res.leave1out().summary(digits=2), RE5_LEAVE1OUT_D2, "loose_reml")
    _assert_as_printed(str(res.influence()), RE5_INFLUENCE, "loose_reml")


def test_subset_fits_keep_their_stored_fields() -> None:
    """Leaving tau2 out of the FE print leaves the stored values and keys as they were."""
    res = rma(YI[:5], VI[:5], method="FE")
    cum = res.cumul()
    assert list(cum.to_dict()) == ["slab", "order", "test", "estimate", "se", "zval",
                                   "df", "pval", "ci_lb", "ci_ub", "Q", "Qp", "tau2",
                                   "I2", "H2", "transf"]  # fmt: skip
    assert list(cum.tau2) == [0.0] * 5
    assert "tau2" in res.leave1out().to_dict()


# Data of the R^2 cases below, in R:
#     yi <- c(0.1, 0.9, -0.3, 0.8, 1.4, 0.0); vi <- c(0.01, 0.02, 0.015, 0.03, 0.025, 0.02)
#     x <- 1:6; z <- c(0, 1, 4, 2, 2, 5)
#     ys <- 0.5 * x + c(0.01, -0.02, 0, 0.03, -0.01, 0.02)
#     yh <- c(0.2, 0.21, 0.19, 0.2, 0.22, 0.2)
R2_Y = [0.1, 0.9, -0.3, 0.8, 1.4, 0.0]
R2_V = [0.01, 0.02, 0.015, 0.03, 0.025, 0.02]
R2_X = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
R2_Z = [0.0, 1.0, 4.0, 2.0, 2.0, 5.0]
R2_YS = [0.5 * x + e for x, e in zip(R2_X, [0.01, -0.02, 0.0, 0.03, -0.01, 0.02])]
R2_YH = [0.2, 0.21, 0.19, 0.2, 0.22, 0.2]
R2_LINE = "R^2 (amount of heterogeneity accounted for):            "
R2_CASES = {
    # print(rma(yi[1:3], vi[1:3], mods = ~ x[1:3] + z[1:3], method = "FE")): k = p,
    # lm()'s adjusted R^2 has no residual df (NaN)
    "fe_saturated": (lambda: rma(R2_Y[:3], R2_V[:3], mods={"x": R2_X[:3], "z": R2_Z[:3]},
                                 method="FE"), "NA%"),
    # print(rma(yi[1:2], vi[1:2], mods = ~ x[1:2], method = "EE", weighted = FALSE))
    "ee_unweighted_saturated": (lambda: rma(R2_Y[:2], R2_V[:2], mods=R2_X[:2], method="EE",
                                            weighted=False), "NA%"),
    # print(rma(yi, vi, mods = ~ x, method = "FE", weights = c(1, 1, 0, 0, 0, 0))): lm()
    # leaves out the studies of weight 0, two left for two coefficients
    "fe_weights_on_p_studies": (lambda: rma(R2_Y, R2_V, mods=R2_X, method="FE",
                                            weights=[1, 1, 0, 0, 0, 0]), "NA%"),
    # print(rma(yi, vi, mods = ~ x, method = "FE", weights = c(1, 1, 1, 0, 0, 0))): k = p + 1
    "fe_weights_on_p_plus_1_studies": (lambda: rma(R2_Y, R2_V, mods=R2_X, method="FE",
                                                   weights=[1, 1, 1, 0, 0, 0]), "0.00%"),
    # print(rma(ys, vi, mods = ~ x, control = list(maxiter = 2))): the model without
    # moderators does not converge in 2 iterations, R^2 NA; the fit itself does
    "null_model_not_converged_reml": (lambda: rma(R2_YS, R2_V, mods=R2_X,
                                                  control={"maxiter": 2}), "NA%"),
    # print(rma(ys, vi, mods = ~ x, method = "ML", control = list(maxiter = 1)))
    "null_model_not_converged_ml": (lambda: rma(R2_YS, R2_V, mods=R2_X, method="ML",
                                                control={"maxiter": 1}), "NA%"),
    # print(rma(ys, vi, mods = ~ x)): tau^2 0 with the moderator, positive without
    "all_accounted_for": (lambda: rma(R2_YS, R2_V, mods=R2_X), "100.00%"),
    # rma(yh, vi)$tau2 is 0: print(rma(yh, vi, mods = ~ x)) reports 0, not 0/0
    "null_tau2_zero": (lambda: rma(R2_YH, R2_V, mods=R2_X), "0.00%"),
    # print(rma(yi[1:3], vi[1:3], mods = ~ x[1:3])): k = p + 1
    "reml_k_p_plus_1": (lambda: rma(R2_Y[:3], R2_V[:3], mods=R2_X[:3]), "0.00%"),
    # print(rma(yi, vi, mods = ~ x, method = "FE"))
    "fe": (lambda: rma(R2_Y, R2_V, mods=R2_X, method="FE"), "0.00%"),
    # print(rma(yi, vi, mods = ~ x, method = "HS"))
    "hs": (lambda: rma(R2_Y, R2_V, mods=R2_X, method="HS"), "4.34%"),
    # print(rma(yi, vi, mods = ~ x - 1)) and print(rma(yi, vi)): no line
    "no_intercept": (lambda: rma(R2_Y, R2_V, mods=R2_X, intercept=False), None),
    "intercept_only": (lambda: rma(R2_Y, R2_V), None),
}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("case", list(R2_CASES))
def test_r2_line_prints_as_metafor(case: str) -> None:
    """metafor 3.8-1's print.rma.uni shows an R^2 that is NaN or NA (an equal-effects
    model with no residual df; a model without moderators that stops in try()) as "NA%"
    and leaves the line out only where R^2 is NULL (no moderators, no intercept); the
    expected lines are its output for the calls above."""
    fit, shown = R2_CASES[case]
    lines = [line for line in fit().summary().splitlines() if line.startswith("R^2")]
    assert lines == ([] if shown is None else [R2_LINE + shown])



def test_an_undefined_r2_prints_in_metafors_block() -> None:
    """metafor 3.8-1's print(rma(ys, vi, mods = ~ x, control = list(maxiter = 2))) (data
    above) shows the heterogeneity block as below: tau^2 0 printed without decimals and
    R^2 NA."""
    text = rma(R2_YS, R2_V, mods=R2_X, control={"maxiter": 2}).summary()
    assert text.splitlines()[:7] == """\
Mixed-Effects Model (k = 6; tau^2 estimator: REML)

tau^2 (estimated amount of residual heterogeneity):     0 (SE = 0.0132)
tau (square root of estimated tau^2 value):             0
I^2 (residual heterogeneity / unaccounted variability): 0.00%
H^2 (unaccounted variability / sampling variability):   1.00
R^2 (amount of heterogeneity accounted for):            NA%
""".splitlines()


def test_a_tau2_of_zero_prints_without_decimals_as_metafor() -> None:
    """metafor 3.8-1's print(rma(yh, vi)) (data above; tau^2 at its boundary, 0) and
    print(rma(yi, vi, tau2 = 0)), significance stars left out (signif.stars = FALSE)."""
    assert rma(R2_YH, R2_V).summary(signif_stars=False) == """\
Random-Effects Model (k = 6; tau^2 estimator: REML)

tau^2 (estimated amount of total heterogeneity): 0 (SE = 0.0109)
tau (square root of estimated tau^2 value):      0
I^2 (total heterogeneity / total variability):   0.00%
H^2 (total variability / sampling variability):  1.00

Test for Heterogeneity:
Q(df = 5) = 0.0265, p-val = 1.0000

Model Results:

estimate      se    zval    pval   ci.lb   ci.ub
  0.2019  0.0542  3.7222  0.0002  0.0956  0.3082"""
    assert rma(R2_Y, R2_V, tau2=0.0).summary().splitlines()[:4] == """\
Random-Effects Model (k = 6; user-specified tau^2 value)

tau^2 (estimated amount of total heterogeneity): 0 (SE = 0.0109)
tau (square root of estimated tau^2 value):      0""".splitlines()


def test_an_equal_effects_meta_regression_prints_metafors_title() -> None:
    """metafor 3.8-1's print(rma(yi, vi, mods = ~ x, method = "EE")) (data above) names
    every FE/EE model with moderators "Fixed-Effects with Moderators Model"; stars left
    out (signif.stars = FALSE)."""
    assert rma(R2_Y, R2_V, mods={"x": R2_X}, method="EE").summary(signif_stars=False) == """\
Fixed-Effects with Moderators Model (k = 6)

I^2 (residual heterogeneity / unaccounted variability): 96.08%
H^2 (unaccounted variability / sampling variability):   25.54
R^2 (amount of heterogeneity accounted for):            0.00%

Test for Residual Heterogeneity:
QE(df = 4) = 102.1482, p-val < .0001

Test of Moderators (coefficient 2):
QM(df = 1) = 4.3633, p-val = 0.0367

Model Results:

         estimate      se    zval    pval    ci.lb   ci.ub
intrcpt    0.1540  0.1067  1.4431  0.1490  -0.0552  0.3632
x          0.0632  0.0303  2.0888  0.0367   0.0039  0.1225"""


def test_predictions_print_and_display_metafors_table() -> None:
    """metafor 3.8-1's print(predict(rma(yi, vi, data = dat))) (dat as in the module
    docstring), which a notebook's display and print() show too:

        pred     se   ci.lb   ci.ub   pi.lb  pi.ub
     -0.7145 0.1798 -1.0669 -0.3622 -1.8667 0.4376"""

    class Printer:
        def __init__(self) -> None:
            self.out = ""

        def text(self, s: str) -> None:
            self.out += s

    pred = rma(YI, VI).predict()
    p = Printer()
    pred._repr_pretty_(p, False)
    assert str(pred) == pred.summary() == p.out
    header, values = str(pred).splitlines()[:2]
    assert header.split() == ["pred", "se", "ci.lb", "ci.ub", "pi.lb", "pi.ub"]
    assert values.split() == ["-0.7145", "0.1798", "-1.0669", "-0.3622", "-1.8667", "0.4376"]


def test_a_model_of_one_coefficient_prints_no_test_of_moderators() -> None:
    """metafor 3.8-1's print(rma(c(0.1, 0.5, 0.3, 0.8), c(0.1, 0.2, 0.1, 0.3),
    mods = ~ 0 + x), signif.stars = FALSE), x = 1:4: the omnibus test of its one
    coefficient is the table's own z test, and metafor prints it only for p > 1."""
    res = rma([0.1, 0.5, 0.3, 0.8], [0.1, 0.2, 0.1, 0.3], mods={"x": [1.0, 2.0, 3.0, 4.0]}, intercept=False)
    text = res.summary(signif_stars=False).splitlines()
    assert not any(line.startswith("Test of Moderators") for line in text)
    assert text[7:] == """\
Test for Residual Heterogeneity:
QE(df = 3) = 1.7004, p-val = 0.6369

Model Results:

   estimate      se    zval    pval    ci.lb   ci.ub
x    0.1481  0.0760  1.9495  0.0512  -0.0008  0.2969""".splitlines()
