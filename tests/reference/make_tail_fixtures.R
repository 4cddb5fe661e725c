# Reference values for t quantiles far in the upper tail (metareview.conversions.t_from_p
# and metareview.distributions.t_isf_log).
#
# R's qt() is the reference for t_from_p, but beyond p ~ 1e-150 it is itself inexact: at
# df = 3 it is 7.6e-9 relative from the root of its own pt() (p < 1e-250), at df = 2.5
# 9.2e-6, at df = 1.5 1e-2, at df = 50 2e-4 for p = 5e-324, and it is Inf for df = 2 and
# df < 1 where the quantile is a finite double. So each case carries two values:
#
# * qt: R's qt(p, df, lower.tail = FALSE), and qt(p/2, ...) for the two-sided p;
# * root: the t that solves pt(t, df, lower.tail = FALSE, log.p = TRUE) = log(p) (log(p) -
#   log(2) two-sided, which stays finite where p/2 underflows to 0), by Newton's method in
#   log t started from qt (or, where qt is not finite, from the leading term of the tail,
#   t^-df df^(df/2) / (df B(df/2, 1/2))). pt's log tail (TOMS 708 bratio) is accurate to a
#   few units of 1e-16 in log p even where p is subnormal, so the root is the exact
#   quantile to about 1e-13 relative; Inf where it exceeds the largest double.
#
# Run from the repository root (R 4.2.2, jsonlite):
#     Rscript tests/reference/make_tail_fixtures.R
# Writes tests/reference/metafor_conv/t_tail.json (17 significant digits, NA/NaN/Inf as
# null; `root` is never NaN, so its null is Inf).

suppressPackageStartupMessages(library(jsonlite))
source("tests/reference/fixture_json.R")  # enc()

root_t <- function(log_q, df, start) {
  eps <- .Machine$double.eps
  u <- if (is.finite(start) && start > 0) log(start) else
    0.5 * log(df) + (-log(df) - lbeta(df / 2, 0.5) - log_q) / df
  if (u > log(.Machine$double.xmax)) return(Inf)
  for (i in 1:100) {
    t <- exp(u)
    lq <- pt(t, df, lower.tail = FALSE, log.p = TRUE)
    slope <- -exp(u + dt(t, df, log = TRUE) - lq)  # d log P(T > t) / d log t
    step <- (lq - log_q) / slope
    u <- u - step
    if (abs(step) <= 8 * eps * max(1, abs(u))) break
  }
  if (u > log(.Machine$double.xmax)) Inf else exp(u)
}

p <- c(1e-101, 1e-120, 1e-150, 1e-162, 1e-200, 1e-250, 1e-300, 1e-307, 1e-310, 1e-320, 5e-324)
df <- c(1, 1.5, 2, 2.5, 3, 4, 5, 7, 10, 28, 30, 100, 1000, 1e5, 1e6)
grid <- expand.grid(p = p, df = df)
# df < 1, where qt (and scipy's stdtrit, which stops near 4.7e153) fail at moderate p
low <- expand.grid(p = c(1e-3, 1e-10, 1e-20, 1e-50, 1e-100, 1e-150), df = c(0.1, 0.3, 0.5, 0.8))
grid <- rbind(grid, low)

one_qt <- qt(grid$p, grid$df, lower.tail = FALSE)
two_qt <- qt(grid$p / 2, grid$df, lower.tail = FALSE)
one_root <- mapply(function(p, df, s) root_t(log(p), df, s), grid$p, grid$df, one_qt)
two_root <- mapply(function(p, df, s) root_t(log(p) - log(2), df, s), grid$p, grid$df, two_qt)
stopifnot(!anyNA(one_root), !anyNA(two_root))

out <- list(
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  p = I(grid$p), df = I(grid$df),
  one_sided = list(qt = I(one_qt), root = I(one_root)),
  two_sided = list(qt = I(two_qt), root = I(two_root))
)
dir.create("tests/reference/metafor_conv", showWarnings = FALSE)
writeLines(enc(out), "tests/reference/metafor_conv/t_tail.json")
