# Reference values for the second review of tests/workflow/test_new_review.py: the pooled
# models of its analyses whose trials report in forms the example review never uses.
#
# * bcg_RR: dat.bcg (metadat) as risk ratios, k = 13, with leave1out() and the Q-profile
#   confint() of the same fit (tests/reference/metafor/dat.bcg__RR.json has them only at
#   metafor's default convergence).
# * zero_cells_RR, zero_cells_OR, zero_cells_RD: the 2x2 tables of
#   tests/reference/metafor_conversions/binary_zero_cells__RR.json (zero cells, a
#   double-zero table, a table with every participant an event), pooled as escalc's
#   defaults give them (add = 1/2 to the four cells of a table with a zero cell, for a
#   risk difference too; drop00 = FALSE).
# * converted_MD: arms reporting a median with its quartiles, its range or all five
#   numbers, an SE of the mean, or a CI of the mean (at 95% and at 90%), and one arm with
#   a mean and SD, whose means and SDs are estimated by the published formulas before
#   escalc(measure = "MD"): metafor 3.8-1 has no conv.fivenum (see
#   tests/reference/metafor_conversions/README.md), so the conversions are written out
#   here (composed), each from its paper:
#     Luo D et al. (2018) Stat Methods Med Res 27:1785-1805, the mean: eq. 7 (range),
#       eq. 11 (quartiles), eq. 15 (five numbers);
#     Wan X et al. (2014) BMC Med Res Methodol 14:135, the SD: eq. 9 (range),
#       eq. 16 (quartiles);
#     Shi J et al. (2020) Res Synth Methods 11:641-654, the SD from five numbers: eq. 10;
#     Cochrane Handbook 6.5.2.2, SD = SE sqrt(n), and SD = sqrt(n) (upper - lower) / (2 q)
#       with q the t quantile on n - 1 df for n < 100 and the normal quantile from 100 on.
#   The inputs were written by hand (no seed): days off work in a year, by arm.
#
# Every fit is rma(yi, vi, method = "REML") with test "z" at 95%, run to convergence
# (threshold = tol = 1e-12), as the second review's config asks.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat, jsonlite):
#     Rscript tests/reference/make_new_review_fixtures.R
# Writes tests/reference/metafor_new_review/*.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

out_dir <- "tests/reference/metafor_new_review"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # enc(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
ci_ctl <- list(tol = 1e-12, maxiter = 10000)

# The numbers of a REML fit the review's analysis JSON gives: the model, its prediction
# interval, the Q-profile intervals of tau^2, I^2 and H^2, and each leave-one-out refit.
model <- function(yi, vi) {
  res <- rma(yi, vi, method = "REML", control = ctl)
  pr <- predict(res)
  ci <- confint(res, control = ci_ctl)$random
  l1o <- leave1out(res)
  list(
    call = "rma(yi, vi, method = \"REML\", control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))",
    k = res$k, estimate = as.numeric(res$beta), se = res$se, zval = res$zval, pval = res$pval,
    ci_lb = res$ci.lb, ci_ub = res$ci.ub, tau2 = res$tau2, se_tau2 = res$se.tau2, I2 = res$I2,
    H2 = res$H2, QE = res$QE, QEp = res$QEp, pi_lb = pr$pi.lb, pi_ub = pr$pi.ub,
    confint = list(call = "confint(res, control = list(tol = 1e-12, maxiter = 10000))",
                   tau2_lb = ci["tau^2", "ci.lb"], tau2_ub = ci["tau^2", "ci.ub"],
                   I2_lb = ci["I^2(%)", "ci.lb"], I2_ub = ci["I^2(%)", "ci.ub"],
                   H2_lb = ci["H^2", "ci.lb"], H2_ub = ci["H^2", "ci.ub"]),
    leave1out = list(estimate = I(l1o$estimate), se = I(l1o$se), ci_lb = I(l1o$ci.lb),
                     ci_ub = I(l1o$ci.ub), pval = I(l1o$pval)))
}

header <- function(name, description) {
  list(name = name, description = description,
       metafor_version = as.character(packageVersion("metafor")),
       R_version = paste(R.version$major, R.version$minor, sep = "."),
       generator = "tests/reference/make_new_review_fixtures.R")
}

