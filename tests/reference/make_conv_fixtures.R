# Reference values for the conversions metafor 3.8-1 does not offer.
#
# metafor 3.8-1 has no conv.fivenum() (median, quartiles and range to mean and SD) and
# no conv.wald() (estimate and CI to yi and vi); both arrived in later versions. This
# script runs those functions from a later metafor source tree on top of the installed
# metafor 3.8-1 (whose internal helpers they call), and adds escalc() cases for a d
# reported with the total sample size only (metareview.conversions.smd_from_d_total_n),
# which 3.8-1 itself covers.
#
# Usage, from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_conv_fixtures.R <metafor source tree> [<commit>]
# where the tree holds metafor's DESCRIPTION and R/ (a checkout or `git archive` of
# https://github.com/wviechtb/metafor; the fixtures were written from version 5.1-12,
# commit 71ae8f5ac9befeacc6654ead1b03ff05c065d54d). Only the R files named below are
# sourced, into an environment whose parent is the installed metafor namespace.
# Writes tests/reference/metafor_conv/conv.json. Numbers are written with 17
# significant digits, so json.load reproduces R's doubles exactly; NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: make_conv_fixtures.R <metafor source tree> [<commit>]")
src <- args[1]
commit <- if (length(args) > 1) args[2] else NA_character_
src_version <- read.dcf(file.path(src, "DESCRIPTION"), fields = "Version")[1, 1]

env <- new.env(parent = asNamespace("metafor"))
for (f in c("mfopt.r", "replmiss.r", "misc.func.hidden.r", "conv.fivenum.r", "conv.wald.r")) {
  sys.source(file.path(src, "R", f), envir = env)
}
conv.fivenum <- get("conv.fivenum", env)
conv.wald <- get("conv.wald", env)

out_dir <- "tests/reference/metafor_conv"
dir.create(out_dir, showWarnings = FALSE)

source("tests/reference/fixture_json.R")  # num(), enc()
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))

out <- list(metafor_version = as.character(packageVersion("metafor")),
            conv_source_version = src_version, conv_source_commit = commit,
            R_version = paste(R.version$major, R.version$minor, sep = "."))

# ---- conv.fivenum: the "recommended" methods (Luo 2018 means; Wan 2014 / Shi 2020 SDs),
# normal distribution, without the skewness test (metareview applies none)
n <- c(5, 6, 10, 17, 25, 50, 100, 250, 1000)
k <- length(n)
mn <- seq(0, 2, length.out = k)          # minimum
q1 <- mn + c(1, 1.5, 2, 2.2, 2.5, 3, 3.1, 3.3, 3.5)
md <- q1 + c(1, 2, 1.5, 0.5, 2.5, 1, 2, 0.7, 1.2)
q3 <- md + c(2, 1.5, 3, 1, 2.5, 4, 1.5, 1.2, 2.2)
mx <- q3 + c(3, 4, 2, 6, 5, 2.5, 7, 3.5, 4.1)
fivenum <- list(input = list(n = I(n), min = I(mn), q1 = I(q1), median = I(md), q3 = I(q3), max = I(mx)))
cases <- list(
  median_range = list(min = mn, q1 = NULL, q3 = NULL, max = mx),
  median_iqr = list(min = NULL, q1 = q1, q3 = q3, max = NULL),
  five_number = list(min = mn, q1 = q1, q3 = q3, max = mx)
)
for (id in names(cases)) {
  a <- cases[[id]]
  args <- list(median = md, n = n, test = FALSE, dist = "norm")
  for (nm in c("min", "q1", "q3", "max")) if (!is.null(a[[nm]])) args[[nm]] <- a[[nm]]
  res <- quiet(do.call(conv.fivenum, args))
  fivenum[[id]] <- list(r_call = paste0("conv.fivenum(", paste(c(names(Filter(Negate(is.null), a)), "median", "n"), collapse = ", "),
                                        ", test=FALSE, dist=\"norm\")"),
                        mean = I(res$mean), sd = I(res$sd))
}
out$conv_fivenum <- fivenum

# ---- conv.wald: yi and vi from an estimate and its Wald CI, on the raw, log and Fisher-z
# scales, at the 95% and 90% levels, and without the estimate (yi is then NA in metafor)
est <- c(1.5, 0.8, 2.4, 1.02, 0.35)
lb <- c(1.1, 0.5, 1.3, 0.61, 0.12)
ub <- c(2.05, 1.3, 4.4, 1.71, 0.99)
wald <- list(input = list(estimate = I(est), ci_lb = I(lb), ci_ub = I(ub)))
for (tr in c("identity", "log")) for (lev in c(95, 90)) {
  f <- if (tr == "log") log else function(x) x
  res <- quiet(conv.wald(out = est, ci.lb = lb, ci.ub = ub, level = lev, transf = f, check = FALSE))
  wald[[paste(tr, lev, sep = "_")]] <- list(transform = tr, level = lev, yi = I(res$yi), vi = I(res$vi))
}
r_est <- c(0.31, -0.12, 0.55, 0.05)
r_lb <- c(0.12, -0.40, 0.30, -0.25)
r_ub <- c(0.48, 0.18, 0.73, 0.34)
res <- quiet(conv.wald(out = r_est, ci.lb = r_lb, ci.ub = r_ub, transf = transf.rtoz, check = FALSE))
wald$atanh_95 <- list(transform = "atanh", level = 95, estimate = I(r_est), ci_lb = I(r_lb), ci_ub = I(r_ub),
                      yi = I(res$yi), vi = I(res$vi))
res <- quiet(conv.wald(ci.lb = lb, ci.ub = ub, transf = log, check = FALSE))
wald$log_95_no_estimate <- list(transform = "log", level = 95, yi = I(res$yi), vi = I(res$vi))
out$conv_wald <- wald

# ---- escalc(): a reported Cohen's d with the total sample size only, arms assumed equal
d <- c(0.42, -0.15, 0.9, 0, 1.3)
ni <- c(40, 25, 120, 9, 61)   # odd totals give half-integer arm sizes
total <- list(input = list(d = I(d), ni = I(ni)))
for (vt in c("LS", "UB", "LS2", "AV")) {
  es <- escalc(measure = "SMD", di = d, n1i = ni / 2, n2i = ni / 2, vtype = vt)
  total[[vt]] <- list(r_call = sprintf('escalc(measure="SMD", di=d, n1i=ni/2, n2i=ni/2, vtype="%s")', vt),
                      yi = I(c(es$yi)), vi = I(es$vi))
}
out$smd_from_d_total_n <- total

writeLines(enc(out), file.path(out_dir, "conv.json"))
