# Printed tables of metafor where a statistic is R's NaN (0/0) beside others that are NA
# (missing): the leave-one-out and cumulative fits of data with a study of yi = 0 and
# vi = 0, fitted unweighted or with given weights, whose fit without the other studies
# has estimate 0 and se 0 (z = 0/0 and its p-value NaN; Q, I^2 and H^2 NA), and the
# print of a model whose own z is 0/0 (print.rma.uni shows it as NA).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_print_nan_fixtures.R
# Writes tests/reference/metafor_print/nan.json: per case the call (r_call), yi, vi,
# weights (null: weighted = FALSE) and the lines print() writes (lines), as R prints
# them at the default width.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc()

out_dir <- "tests/reference/metafor_print"
dir.create(out_dir, showWarnings = FALSE)
options(width = 200)

fit <- function(yi, vi, w) {
  suppressWarnings(if (is.null(w)) rma(yi, vi, method = "FE", weighted = FALSE)
                   else rma(yi, vi, method = "FE", weights = w))
}

cases <- list(
  leave1out_unweighted = list(yi = c(0, 0.3), vi = c(0, 0), w = NULL, what = "leave1out"),
  cumul_unweighted = list(yi = c(0, 0.3), vi = c(0, 0), w = NULL, what = "cumul"),
  cumul_weights = list(yi = c(0, 0.3, 0.5, 0.2), vi = c(0, 0.02, 0.03, 0.05), w = 1:4,
                       what = "cumul"),
  model_unweighted = list(yi = c(0, 0), vi = c(0, 0), w = NULL, what = "model")
)

out <- list()
for (name in names(cases)) {
  d <- cases[[name]]
  r <- fit(d$yi, d$vi, d$w)
  obj <- switch(d$what, leave1out = leave1out(r), cumul = cumul(r), model = r)
  lines <- capture.output(suppressWarnings(print(obj)))
  lines <- lines[nzchar(trimws(lines))]
  fit_call <- sprintf("rma(c(%s), c(%s), method = \"FE\", %s)",
                      paste(d$yi, collapse = ", "), paste(d$vi, collapse = ", "),
                      if (is.null(d$w)) "weighted = FALSE"
                      else sprintf("weights = c(%s)", paste(d$w, collapse = ", ")))
  out[[name]] <- list(
    r_call = if (d$what == "model") sprintf("print(%s)", fit_call)
             else sprintf("print(%s(%s))", d$what, fit_call),
    what = d$what, yi = I(d$yi), vi = I(d$vi), weights = if (is.null(d$w)) NULL else I(d$w),
    lines = I(lines)
  )
}

writeLines(enc(out), file.path(out_dir, "nan.json"))
