# Reference values for rma() given one sampling variance or standard error for all
# studies, and for data metafor refuses as not numeric.
#
# metafor's rma.uni recycles a vi (or sei) of length one to every study (a common
# variance, as in a simulation or a sensitivity analysis of equal precision), and stops
# on effect sizes or moderators given as text ("The object/variable specified for the
# 'yi' argument is not numeric.", "Model matrix contains character variables.").
#
# Run from the repository root (R 4.2.2, metafor 3.8-1):
#     Rscript tests/reference/make_scalar_variance_fixtures.R
# Writes tests/reference/metafor_scalar_variance/scalar.json: per case its data, the
# arguments, then b, se, tau2, se.tau2, ci.lb, ci.ub, QE, I2, H2; and the error message
# of each input metafor refuses. 17 significant digits (see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc()

out_dir <- "tests/reference/metafor_scalar_variance"
dir.create(out_dir, showWarnings = FALSE)

yi <- c(0.1, 0.5, -0.2, 0.8, 0.3, 0.05, 0.4)
x <- c(1, 2, 3, 4, 5, 6, 7)

fields <- function(r) {
  list(b = I(as.numeric(r$b)), se = I(as.numeric(r$se)), tau2 = r$tau2, se_tau2 = r$se.tau2,
       ci_lb = I(as.numeric(r$ci.lb)), ci_ub = I(as.numeric(r$ci.ub)), QE = r$QE, I2 = r$I2, H2 = r$H2)
}
refused <- function(expr) tryCatch({ force(expr); NA_character_ }, error = function(e) conditionMessage(e))

cases <- list()
for (method in c("REML", "DL", "EE")) {
  for (test in c("z", "knha")) {
    cases[[paste("vi", method, test, sep = "_")]] <- c(
      list(yi = I(yi), vi = 0.05, method = method, test = test),
      fields(rma(yi, 0.05, method = method, test = test)))
    cases[[paste("sei", method, test, sep = "_")]] <- c(
      list(yi = I(yi), sei = 0.2, method = method, test = test),
      fields(rma(yi, sei = 0.2, method = method, test = test)))
  }
}
cases[["vi_REML_mods"]] <- c(
  list(yi = I(yi), vi = 0.05, method = "REML", test = "z", mods = I(x)),
  fields(rma(yi, 0.05, mods = x)))

out <- list(
  fits = cases,
  refused = list(
    text_yi = refused(rma(as.character(yi), rep(0.05, 7))),
    text_mods = refused(rma(yi, 0.05, mods = as.character(x))),
    vi_of_another_length = refused(rma(yi, c(0.05, 0.04)))
  )
)
writeLines(enc(out), file.path(out_dir, "scalar.json"))