# ---- dat.bcg, risk ratios -------------------------------------------------------------
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
out <- c(header("bcg_RR", "dat.bcg (metadat) as log risk ratios, REML to convergence"),
         list(escalc_call = "escalc(measure = \"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)",
              slab = I(paste0(dat.bcg$author, ", ", dat.bcg$year)),
              yi = I(as.numeric(bcg$yi)), vi = I(as.numeric(bcg$vi)),
              model = model(bcg$yi, bcg$vi)))
writeLines(enc(out), file.path(out_dir, "bcg_RR.json"))

# ---- 2x2 tables with zero cells ---------------------------------------------------------
zero <- fromJSON("tests/reference/metafor_conversions/binary_zero_cells__RR.json")$input
zdat <- data.frame(study = zero$study, ai = zero$ai, bi = zero$bi, ci = zero$ci, di = zero$di)
scale <- c(RR = "log risk ratios", OR = "log odds ratios", RD = "risk differences")
for (measure in names(scale)) {
  zes <- escalc(measure = measure, ai = ai, bi = bi, ci = ci, di = di, data = zdat)
  name <- paste0("zero_cells_", measure)
  out <- c(header(name, paste(
             "The tables of tests/reference/metafor_conversions/binary_zero_cells__RR.json as", scale[[measure]],
             "with escalc's defaults (add = 1/2, to = \"only0\", drop00 = FALSE), REML to convergence")),
           list(input = list(study = I(zdat$study), ai = I(zdat$ai), bi = I(zdat$bi), ci = I(zdat$ci),
                             di = I(zdat$di)),
                escalc_call = sprintf("escalc(measure = \"%s\", ai = ai, bi = bi, ci = ci, di = di, data = dat)",
                                      measure),
                any_zero_cell = I(with(zdat, ai == 0 | bi == 0 | ci == 0 | di == 0)),
                yi = I(as.numeric(zes$yi)), vi = I(as.numeric(zes$vi)),
                model = model(zes$yi, zes$vi)))
  writeLines(enc(out), file.path(out_dir, paste0(name, ".json")))
}

# ---- means and SDs estimated from other summaries ---------------------------------------
# One row per arm; arm "vac" is the intervention, "ctl" the comparator. NA: not reported.
arms <- data.frame(
  study = rep(c("Median IQR", "Median range", "Five numbers", "SE of mean", "CI of mean small",
                "CI of mean large", "CI of mean 90", "Mixed forms"), each = 2),
  arm = rep(c("vac", "ctl"), times = 8),
  n = c(45, 47, 30, 28, 120, 115, 60, 62, 40, 38, 150, 160, 50, 52, 70, 72),
  mean = c(NA, NA, NA, NA, NA, NA, 11.2, 13.9, 9.5, 12.4, 7.0, 12.1, 8.7, 11.0, NA, 15.1),
  sd = c(rep(NA, 15), 8.4),
  se = c(NA, NA, NA, NA, NA, NA, 1.1, 1.3, rep(NA, 8)),
  ci_lb = c(rep(NA, 8), 7.1, 9.6, 5.6, 10.6, 7.2, 9.1, NA, NA),
  ci_ub = c(rep(NA, 8), 11.9, 15.2, 8.4, 13.6, 10.2, 12.9, NA, NA),
  ci_level = c(rep(NA, 12), 90, 90, NA, NA),
  median = c(15, 15, 10, 14, 9, 11, rep(NA, 8), 13, NA),
  q1 = c(8, 10, NA, NA, 6, 7, rep(NA, 8), 9, NA),
  q3 = c(19, 24, NA, NA, 14, 17, rep(NA, 8), 20, NA),
  min = c(NA, NA, 2, 3, 1, 0, rep(NA, 10)),
  max = c(NA, NA, 35, 41, 40, 52, rep(NA, 10)),
  stringsAsFactors = FALSE)

xi <- function(n) 2 * qnorm((n - 0.375) / (n + 0.25))         # Wan 2014: E(range) / SD
eta <- function(n) 2 * qnorm((0.75 * n - 0.125) / (n + 0.25))  # Wan 2014: E(IQR) / SD

