# Reference values for metareview.permutest (metafor's permutest.rma.uni) on published
# datasets, exact permutation tests only: random permutations draw from R's random number
# stream, which numpy cannot reproduce, so their p-values are not compared.
#
# For each dataset, on a few studies (so that every test is exact):
# * models without moderators, whose permutations are the 2^k sign flips of yi: every
#   tau^2 estimator under the z and Knapp-Hartung tests, weights given (the total sample
#   sizes ni), weighted = FALSE, a given tau^2, exact = TRUE beyond the default iter,
#   metafor's control options alternative ("less", "greater"), p2defn = "px2" and
#   stat = "coef", and permutation-based CIs (permci = TRUE, also at level 90, and on 4
#   studies, too few permutations, where metafor warns and keeps the model's CIs);
# * meta-regressions, whose permutations are the distinct orders of the rows of X (k!
#   divided by the factorials of the numbers of identical rows): one or two moderators,
#   a moderator with ties, btt, the control options, and permci (TRUE, and 2: the
#   moderator's alone; on the first 7 studies of dat.hackshaw1998 and dat.molloy2014, 35
#   orders, too coarse for any bound, NA; on studies 4 to 9 of dat.bcg and 7 to 12 of
#   dat.molloy2014, 360 and 60 orders, fine enough);
# (metafor cannot permute a model of one moderator without intercept: X[permmat[i, ], ]
# of a one-column X fails), each with the p-values (pval, QMp), the model's statistics (beta, se, zval, QM, QMdf,
# ci), exact.iter, the number of permutations run and the permutation distributions
# QM.perm, zval.perm and beta.perm (one array per coefficient, in metafor's order of the
# permutations), the lines print.permutest.rma.uni writes ("printed") and the warnings
# given.
# * rule: which (iter, exact) make the test exact, from the number of permutations run
#   (iter small; seed fixed so that this file is reproducible; nothing else is kept).
#
# dat.bcg: log risk ratios, mods ablat and year (centred at 1960, as in
# make_anova_fixtures.R). dat.hackshaw1998: log odds ratios, moderator casecontrol (1 for
# a case-control study). dat.molloy2014: Fisher's z of correlations (escalc "ZCOR"),
# moderators meanage and quality.
# The iterative estimators (ML, REML, PM, PMM, EB, SJ) run to convergence (threshold =
# tol = 1e-12; fixture_models.R), and so does every refit of permutest, which passes the
# model's control on. Models without moderators are fitted to the first 6 studies (7 of
# dat.molloy2014) for every estimator and to 8 or 10 for the others.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_permutest_fixtures.R
# Writes tests/reference/metafor_permutest/<dataset>.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc_compact(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
source("tests/reference/fixture_models.R")  # spec(), fitter()
out_dir <- "tests/reference/metafor_permutest"
dir.create(out_dir, showWarnings = FALSE)

methods <- c("EE", "FE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM", "PMM")

# The arguments of permutest besides the fit: exact, iter and metafor's control options.
# permci (TRUE or 1-based coefficients) only where asked for.
perm_args <- function(exact = FALSE, iter = 1000, permci = FALSE, ...) {
  a <- list(exact = exact, iter = iter, control = list(...))
  if (!isFALSE(permci)) a$permci <- I(permci)
  a
}

perm_block <- function(pt, dists = TRUE) {
  cols <- function(df) lapply(as.list(df), function(x) I(as.numeric(x)))
  out <- list(pval = I(as.numeric(pt$pval)), QMp = pt$QMp, QM = pt$QM, QMdf = I(pt$QMdf),
       beta = I(as.numeric(pt$beta)), se = I(as.numeric(pt$se)), zval = I(as.numeric(pt$zval)),
       ci_lb = I(as.numeric(pt$ci.lb)), ci_ub = I(as.numeric(pt$ci.ub)), btt = I(pt$btt),
       exact_iter = pt$exact.iter, iter = length(pt$QM.perm),
       alternative = pt$alternative, p2defn = pt$p2defn, stat = pt$stat, permci = pt$permci)
  if (!dists) return(out)
  c(out, list(QM_perm = I(as.numeric(pt$QM.perm)), zval_perm = cols(pt$zval.perm),
              beta_perm = cols(pt$beta.perm)))
}

# A permutation test of the model `s` with the arguments `a`: its block and printout.
# The permutation distributions are kept for up to 128 permutations and where `dists`
# asks for them (one case of each kind beyond that): they make up most of the file, and
# every case's p-values, statistics and printout are compared whatever is kept.
entry <- function(fit, s, a, dists = FALSE) {
  res <- fit(s)
  r <- run(do.call(permutest, c(list(res, progbar = FALSE), lapply(a, unclass))))
  pt <- r$res
  keep <- dists || length(pt$QM.perm) <= 128
  list(model = s, args = a, result = perm_block(pt, keep), printed = I(capture.output(print(pt))),
       warnings = I(r$warnings))
}

# fitter() with btt (1-based) passed on to rma
fitter_btt <- function(yi, vi, mods, ni) {
  base <- fitter(yi, vi, mods, ni)
  function(s) {
    res <- base(s)
    if (is.null(s$btt)) return(res)
    update(res, btt = unclass(s$btt))
  }
}

