# Reference values from metafor for the R^2 of an equal-effects meta-regression (FE or
# EE) whose effect sizes are all equal.
#
# metafor gives such a model R^2 = 0 (its identical(var(yi), 0)) before it would take
# the adjusted R^2 of lm(yi ~ X, weights = ...), floored at 0. R's var() refines the
# mean with a second pass, so equal values have a variance of exactly 0; a one-pass
# variance can leave a residue (three yi of 0.7 average to 0.7 + 1.1e-16), from which
# lm fits rounding noise and any R^2 from 0 to 100%. The data below are such cases:
# three or six equal yi with one or two moderators, fitted with inverse-variance weights
# (FE and EE), with given weights and unweighted.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_equal_effects_fixtures.R
# Writes tests/reference/metafor_equal_effects/r2.json and k2.json, the two-study fits at
# the end (17 significant digits; see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

out_dir <- "tests/reference/metafor_equal_effects"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # enc_compact()

# name = list(yi, vi, mods, variant), the variant one of FE, EE, FE with the given
# weights (FE_weights) and FE unweighted (FE_unweighted)
cases <- list(
  three_0.7_FE = list(yi = rep(0.7, 3), vi = c(0.02, 0.03, 0.08), mods = cbind(x = c(-0.6, -0.5, -0.2)),
                      method = "FE"),
  three_0.7_EE = list(yi = rep(0.7, 3), vi = c(0.02, 0.03, 0.08), mods = cbind(x = c(-0.6, -0.5, -0.2)),
                      method = "EE"),
  three_0.7_FE_unweighted = list(yi = rep(0.7, 3), vi = c(0.02, 0.03, 0.08),
                                 mods = cbind(x = c(-0.6, -0.5, -0.2)), method = "FE", weighted = FALSE),
  three_0.7_FE_weights = list(yi = rep(0.7, 3), vi = c(0.1, 0.07, 0.06), mods = cbind(x = c(-2.2, -0.5, 0.3)),
                              method = "FE", weights = c(1, 5, 1)),
  six_0.7_FE = list(yi = rep(0.7, 6), vi = c(0.06, 0.08, 0.1, 0.02, 0.05, 0.02),
                    mods = cbind(x1 = c(0.1, 1, -0.1, 2, -0.1, 0.4), x2 = c(0, 1, 0, 1, 1, 1)), method = "FE"),
  six_minus0.954_FE_unweighted = list(yi = rep(-0.954, 6), vi = c(0.1, 0.08, 0.02, 0.04, 0.06, 0.03),
                                  mods = cbind(x1 = c(0.7, -0.2, 1.1, -1.2, -0.3, 0), x2 = c(1, 1, 0, 1, 1, 1)),
                                  method = "FE", weighted = FALSE),
  six_0.2_FE_weights = list(yi = rep(0.2, 6), vi = c(0.04, 0.02, 0.1, 0.02, 0.01, 0.07),
                            mods = cbind(x1 = c(1, -1.4, -0.2, -0.8, 0.3, -1.4), x2 = c(0, 1, 1, 1, 0, 1)),
                            method = "FE", weights = c(4, 4, 3, 5, 3, 2))
)

fits <- list()
for (name in names(cases)) {
  d <- cases[[name]]
  stopifnot(identical(var(d$yi), 0))
  res <- do.call(rma, d)
  fits[[name]] <- list(
    yi = I(d$yi), vi = I(d$vi), mods = lapply(as.data.frame(d$mods), I), method = d$method,
    weights = if (!is.null(d$weights)) I(d$weights), weighted = is.null(d$weighted), R2 = res$R2)
}

out <- list(
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  fits = fits)
writeLines(enc_compact(out), file.path(out_dir, "r2.json"))

# Two studies: the equal-effects (EE) fit the report gives beside a random-effects model
# whose Hartung-Knapp interval is on t with 1 df (metareview.analysis.equal_effects_fit),
# at 95% and 90%, with the REML fit (test "adhoc", the example's) it stands beside. The
# data: two hand-made pairs (trials that agree, one clearly off zero and one not; trials on
# either side of zero, with tau^2 > 0), one with very unequal precision, and the first two
# studies of the public fixtures dat.normand1999 (SMD) and dat.bcg (log RR), escalc's
# defaults.
smd <- escalc(measure = "SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
              data = dat.normand1999[1:2, ])
rr <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg[1:2, ])
pairs <- list(
  agree = list(yi = c(-0.5, -0.9), vi = c(0.15, 0.25)),
  either_side = list(yi = c(0.42, -0.31), vi = c(0.02, 0.03)),
  unequal_precision = list(yi = c(0.169, 0.0486), vi = c(0.0125, 0.852)),
  normand1999_SMD_1_2 = list(yi = as.numeric(smd$yi), vi = as.numeric(smd$vi)),
  bcg_RR_1_2 = list(yi = as.numeric(rr$yi), vi = as.numeric(rr$vi))
)

k2 <- list()
for (name in names(pairs)) {
  d <- pairs[[name]]
  block <- list(yi = I(d$yi), vi = I(d$vi))
  for (level in c(95, 90)) {
    ee <- rma(d$yi, d$vi, method = "EE", level = level)
    re <- rma(d$yi, d$vi, method = "REML", test = "adhoc", level = level,
              control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))
    block[[paste0("EE_", level)]] <- list(
      method = ee$method, test = ee$test, level = level, k = ee$k, estimate = as.numeric(ee$beta),
      se = ee$se, zval = ee$zval, pval = ee$pval, ci_lb = ee$ci.lb, ci_ub = ee$ci.ub, QE = ee$QE,
      QEp = ee$QEp, I2 = ee$I2, H2 = ee$H2, weights_pct = I(as.numeric(weights(ee))))
    block[[paste0("REML_adhoc_", level)]] <- list(
      method = re$method, test = re$test, level = level, df = re$ddf, estimate = as.numeric(re$beta),
      se = re$se, ci_lb = re$ci.lb, ci_ub = re$ci.ub, tau2 = re$tau2)
  }
  k2[[name]] <- block
}

out <- list(
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  fits = k2)
writeLines(enc_compact(out), file.path(out_dir, "k2.json"))
