# Reference values for fsn() (Rosenthal's fail-safe N, Stouffer's test) on data with a
# study whose sampling variance is 0, or below 0.
#
# Such a study's z = yi / sqrt(vi) is infinite (yi != 0) or NaN (yi = 0, or vi < 0 after
# R's warning "NaNs produced"). metafor gives N = Inf with a p-value of 0 when the
# infinite z all have one sign, and stops ("missing value where TRUE/FALSE needed") when
# the sum of the z is NaN: a z of NaN, or infinite z of both signs.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_fsn_fixtures.R
# Writes tests/reference/metafor_fsn/vi0.json: per case yi, vi and alpha, then fsn()'s
# fsnum (null when infinite, with fsnum_inf saying so), pval, the N metafor prints, or
# the error that stops it, and the warnings given on the way (17 significant digits;
# see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc()

out_dir <- "tests/reference/metafor_fsn"
dir.create(out_dir, showWarnings = FALSE)

cases <- list(
  one_positive = list(yi = c(0.2, 0.5, 0.3), vi = c(0.01, 0, 0.04), alpha = 0.05),
  one_negative = list(yi = c(-0.2, -0.5, 0.3), vi = c(0.01, 0, 0.04), alpha = 0.05),
  against_the_rest = list(yi = c(0.2, -0.05, 0.3, 0.4), vi = c(0.01, 0, 0.04, 0.02), alpha = 0.05),
  two_same_sign = list(yi = c(0.2, 0.5, 0.3, 0.1), vi = c(0, 0, 0.04, 0.02), alpha = 0.05),
  alpha_0.01 = list(yi = c(0.1, 0.3, 0.5, 0.2), vi = c(0, 0.02, 0.03, 0.05), alpha = 0.01),
  alpha_0.5 = list(yi = c(0.1, 0.3, 0.5, 0.2), vi = c(0, 0.02, 0.03, 0.05), alpha = 0.5),
  only_study = list(yi = 0.3, vi = 0, alpha = 0.05),
  both_signs = list(yi = c(0.2, -0.5, 0.3), vi = c(0, 0, 0.04), alpha = 0.05),
  zero_effect = list(yi = c(0.2, 0, 0.3), vi = c(0.01, 0, 0.04), alpha = 0.05),
  negative_vi = list(yi = c(0.2, 0.5, 0.3), vi = c(0.01, -0.02, 0.04), alpha = 0.05)
)

out <- list()
for (name in names(cases)) {
  d <- cases[[name]]
  warns <- character(0)
  res <- withCallingHandlers(
    tryCatch(fsn(yi = d$yi, vi = d$vi, alpha = d$alpha),
             error = function(e) structure(list(msg = conditionMessage(e)), class = "err")),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  entry <- list(yi = I(d$yi), vi = I(d$vi), alpha = d$alpha)
  if (inherits(res, "err")) {
    entry$error <- res$msg
  } else {
    printed <- capture.output(print(res))
    entry$fsnum <- res$fsnum
    entry$fsnum_inf <- is.infinite(res$fsnum)
    entry$pval <- res$pval
    entry$printed_n <- trimws(sub(".*Fail-safe N:", "", grep("Fail-safe N:", printed, value = TRUE)))
  }
  entry$warnings <- I(warns)
  out[[name]] <- entry
}

writeLines(enc(out), file.path(out_dir, "vi0.json"))
