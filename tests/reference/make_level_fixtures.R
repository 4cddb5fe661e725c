# Reference values from metafor for how it reads a confidence level.
#
# metafor (its internal .level) takes a level of 1 or more as a percentage, one above
# 0.5 as a proportion and one of 0.5 or less as alpha itself: 95, 0.95 and 0.05 all ask
# for a 95% interval, 1 for a 1% one. This script fits dat.bcg (log risk ratios) at
# levels of each reading and writes the intervals each fit gives: the pooled estimate's
# (z and Knapp-Hartung), the prediction interval, the Q-profile interval of tau^2, each
# study's Wald interval (summary.escalc) and the limit estimate's interval of regtest().
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_level_fixtures.R
# Writes tests/reference/metafor_level/levels.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)

levels <- c(95, 0.95, 0.05, 0.3, 0.7, 1, 50, 0.5, 99.5)
cases <- lapply(levels, function(level) {
  z <- rma(yi, vi, data = dat, method = "REML", level = level, control = ctl)
  kh <- rma(yi, vi, data = dat, method = "REML", test = "knha", level = level, control = ctl)
  pr <- predict(z)
  ci <- confint(z, control = list(tol = 1e-12, maxiter = 10000))
  s <- summary(dat, level = level)
  rt <- regtest(z)
  list(
    level = level,
    z = list(ci_lb = z$ci.lb, ci_ub = z$ci.ub, pi_lb = pr$pi.lb, pi_ub = pr$pi.ub,
             tau2_ci_lb = ci$random["tau^2", "ci.lb"], tau2_ci_ub = ci$random["tau^2", "ci.ub"]),
    knha = list(ci_lb = kh$ci.lb, ci_ub = kh$ci.ub),
    escalc = list(ci_lb = I(s$ci.lb), ci_ub = I(s$ci.ub)),
    regtest = list(ci_lb = rt$ci.lb, ci_ub = rt$ci.ub)
  )
})

out <- list(
  source = "metafor 3.8-1, make_level_fixtures.R",
  data = list(dataset = "dat.bcg", measure = "RR", yi = I(as.numeric(dat$yi)), vi = I(as.numeric(dat$vi))),
  cases = setNames(cases, paste0("level_", sprintf("%g", levels)))
)
writeLines(enc(out), "tests/reference/metafor_level/levels.json")
