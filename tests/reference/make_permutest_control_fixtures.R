# Reference values for metareview.permutest under metafor's default control, where the
# model's refits may stop without converging: dat.colditz1994 (log risk ratios, studies
# 1 to 6, moderator ablat), REML, permutest(res, exact = TRUE, permci = 1).
#
# Under metafor's default control (threshold 1e-5, maxiter 100) one of the 360 refits
# does not converge: metafor drops it (NA) from the proportions, and that one refit moves
# the intercept's permutation-based lower bound a long way. The same test with the
# control of the other fixtures (threshold = tol = 1e-12, maxiter = 10000) refits all 360.
# Both are kept ("default" and "tight"), each with its p-values, CI bounds and the number
# of refits that failed; metareview reproduces "default" with control=METAFOR_DEFAULTS
# and "tight" with its own default control.
#
# "search": metafor's control options of the permci search, on the first 10 studies
# without moderators (REML, the tight control; 1024 sign flips): cialt = "two.sided",
# distfac and tol, and maxiter = 3 (uniroot stops before it converges).
#
# A separate file from make_permutest_fixtures.R, whose files this one leaves as they are.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite; about
# 10 minutes, most of it the permci searches):
#     Rscript tests/reference/make_permutest_control_fixtures.R
# Writes tests/reference/metafor_permutest_control/dat.colditz1994__RR.json.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc_compact(), run()

out_dir <- "tests/reference/metafor_permutest_control"
dir.create(out_dir, showWarnings = FALSE)

dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.colditz1994)[1:6, ]
controls <- list(default = list(), tight = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))

tests <- lapply(controls, function(ctl) {
  res <- rma(yi, vi, mods = ~ablat, data = dat, method = "REML", control = ctl)
  r <- run(permutest(res, exact = TRUE, permci = 1, progbar = FALSE))
  pt <- r$res
  list(model_control = ctl, tau2 = res$tau2, beta = I(as.numeric(res$beta)),
       pval = I(as.numeric(pt$pval)), QMp = pt$QMp,
       ci_lb = I(as.numeric(pt$ci.lb)), ci_ub = I(as.numeric(pt$ci.ub)),
       iter = length(pt$QM.perm), failed = sum(is.na(pt$QM.perm)), warnings = I(r$warnings))
})

tight <- controls$tight
search_args <- list(
  two_sided = list(cialt = "two.sided"),
  distfac_tol = list(distfac = 2, tol = 1e-8),
  maxiter = list(maxiter = 3)
)
full <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.colditz1994)[1:10, ]
res10 <- rma(yi, vi, data = full, method = "REML", control = tight)
search <- lapply(search_args, function(a) {
  r <- run(permutest(res10, exact = TRUE, permci = TRUE, progbar = FALSE, control = a))
  pt <- r$res
  list(control = a, pval = I(as.numeric(pt$pval)), ci_lb = I(as.numeric(pt$ci.lb)),
       ci_ub = I(as.numeric(pt$ci.ub)), iter = length(pt$QM.perm), warnings = I(r$warnings))
})

out <- list(
  case = "dat.colditz1994__RR",
  source = "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.colditz1994)[1:6, ]; mods ablat; REML; permutest(res, exact = TRUE, permci = 1)",
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  yi = I(as.numeric(dat$yi)), vi = I(as.numeric(dat$vi)), ablat = I(as.numeric(dat$ablat)),
  tests = tests,
  search_model = list(studies = 10, method = "REML", control = tight,
                      yi = I(as.numeric(full$yi)), vi = I(as.numeric(full$vi))),
  search = search
)
writeLines(enc(out), file.path(out_dir, "dat.colditz1994__RR.json"))
