# Reference values from metafor for the Q-profile confidence interval of tau^2 in
# meta-regressions with sampling variances of about 1e-6.
#
# With such variances the weights are ~1e6 while the residuals y - X b keep only about
# 13 of their digits (yi near 0.5, residuals near 1e-3), so the generalised Q statistic
# is known to ~1e-14 of itself near the bound, and a Newton search for Q(tau^2) = the
# chi-square quantile meets that noise before its step shrinks below a relative 1e-14.
# metafor's uniroot stops at its absolute tolerance. The two data sets are meta-
# regressions with one moderator (k = 4 and k = 13), fitted by REML.
#
# tau^2 is ~1e-7 here, so the absolute tolerances of metafor's defaults (threshold 1e-5,
# uniroot tol 1.2e-4) and of the other fixtures (1e-12) are relative 1e-5 at best: the
# fits and the bounds are run with threshold = tol = 1e-20 (relative 1e-13).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_qprofile_fixtures.R
# Writes tests/reference/metafor_qprofile/tiny_vi.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

out_dir <- "tests/reference/metafor_qprofile"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # enc_compact()

ctl <- list(threshold = 1e-20, tol = 1e-20, maxiter = 10000)

data <- list(
  k4 = list(yi = c(0.639049, 0.639212, 0.637849, 0.6361),
            vi = c(9.7083e-07, 8.773984e-06, 3.72332e-07, 3.136432e-06),
            x = c(2.872, 0.88, -1.139, -0.78)),
  k13 = list(yi = c(-0.466277, -0.466376, -0.467379, -0.466173, -0.463936, -0.467458, -0.46751,
                    -0.466303, -0.466668, -0.465497, -0.467322, -0.469959, -0.466816),
             vi = c(4.024652e-06, 2.4135e-07, 1.45581e-07, 5.133977e-06, 5.279186e-06, 5.66336e-06,
                    8.78657e-07, 3.53262e-07, 1.0332e-07, 1.956329e-06, 2.75308e-06, 4.689628e-06,
                    3.66231e-07),
             x = c(-0.446, 0.775, 0.194, -1.631, -1.195, 0.884, 0.68, -0.64, -0.001, 0.446, 0.468,
                   0.876, 0.256))
)

fits <- list()
for (name in names(data)) {
  d <- data[[name]]
  res <- rma(d$yi, d$vi, mods = cbind(x = d$x), method = "REML", control = ctl)
  ci <- confint(res, control = list(tol = ctl$tol))$random
  fits[[name]] <- list(
    yi = I(d$yi), vi = I(d$vi), x = I(d$x), tau2 = res$tau2,
    tau2_ci = I(unname(ci["tau^2", ])), I2_ci = I(unname(ci["I^2(%)", ])))
}

out <- list(
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  control = ctl, fits = fits)
writeLines(enc_compact(out), file.path(out_dir, "tiny_vi.json"))