convert <- function(r) {
  n <- r$n
  five <- !is.na(r$median) && !is.na(r$q1) && !is.na(r$min)
  if (five) {
    w1 <- 2.2 / (2.2 + n^0.75)
    w2 <- 0.7 - 0.72 / n^0.55
    w <- 1 / (1 + 0.07 * n^0.6)
    return(list(form = "five-number summary",
                mean = w1 * (r$min + r$max) / 2 + w2 * (r$q1 + r$q3) / 2 + (1 - w1 - w2) * r$median,
                sd = w * (r$max - r$min) / xi(n) + (1 - w) * (r$q3 - r$q1) / eta(n)))
  }
  if (!is.na(r$median) && !is.na(r$q1)) {
    w <- 0.7 + 0.39 / n
    return(list(form = "median and quartiles", mean = w * (r$q1 + r$q3) / 2 + (1 - w) * r$median,
                sd = (r$q3 - r$q1) / eta(n)))
  }
  if (!is.na(r$median) && !is.na(r$min)) {
    w <- 4 / (4 + n^0.75)
    return(list(form = "median and range", mean = w * (r$min + r$max) / 2 + (1 - w) * r$median,
                sd = (r$max - r$min) / xi(n)))
  }
  if (!is.na(r$se)) return(list(form = "SE of the mean", mean = r$mean, sd = r$se * sqrt(n)))
  if (!is.na(r$ci_lb)) {
    level <- if (is.na(r$ci_level)) 95 else r$ci_level
    p <- 1 - (1 - level / 100) / 2
    q <- if (n < 100) qt(p, n - 1) else qnorm(p)
    return(list(form = "CI of the mean", mean = r$mean, sd = sqrt(n) * (r$ci_ub - r$ci_lb) / (2 * q)))
  }
  list(form = "mean and SD", mean = r$mean, sd = r$sd)
}

conv <- lapply(seq_len(nrow(arms)), function(i) convert(arms[i, ]))
arms$form <- vapply(conv, `[[`, "", "form")
arms$mean_used <- vapply(conv, `[[`, 0, "mean")
arms$sd_used <- vapply(conv, `[[`, 0, "sd")
vac <- arms[arms$arm == "vac", ]
ctl_arm <- arms[arms$arm == "ctl", ]
mes <- escalc(measure = "MD", m1i = vac$mean_used, sd1i = vac$sd_used, n1i = vac$n,
              m2i = ctl_arm$mean_used, sd2i = ctl_arm$sd_used, n2i = ctl_arm$n)
col <- function(x) I(ifelse(is.na(x), NA_real_, x))
out <- c(header("converted_MD", paste(
           "Mean differences (intervention minus comparator) from arms whose means and SDs are estimated",
           "from medians with quartiles, range or five numbers, an SE or a CI of the mean, REML to convergence")),
         list(seed = NULL,
              input_columns = list(
                study = "trial", arm = "vac (intervention) or ctl (comparator)", n = "arm size",
                mean = "reported mean", sd = "reported SD", se = "reported SE of the mean",
                ci_lb = "lower bound of the CI of the mean", ci_ub = "upper bound",
                ci_level = "level of that CI in percent (NA: 95)", median = "median", q1 = "first quartile",
                q3 = "third quartile", min = "minimum", max = "maximum"),
              input = list(study = I(arms$study), arm = I(arms$arm), n = col(arms$n), mean = col(arms$mean),
                           sd = col(arms$sd), se = col(arms$se), ci_lb = col(arms$ci_lb),
                           ci_ub = col(arms$ci_ub), ci_level = col(arms$ci_level),
                           median = col(arms$median), q1 = col(arms$q1), q3 = col(arms$q3),
                           min = col(arms$min), max = col(arms$max)),
              arms = list(form = I(arms$form), mean = I(arms$mean_used), sd = I(arms$sd_used)),
              slab = I(vac$study),
              escalc_call = paste("escalc(measure = \"MD\", m1i, sd1i, n1i, m2i, sd2i, n2i) on the",
                                  "arms' estimated means and SDs (vac as group 1)"),
              yi = I(as.numeric(mes$yi)), vi = I(as.numeric(mes$vi)),
              model = model(mes$yi, mes$vi)))
writeLines(enc(out), file.path(out_dir, "converted_MD.json"))
