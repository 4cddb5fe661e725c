# Reference values for transf in leave1out, cumul and confint (metafor 3.8-1's
# leave1out.rma.uni, cumul.rma.uni and confint.rma.uni).
#
# leave1out and cumul apply transf to each estimate and CI bound (then put the bounds in
# increasing order, .psort) and set se to NA, which their print leaves out; zval, pval,
# Q, tau2, I2 and H2 are the fits'. confint applies it to the fixed effects' estimates
# and bounds only, so only with fixed = TRUE; the random-effects part is as without it.
#
# dat.bcg, log risk ratios: REML (z) and DL (knha) models without moderators, with
# transf = exp and the decreasing function(x) -x, cumul ordered by year; confint of
# those, of a meta-regression on ablat (knha) with random = TRUE and FALSE, and of an
# FE model (random = FALSE, which metafor requires there). REML runs to convergence.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_transf_fixtures.R
# Also sqrt_nan: a small REML model with transf = sqrt, whose negative bounds become NaN
# (leave1out, cumul, confint, predict, blup, ranef).
# Writes tests/reference/metafor_transf/bcg.json (17 significant digits; fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc_compact()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_transf"
dir.create(out_dir, showWarnings = FALSE)

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
transfs <- list(exp = exp, neg = function(x) -x)
printed <- function(x) I(capture.output(print(x)))

# exact names: knha's fits have tval, cumul's p-values are pvals
pick <- function(x, ...) for (n in c(...)) if (!is.null(x[[n]])) return(x[[n]])
fits <- function(x) list(
  estimate = I(x$estimate), se = I(as.numeric(x$se)), zval = I(pick(x, "zval", "tval")),
  pval = I(pick(x, "pval", "pvals")), ci_lb = I(x$ci.lb),
  ci_ub = I(x$ci.ub), Q = I(x$Q), tau2 = I(x$tau2), printed = printed(x))

fixed_part <- function(ci) list(
  coef_names = I(rownames(ci$fixed)), estimate = I(unname(ci$fixed[, "estimate"])),
  ci_lb = I(unname(ci$fixed[, "ci.lb"])), ci_ub = I(unname(ci$fixed[, "ci.ub"])),
  random = if (is.null(ci$random)) NULL else I(unname(c(ci$random))), printed = printed(ci))

models <- list(
  REML_z = list(method = "REML", test = "z"),
  DL_knha = list(method = "DL", test = "knha"))

out <- list(
  source = "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)",
  metafor_version = as.character(packageVersion("metafor")),
  yi = I(c(bcg$yi)), vi = I(c(bcg$vi)), year = I(bcg$year), ablat = I(bcg$ablat))
for (m in names(models)) {
  s <- models[[m]]
  res <- rma(yi, vi, data = bcg, method = s$method, test = s$test, control = ctl)
  for (t in names(transfs)) {
    f <- transfs[[t]]
    out[[paste(m, t, sep = "_")]] <- list(
      method = s$method, test = s$test, transf = t,
      leave1out = fits(leave1out(res, transf = f)),
      cumul = fits(cumul(res, order = bcg$year, transf = f)),
      confint = fixed_part(confint(res, fixed = TRUE, transf = f, control = ctl)))
  }
}
mr <- rma(yi, vi, mods = ~ ablat, data = bcg, test = "knha", control = ctl)
out$mods_REML_knha_exp <- list(
  method = "REML", test = "knha", transf = "exp",
  confint = fixed_part(confint(mr, fixed = TRUE, transf = exp, control = ctl)),
  confint_fixed_only = fixed_part(confint(mr, fixed = TRUE, random = FALSE, transf = exp)))
fe <- rma(yi, vi, data = bcg, method = "FE")
out$FE_z_exp <- list(
  method = "FE", test = "z", transf = "exp",
  confint_fixed_only = fixed_part(confint(fe, fixed = TRUE, random = FALSE, transf = exp)),
  error_random = tryCatch({confint(fe, fixed = TRUE); NULL}, error = function(e) conditionMessage(e)))
# sqrt of a negative bound is NaN: .psort leaves such a pair as it is (the finite bound
# is not copied over the missing one), and .fcf prints a column of only missing values
# as NA and otherwise a NaN as NaN
small <- rma(c(0.1, 0.5, -0.3, 0.2), c(0.02, 0.03, 0.05, 0.04), control = ctl)
pr <- suppressWarnings(predict(small, transf = sqrt))
preds <- function(x) list(pred = I(x$pred), pi_lb = I(x$pi.lb), pi_ub = I(x$pi.ub), printed = printed(x))
out$sqrt_nan <- suppressWarnings(list(
  yi = I(c(0.1, 0.5, -0.3, 0.2)), vi = I(c(0.02, 0.03, 0.05, 0.04)), method = "REML", test = "z",
  leave1out = fits(leave1out(small, transf = sqrt)),
  cumul = fits(cumul(small, transf = sqrt)),
  confint = fixed_part(confint(small, fixed = TRUE, transf = sqrt, control = ctl)),
  predict = list(pred = pr$pred, ci_lb = pr$ci.lb, ci_ub = pr$ci.ub, pi_lb = pr$pi.lb, pi_ub = pr$pi.ub),
  blup = preds(blup(small, transf = sqrt)),
  ranef = preds(ranef(small, transf = sqrt))))
writeLines(enc_compact(out), file.path(out_dir, "bcg.json"))
