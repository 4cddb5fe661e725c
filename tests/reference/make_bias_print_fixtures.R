# What metafor prints for the small-study and publication-bias analyses: regtest (models
# rma and lm; predictors sei, vi, ni, ninv; z and Knapp-Hartung t tests; an FE model),
# ranktest (with a constant variable, where tau is NA), fsn (Rosenthal; an infinite N
# from a study of vi = 0) and trimfill (sides left and right, estimators L0 and R0, k0 = 0
# and an FE model), on metadat's dat.bcg (log risk ratios; escalc keeps the total sample
# sizes) and dat.hackshaw1998 (log odds ratios), and a few small inline data sets (one
# asymmetric enough for p < .0001).
#
# Fits run to convergence (threshold = tol = 1e-12), as metareview's do, except trimfill's:
# metafor refits the filled model under its default control whatever the input model's,
# so those cases fit under the default control throughout (control "metafor", which
# metareview matches with control=METAFOR_DEFAULTS). Significance stars are switched off
# (show.signif.stars), as metareview's summary(signif_stars=False) prints a model;
# make_resid_fixtures.R records a trimfill print with R's default stars.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_bias_print_fixtures.R
# Writes tests/reference/metafor_print/bias.json: per case the call (r_call), the data
# (yi, vi, ni; ni null where not needed), the model's method, test and control, the analysis
# (what) and its arguments (args), and the lines print() writes (lines), as R prints
# them at width 200, less the empty first and last lines.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc()

out_dir <- "tests/reference/metafor_print"
dir.create(out_dir, showWarnings = FALSE)
options(width = 200, show.signif.stars = FALSE)
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg_ni <- attr(bcg$yi, "ni")
hack <- dat.hackshaw1998

data_sets <- list(
  bcg = list(yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi), ni = as.numeric(bcg_ni)),
  hackshaw = list(yi = hack$yi, vi = hack$vi, ni = NULL),
  tied = list(yi = c(1, 1), vi = c(1, 2), ni = NULL),
  zero_vi = list(yi = c(0.5, 0.3, 0.2), vi = c(0, 0.1, 0.2), ni = NULL),
  weak = list(yi = c(0.1, -0.05, 0.2), vi = c(0.04, 0.05, 0.06), ni = NULL),
  # effects growing with their standard errors: an asymmetry test with p < .0001
  asym = list(yi = 0.1 + 2 * sqrt((1:12) / 50) + rep(c(0.02, -0.03, 0.01), 4),
              vi = (1:12) / 50, ni = NULL)
)

# name = list(data, method, test, what, args): what is the analysis, args its arguments
cases <- list(
  regtest_rma_sei = list("bcg", "REML", "z", "regtest", list(model = "rma", predictor = "sei")),
  regtest_lm_sei = list("bcg", "REML", "z", "regtest", list(model = "lm", predictor = "sei")),
  regtest_rma_ni = list("bcg", "REML", "z", "regtest", list(model = "rma", predictor = "ni")),
  regtest_lm_ni = list("bcg", "REML", "z", "regtest", list(model = "lm", predictor = "ni")),
  regtest_rma_ninv = list("bcg", "REML", "z", "regtest", list(model = "rma", predictor = "ninv")),
  regtest_knha_sei = list("bcg", "REML", "knha", "regtest", list(model = "rma", predictor = "sei")),
  regtest_fe_vi = list("hackshaw", "FE", "z", "regtest", list(model = "rma", predictor = "vi")),
  regtest_dl_sei = list("hackshaw", "DL", "z", "regtest", list(model = "rma", predictor = "sei")),
  regtest_lm_asym = list("asym", "FE", "z", "regtest", list(model = "lm", predictor = "sei")),
  ranktest_bcg = list("bcg", "REML", "z", "ranktest", list()),
  ranktest_hackshaw = list("hackshaw", "REML", "z", "ranktest", list()),
  ranktest_tied = list("tied", "FE", "z", "ranktest", list()),
  fsn_bcg = list("bcg", "REML", "z", "fsn", list(alpha = 0.05)),
  fsn_hackshaw = list("hackshaw", "REML", "z", "fsn", list(alpha = 0.01)),
  fsn_zero_vi = list("zero_vi", "FE", "z", "fsn", list(alpha = 0.05)),
  fsn_weak = list("weak", "FE", "z", "fsn", list(alpha = 0.05)),
  trimfill_bcg = list("bcg", "REML", "z", "trimfill", list(estimator = "L0")),
  trimfill_bcg_left = list("bcg", "REML", "z", "trimfill", list(side = "left", estimator = "L0")),
  trimfill_bcg_r0 = list("bcg", "REML", "z", "trimfill", list(estimator = "R0")),
  trimfill_bcg_knha_k0 = list("bcg", "REML", "knha", "trimfill", list(side = "left", estimator = "L0")),
  trimfill_hackshaw = list("hackshaw", "REML", "z", "trimfill", list(estimator = "L0")),
  trimfill_hackshaw_r0 = list("hackshaw", "REML", "z", "trimfill", list(side = "left", estimator = "R0")),
  trimfill_hackshaw_fe = list("hackshaw", "FE", "z", "trimfill", list(estimator = "L0"))
)

args_text <- function(a) {
  if (length(a) == 0) return("")
  paste0(", ", paste(sprintf("%s = %s", names(a),
                             vapply(a, function(v) if (is.character(v)) sprintf("\"%s\"", v) else format(v), "")),
                     collapse = ", "))
}

out <- list()
for (name in names(cases)) {
  cs <- cases[[name]]
  d <- data_sets[[cs[[1]]]]
  method <- cs[[2]]
  test <- cs[[3]]
  what <- cs[[4]]
  a <- cs[[5]]
  # ranktest and fsn read the data alone (the model of a study of vi = 0 under FE fails)
  con <- if (what == "trimfill") list() else ctl
  fit <- if (what %in% c("ranktest", "fsn")) NULL
         else if (is.null(d$ni)) rma(d$yi, d$vi, method = method, test = test, control = con)
         else rma(d$yi, d$vi, ni = d$ni, method = method, test = test, control = con)
  obj <- switch(what,
    regtest = regtest(fit, model = a$model, predictor = a$predictor),
    ranktest = suppressWarnings(ranktest(d$yi, d$vi)),
    fsn = fsn(d$yi, d$vi, alpha = a$alpha),
    trimfill = do.call(trimfill, c(list(fit), a))
  )
  lines <- capture.output(print(obj))
  # metafor opens and closes each print with an empty line
  while (length(lines) && !nzchar(trimws(lines[1]))) lines <- lines[-1]
  while (length(lines) && !nzchar(trimws(lines[length(lines)]))) lines <- lines[-length(lines)]
  r_fit <- sprintf("rma(yi, vi%s, method = \"%s\", test = \"%s\")",
                   if (is.null(d$ni)) "" else ", ni = ni", method, test)
  r_call <- switch(what,
    ranktest = "print(ranktest(yi, vi))",
    fsn = sprintf("print(fsn(yi, vi%s))", args_text(a)),
    sprintf("print(%s(%s%s))", what, r_fit, args_text(a))
  )
  out[[name]] <- list(
    r_call = sprintf("%s [%s]", r_call, cs[[1]]), what = what, method = method, test = test,
    control = if (what == "trimfill") "metafor" else "converged",
    args = if (length(a)) a else setNames(list(), character(0)),
    yi = I(d$yi), vi = I(d$vi), ni = if (is.null(d$ni)) NULL else I(d$ni),
    lines = I(lines)
  )
}

writeLines(enc(out), file.path(out_dir, "bias.json"))
