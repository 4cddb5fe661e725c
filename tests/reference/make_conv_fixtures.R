# Reference values for the conversions metafor 3.8-1 does not offer.
#
# metafor 3.8-1 has no conv.fivenum() (median, quartiles and range to mean and SD) and
# no conv.wald() (estimate and CI to yi and vi); both arrived in later versions. This
# script runs those functions from a later metafor source tree on top of the installed
# metafor 3.8-1 (whose internal helpers they call), and adds escalc() cases for a d
# reported with the total sample size only (metareview.conversions.smd_from_d_total_n),
# which 3.8-1 itself covers, and the t and normal quantiles (qt, qnorm) behind the
# conversions of an SE, CI or p-value, with arms combined by the Cochrane Handbook formula.
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

# ---- quantiles the SE, CI and p-value conversions take from R's qt() and qnorm()
# t_from_p: qt(p/2, df) two-sided and qt(p, df) one-sided, from p = 1 down to 1e-150, with
# integer and non-integer df
p <- c(1, 0.9, 0.5, 0.2, 0.05, 0.049, 0.01, 1e-3, 1e-4, 1e-8, 1e-12, 1e-40, 1e-100, 1e-150, 1e-150)
df <- c(20, 1, 2, 3, 3, 4.5, 10, 18, 40, 60, 100, 200, 1000, 3, 1.5)
out$t_from_p <- list(p = I(p), df = I(df),
                     two_sided = I(qt(p / 2, df, lower.tail = FALSE)),
                     one_sided = I(qt(p, df, lower.tail = FALSE)))

# sd_from_ci_mean: SD = sqrt(n) (ub - lb) / (2 q), q = qt(1 - alpha/2, n - 1) or qnorm
n <- c(2, 3, 10, 25, 60, 99, 100, 101, 400, 5000)
lev <- c(95, 90, 99, 95, 80, 95, 95, 99.9, 90, 95)
lb <- c(-1.2, 10, 3.1e-6, 10, 0, 48.5, 48.5, -2e5, 13.1, 0.2)
ub <- c(4.6, 14.128, 3.9e-6, 14.128, 2.2, 51.5, 51.5, 3e5, 13.29, 0.25)
a <- 1 - lev / 100
sd_t <- sqrt(n) * (ub - lb) / (2 * qt(a / 2, n - 1, lower.tail = FALSE))
sd_z <- sqrt(n) * (ub - lb) / (2 * qnorm(a / 2, lower.tail = FALSE))
out$sd_from_ci_mean <- list(ci_lb = I(lb), ci_ub = I(ub), n = I(n), level = I(lev),
                            sd_t = I(sd_t), sd_z = I(sd_z),
                            sd_auto = I(ifelse(n < 100, sd_t, sd_z)))  # t below 100, z from 100 on

# md_ci_quantile: t on n1 + n2 - 2 df while both groups are under 100, else z
n1 <- c(2, 10, 30, 99, 99, 100, 5, 250, 60)
n2 <- c(2, 12, 30, 99, 100, 99, 400, 250, 61)
lev <- c(95, 95, 90, 95, 95, 95, 99, 95, 80)
a <- 1 - lev / 100
small <- n1 < 100 & n2 < 100
q <- qnorm(a / 2, lower.tail = FALSE)
q[small] <- qt(a[small] / 2, n1[small] + n2[small] - 2, lower.tail = FALSE)
out$md_ci_quantile <- list(n1 = I(n1), n2 = I(n2), level = I(lev), q = I(q), t = I(small))

# an MD's SE from its exact two-sided p: |MD| / qt(p/2, n1 + n2 - 2)
md <- c(-1.3, 0.42, 25, -0.004)
p <- c(0.03, 0.5, 1e-6, 0.2)
n1 <- c(20, 8, 150, 2)
n2 <- c(22, 9, 148, 3)
out$md_se_from_p <- list(md = I(md), p = I(p), n1 = I(n1), n2 = I(n2),
                         se = I(abs(md) / qt(p / 2, n1 + n2 - 2, lower.tail = FALSE)))

# combine_groups: arms of one node combined into one group (Cochrane Handbook 6.5.2.10),
# all at once from the total sum of squares rather than pairwise as metareview does:
# SD = sqrt(sum((n_i - 1) sd_i^2 + n_i (m_i - M)^2) / (N - 1))
arms <- list(two = list(n = c(20, 30), mean = c(4, 5), sd = c(2, 3)),
             three_equal = list(n = c(12, 12, 12), mean = c(3.1, 3.1, 3.1), sd = c(1.5, 1.5, 1.5)),
             three = list(n = c(15, 42, 7), mean = c(-2.4, 0.3, 5.9), sd = c(1.1, 2.7, 0.4)),
             four_large_mean = list(n = c(2, 2, 3, 2), mean = c(1e6, 1e6 + 3, 1e6 - 1, 1e6), sd = c(1e-3, 2, 0.5, 0)))
out$combine_groups <- lapply(arms, function(g) {
  N <- sum(g$n); M <- sum(g$n * g$mean) / N
  list(n = I(g$n), mean = I(g$mean), sd = I(g$sd), N = N, M = M,
       SD = sqrt(sum((g$n - 1) * g$sd^2 + g$n * (g$mean - M)^2) / (N - 1)))
})

writeLines(enc(out), file.path(out_dir, "conv.json"))