write_case <- function(name, source, yi, vi, ni, mods, int_k, int_extra, mreg, rule) {
  fit <- fitter_btt(yi, vi, mods, ni)
  sub_int <- seq_along(yi) <= int_k
  cases <- list()
  for (method in methods) for (test in c("z", "knha")) {
    cases[[paste("int", method, test, sep = "_")]] <- entry(fit, spec(character(0), method, test, subset = sub_int), perm_args())
  }
  for (id in names(int_extra)) {
    x <- int_extra[[id]]
    cases[[paste0("int_", id)]] <- entry(fit, x$s, x$a)
  }
  for (id in names(mreg)) {
    x <- mreg[[id]]
    cases[[paste0("mreg_", id)]] <- entry(fit, x$s, x$a, isTRUE(x$dists))
  }
  rules <- list()
  for (id in names(rule)) {
    x <- rule[[id]]
    res <- fit(x$s)
    pt <- do.call(permutest, c(list(res, progbar = FALSE, seed = 1), x$a))
    rules[[id]] <- list(model = x$s, args = x$a, exact_iter = pt$exact.iter, iter = length(pt$QM.perm))
  }
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    control = ctl,
    yi = I(as.numeric(yi)), vi = I(as.numeric(vi)), ni = I(as.numeric(ni)),
    mods = lapply(as.list(as.data.frame(mods)), I),
    cases = cases, rule = rules
  )
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

# ---------------------------------------------------------------------------- dat.bcg
bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
k <- nrow(bcg)
s8 <- seq_len(k) <= 8
s10 <- seq_len(k) <= 10
s7 <- seq_len(k) <= 7
s6 <- seq_len(k) <= 6
write_case(
  "dat.bcg__RR",
  "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg); mods ablat, year - 1960",
  bcg$yi, bcg$vi, with(dat.bcg, tpos + tneg + cpos + cneg),
  cbind(ablat = dat.bcg$ablat, year = dat.bcg$year - 1960),
  int_k = 6,
  int_extra = list(
    k10_exact = list(s = spec(character(0), "REML", "z", subset = s10), a = perm_args(exact = TRUE)),
    k10_iter = list(s = spec(character(0), "DL", "knha", subset = s10), a = perm_args(iter = 2000)),
    weights = list(s = spec(character(0), "REML", "z", subset = s8, weights = "ni"), a = perm_args()),
    weights_knha = list(s = spec(character(0), "DL", "knha", subset = s8, weights = "ni"), a = perm_args()),
    unweighted = list(s = spec(character(0), "DL", "z", subset = s8, weighted = FALSE), a = perm_args()),
    tau2 = list(s = spec(character(0), "REML", "knha", subset = s8, tau2 = 0.1), a = perm_args()),
    less = list(s = spec(character(0), "REML", "z", subset = s8), a = perm_args(alternative = "less")),
    greater = list(s = spec(character(0), "REML", "z", subset = s8), a = perm_args(alternative = "greater")),
    px2 = list(s = spec(character(0), "REML", "knha", subset = s8), a = perm_args(p2defn = "px2")),
    coef = list(s = spec(character(0), "DL", "z", subset = s8), a = perm_args(stat = "coef")),
    coef_px2 = list(s = spec(character(0), "DL", "z", subset = s8), a = perm_args(stat = "coef", p2defn = "px2")),
    permci_REML_z = list(s = spec(character(0), "REML", "z", subset = s8), a = perm_args(permci = TRUE)),
    permci_DL_knha = list(s = spec(character(0), "DL", "knha", subset = s8), a = perm_args(permci = TRUE)),
    permci_level90 = list(s = spec(character(0), "REML", "z", subset = s8, level = 90), a = perm_args(permci = TRUE)),
    permci_too_few = list(s = spec(character(0), "REML", "z", subset = seq_len(k) <= 4), a = perm_args(permci = TRUE))
  ),
  mreg = list(
    ablat_REML_z = list(s = spec("ablat", "REML", "z", subset = s7), a = perm_args(exact = TRUE), dists = TRUE),
    ablat_REML_knha = list(s = spec("ablat", "REML", "knha", subset = s7), a = perm_args(exact = TRUE)),
    ablat_DL_z = list(s = spec("ablat", "DL", "z", subset = s7), a = perm_args(iter = 3000)),
    ablat_FE_z = list(s = spec("ablat", "FE", "z", subset = s7), a = perm_args(exact = TRUE)),
    ablat_permci = list(s = spec("ablat", "DL", "z", subset = seq_len(k) %in% 4:9), a = perm_args(permci = 2)),
    both_REML_z = list(s = spec(c("ablat", "year"), "REML", "z", subset = s6), a = perm_args(), dists = TRUE),
    both_ML_knha = list(s = spec(c("ablat", "year"), "ML", "knha", subset = s6), a = perm_args()),
    both_btt = list(s = spec(c("ablat", "year"), "REML", "z", subset = s6, btt = 3), a = perm_args()),
    both_weights = list(s = spec(c("ablat", "year"), "REML", "knha", subset = s6, weights = "ni"), a = perm_args()),
    both_tau2 = list(s = spec(c("ablat", "year"), "DL", "z", subset = s6, tau2 = 0.05), a = perm_args()),
    both_greater = list(s = spec(c("ablat", "year"), "REML", "z", subset = s6), a = perm_args(alternative = "greater")),
    both_less_coef = list(s = spec(c("ablat", "year"), "DL", "knha", subset = s6), a = perm_args(alternative = "less", stat = "coef")),
    both_px2 = list(s = spec(c("ablat", "year"), "REML", "z", subset = s6), a = perm_args(p2defn = "px2")),
    both_px2_coef = list(s = spec(c("ablat", "year"), "REML", "knha", subset = s6), a = perm_args(p2defn = "px2", stat = "coef"))
  ),
  rule = list(
    int_iter_255 = list(s = spec(character(0), "REML", "z", subset = s8), a = perm_args(iter = 255)),
    int_iter_256 = list(s = spec(character(0), "REML", "z", subset = s8), a = perm_args(iter = 256)),
    int_k10 = list(s = spec(character(0), "REML", "z", subset = s10), a = perm_args(iter = 50)),
    int_k13 = list(s = spec(character(0), "REML", "z"), a = perm_args(iter = 20)),
    mreg_ablat = list(s = spec("ablat", "REML", "z", subset = s7), a = perm_args(iter = 2519)),
    mreg_ablat_2520 = list(s = spec("ablat", "REML", "z", subset = s7), a = perm_args(iter = 2520)),
    mreg_k13 = list(s = spec(c("ablat", "year"), "DL", "z"), a = perm_args(iter = 20)),
    mreg_k8 = list(s = spec("ablat", "DL", "z", subset = s8), a = perm_args(iter = 20))
  )
)

