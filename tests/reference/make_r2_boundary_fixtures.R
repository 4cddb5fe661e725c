# Reference values from metafor for R^2 of an ML meta-regression whose tau^2 and the
# tau^2 of its model without moderators are both 0 (both at the boundary).
#
# metafor's R^2 is 100 (tau2_RE - tau2) / tau2_RE, and 0 when tau2_RE is exactly 0.
# Its Fisher scoring approaches the boundary step by step and stops wherever the
# threshold stops it, a little above 0, so both tau^2 are stopping noise and their
# ratio, hence R^2, can be anything from 0 to 100: here 0 at the default threshold
# (1e-5), 98.8 at 1e-12 and 0 again at 1e-16, while every tau^2 is below 1e-6.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_r2_boundary_fixtures.R
# Writes tests/reference/metafor_r2_boundary/ml.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

out_dir <- "tests/reference/metafor_r2_boundary"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # enc_compact()

yi <- c(-0.101019, -0.34096, -0.010905, -0.547305, -0.413294, -0.340865, -0.486169, -0.252427,
        0.654314, -0.064604, 0.335444, -0.159699, -0.001622, -0.248862, -0.529945, 0.277332,
        -0.007445, -0.574185, 0.101364)
vi <- c(0.077558428762, 0.079928778775, 0.028394012827, 0.195557357215, 0.153510229014,
        0.025027113171, 0.190803428357, 0.17660049679, 0.178431402953, 0.103152268887,
        0.159150399091, 0.00894958033, 0.027204270925, 0.006234775482, 0.118644297937,
        0.052845198257, 0.124950644419, 0.072447877176, 0.155521098509)
x <- c(-0.182, 0.917, -1.142, 1.318, 0.349, -0.398, -1.265, 1.844, -0.286, -1.302, -0.077, 0.548,
       0.701, 1.558, 0.636, 0.016, 2.32, 2.099, -1.055)

fits <- list()
for (th in c(1e-5, 1e-12, 1e-16)) {
  ctl <- list(threshold = th, maxiter = 100000)
  res <- rma(yi, vi, mods = cbind(x = x), method = "ML", control = ctl)
  res0 <- rma(yi, vi, method = "ML", control = ctl)
  fits[[sprintf("threshold_%g", th)]] <- list(threshold = th, tau2 = res$tau2, tau2_RE = res0$tau2, R2 = res$R2)
}

out <- list(
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  yi = I(yi), vi = I(vi), x = I(x), fits = fits)
writeLines(enc_compact(out), file.path(out_dir, "ml.json"))
