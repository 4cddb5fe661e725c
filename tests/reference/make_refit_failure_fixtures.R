# Reference values for leave-one-out, cumulative and influence refits that fail to
# converge under metafor's default control (Fisher scoring: threshold 1e-5, maxiter 100;
# uniroot on [0, max(100, 10 mad(yi)^2)] for PM and PMM).
#
# metafor fits each subset inside try() and records a refit that fails as NA, going on
# with the others; the model itself converges. The data sets were found by search: for
# each, a subset's Fisher scoring oscillates past 100 iterations, or its PMM root lies
# beyond uniroot's interval.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_refit_failure_fixtures.R
# Writes tests/reference/metafor_refit_failure/refits.json: per data set (yi, vi, method)
# the model's tau2 and estimate, and the leave1out(), cumul() and influence() columns
# (NA as null); 17 significant digits (see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc(), run()

out_dir <- "tests/reference/metafor_refit_failure"
dir.create(out_dir, showWarnings = FALSE)

data <- list(
  # without study 4, REML's Fisher scoring does not converge (so cumul's third fit too)
  reml_k4 = list(yi = c(0.95, -0.82, -0.11, -0.34), vi = c(0.5243, 0.316, 0.0282, 0.3685),
                 method = "REML"),
  # without study 3, ML's Fisher scoring does not converge
  ml_k6 = list(yi = c(0.31, -0.37, 0.49, -0.78, -0.25, 1.76),
               vi = c(0.0907, 0.0423, 4.0865, 0.2542, 0.025, 0.5002), method = "ML"),
  # without study 6, and for the cumulative fits of 3 to 5 studies, PMM's root lies
  # beyond uniroot's interval: "Value of 'tau2.max' too low", recorded as NA
  pmm_k8 = list(yi = c(1436, 477.6, 561.6, 448.4, 84, 760, 391.3, 1187),
                vi = c(67590, 40320, 17230, 140700, 42060, 108400, 7432, 139600), method = "PMM")
)

out <- list()
for (name in names(data)) {
  d <- data[[name]]
  res <- rma(d$yi, d$vi, method = d$method)
  l1 <- leave1out(res)
  cu <- cumul(res)
  inf <- influence(res)
  # (metafor 3.8-1's cumul() names its p-values "pvals"; they are written as "pval")
  cols <- function(x, fields) {
    setNames(lapply(fields, function(f) I(as.numeric(if (is.null(x[[f]])) x[["pvals"]] else x[[f]]))),
             fields)
  }
  fields <- c("estimate", "se", "zval", "pval", "ci.lb", "ci.ub", "Q", "Qp", "tau2", "I2", "H2")
  out[[name]] <- list(
    yi = I(d$yi), vi = I(d$vi), method = d$method,
    tau2 = res$tau2, estimate = as.numeric(res$b),
    leave1out = cols(l1, fields),
    cumul = cols(cu, fields),
    influence = c(cols(inf$inf, c("rstudent", "dffits", "cook.d", "cov.r", "tau2.del",
                                  "QE.del", "hat", "weight")),
                  list(dfbs = I(as.numeric(inf$dfbs[[1]])), is.infl = I(inf$is.infl)))
  )
}

writeLines(enc(out), file.path(out_dir, "refits.json"))