# ---------------------------------------------------------------------- dat.hackshaw1998
hs <- dat.hackshaw1998
cc <- as.numeric(hs$design == "case-control")
s7 <- seq_len(nrow(hs)) <= 7
s10 <- seq_len(nrow(hs)) <= 10
write_case(
  "dat.hackshaw1998__OR",
  "dat.hackshaw1998 (yi, vi: log odds ratios); mods casecontrol = design == \"case-control\"",
  hs$yi, hs$vi, hs$cases, cbind(casecontrol = cc),
  int_k = 6,
  int_extra = list(
    k10_REML_knha = list(s = spec(character(0), "REML", "knha", subset = s10), a = perm_args(exact = TRUE)),
    k10_DL_z = list(s = spec(character(0), "DL", "z", subset = s10), a = perm_args(exact = TRUE))
  ),
  mreg = list(
    cc_REML_knha = list(s = spec("casecontrol", "REML", "knha", subset = s7), a = perm_args()),
    cc_DL_z = list(s = spec("casecontrol", "DL", "z", subset = s7), a = perm_args()),
    cc_permci = list(s = spec("casecontrol", "REML", "knha", subset = s7), a = perm_args(permci = TRUE)),
    cc_permci_2 = list(s = spec("casecontrol", "DL", "z", subset = s7), a = perm_args(permci = 2))
  ),
  rule = list(
    mreg_cc_34 = list(s = spec("casecontrol", "REML", "z", subset = s7), a = perm_args(iter = 34)),
    mreg_cc_35 = list(s = spec("casecontrol", "REML", "z", subset = s7), a = perm_args(iter = 35)),
    mreg_cc_exact = list(s = spec("casecontrol", "REML", "z", subset = s7), a = perm_args(iter = 2, exact = TRUE))
  )
)

# ------------------------------------------------------------------------ dat.molloy2014
ml <- escalc("ZCOR", ri = ri, ni = ni, data = dat.molloy2014)
s6 <- seq_len(nrow(ml)) <= 6
s7 <- seq_len(nrow(ml)) <= 7
write_case(
  "dat.molloy2014__ZCOR",
  "escalc(\"ZCOR\", ri = ri, ni = ni, data = dat.molloy2014); mods meanage, quality",
  ml$yi, ml$vi, ml$ni, cbind(meanage = ml$meanage, quality = ml$quality),
  int_k = 7,
  int_extra = list(),
  mreg = list(
    meanage_REML_z = list(s = spec("meanage", "REML", "z", subset = s6), a = perm_args()),
    meanage_SJ_knha = list(s = spec("meanage", "SJ", "knha", subset = s6), a = perm_args()),
    quality_REML_knha = list(s = spec("quality", "REML", "knha", subset = s7), a = perm_args()),
    quality_permci = list(s = spec("quality", "REML", "z", subset = s7), a = perm_args(permci = TRUE)),
    quality_permci_2 = list(s = spec("quality", "DL", "z", subset = seq_len(nrow(ml)) %in% 7:12), a = perm_args(permci = 2)),
    both_REML_z = list(s = spec(c("meanage", "quality"), "REML", "z", subset = s6), a = perm_args(exact = TRUE))
  ),
  rule = list()
)
