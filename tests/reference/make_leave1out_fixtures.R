# Reference values for the workflow's leave-one-out sensitivity analysis, from metafor.
#
# The analyses pool with rma(yi, vi, method = "REML", test = "knha") by default and, for
# k >= 3, refit the model without each study in turn (metafor's leave1out, which keeps
# the model's estimator, test and level). The public fixtures hold leave1out for the
# REML z-test model only; this script adds it for Knapp-Hartung (the workflow's default)
# and for DL with a z-test, fitted to convergence so that they compare at 1e-8.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_leave1out_fixtures.R
# Writes tests/reference/metafor_leave1out/<case>.json from the yi/vi of each public
# fixture. Numbers are written with 17 significant digits, so json.load reproduces R's
# doubles exactly; NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
in_dir <- "tests/reference/metafor"
out_dir <- "tests/reference/metafor_leave1out"
dir.create(out_dir, showWarnings = FALSE)

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
arr <- function(x) paste0("[", paste(num(as.numeric(x)), collapse = ", "), "]")

fits <- list(list(method = "REML", test = "knha"), list(method = "DL", test = "z"))

for (f in sort(list.files(in_dir, pattern = "\\.json$", full.names = TRUE))) {
  d <- fromJSON(f)
  name <- sub("\\.json$", "", basename(f))
  blocks <- character(0)
  for (fit in fits) {
    res <- rma(d$yi, d$vi, method = fit$method, test = fit$test, control = ctl)
    l1o <- leave1out(res)
    blocks <- c(blocks, paste0(
      "    ", toJSON(paste0(fit$method, "_", fit$test), auto_unbox = TRUE), ": {\n",
      "      \"method\": ", toJSON(fit$method, auto_unbox = TRUE), ", \"test\": ",
      toJSON(fit$test, auto_unbox = TRUE), ",\n",
      "      \"estimate\": ", arr(l1o$estimate), ",\n",
      "      \"ci_lb\": ", arr(l1o$ci.lb), ",\n",
      "      \"ci_ub\": ", arr(l1o$ci.ub), ",\n",
      "      \"pval\": ", arr(l1o$pval), "\n    }"))
  }
  out <- paste0(
    "{\n",
    "  \"case\": ", toJSON(name, auto_unbox = TRUE), ",\n",
    "  \"source\": ", toJSON(paste("yi/vi of", basename(f)), auto_unbox = TRUE), ",\n",
    "  \"metafor_version\": ", toJSON(as.character(packageVersion("metafor")), auto_unbox = TRUE), ",\n",
    "  \"R_version\": ", toJSON(paste(R.version$major, R.version$minor, sep = "."), auto_unbox = TRUE), ",\n",
    "  \"control\": {\"threshold\": 1e-12, \"tol\": 1e-12, \"maxiter\": 10000},\n",
    "  \"yi\": ", arr(d$yi), ",\n",
    "  \"vi\": ", arr(d$vi), ",\n",
    "  \"fits\": {\n", paste(blocks, collapse = ",\n"), "\n  }\n}\n")
  writeLines(out, file.path(out_dir, paste0(name, ".json")), sep = "")
}
