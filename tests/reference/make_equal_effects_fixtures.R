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
# Writes tests/reference/metafor_equal_effects/r2.json (17 significant digits; see
# fixture_json.R).

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
