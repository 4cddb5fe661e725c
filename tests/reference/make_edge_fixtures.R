# Reference values for edge cases that a randomized comparison with metafor turned up.
#
# * fe_saturated: an equal-effects meta-regression with as many coefficients as studies
#   (k = p), which metafor fits (QE = 0, no residual df: t-based p-values and intervals
#   NA, R^2 NaN);
# * cumul_close / cumul_tied: cumulative and leave-one-out fits whose first studies lie
#   close together (yi equal to 4 digits) or are equal, far from the mean of all studies,
#   where Q is a difference of nearly equal sums;
# * equal_vi: sampling variances all equal, exactly or to 1e-13 and 1e-9 relative, where
#   metafor's regtest stops ("Model matrix no longer of full rank") and trimfill cannot
#   choose a side (the slope on sqrt(vi) is dropped as redundant);
# * equal_yi: effect sizes all equal, where the weighted regression of regtest(model =
#   "lm") fits exactly and its statistic is 0/0;
# * cumul_order: cumul() with order a variable to sort by (dat.bcg's years, with a tie),
#   ascending and decreasing, and on a model fitted to a subset;
# * single_study: one study, whose cumulative meta-analysis is the model's own fit (metafor
#   returns it; leave-one-out stops);
# * fitstats_saturated: fit statistics with as many coefficients as studies (k = p), whose
#   REML BIC is -Inf;
# * smd_large_n: SMDs with arms of 10 to 1e7, where the UB variance amplifies the last bit
#   of J;
# * tolerance_probes: data where the plain entries of tests/reference/metafor_tolerances.py
#   do not hold (deletion diagnostics of a study that barely moves the estimate, I^2 with
#   small sampling variances, a variance ratio of 1e8).
#
# Iterative fits run to convergence (threshold = tol = 1e-12).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_edge_fixtures.R
# Writes tests/reference/metafor_edge/<case>.json (17 significant digits; NA/NaN/Inf are
# null, except in fitstats_saturated.json; a call metafor refuses is {"error": <R message>}).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

# The reference is metafor 3.8-1: another version would write other fixtures.
stopifnot(packageVersion("metafor") == "3.8.1")

source("tests/reference/fixture_json.R")  # enc()
ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_edge"
dir.create(out_dir, showWarnings = FALSE)
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))
refused <- function(expr) tryCatch(quiet(expr), error = function(e) list(error = conditionMessage(e)))
nn <- function(x) if (is.null(x)) NA else x

write_case <- function(name, x) {
  x <- c(list(metafor_version = as.character(packageVersion("metafor"))), x)
  writeLines(enc(x), file.path(out_dir, paste0(name, ".json")))
}

# ---- equal-effects meta-regression with k = p ------------------------------------------
saturated <- function(yi, vi, mods) {
  fits <- list()
  for (test in c("z", "t", "adhoc")) {
    res <- quiet(rma(yi, vi, mods = mods, method = "FE", test = test))
    fits[[test]] <- list(
      beta = I(unname(c(res$beta))), se = I(unname(res$se)), stat = I(unname(res$zval)),
      pval = I(unname(res$pval)), ci_lb = I(unname(res$ci.lb)), ci_ub = I(unname(res$ci.ub)),
      df = nn(res$ddf[1]), QE = res$QE, QEp = res$QEp, I2 = res$I2, H2 = res$H2, vt = res$vt,
      QM = res$QM, QMp = res$QMp, QMdf = I(res$QMdf), R2 = nn(res$R2), s2w = res$s2w
    )
  }
  list(yi = I(yi), vi = I(vi), mods = lapply(as.data.frame(mods), I), fits = fits)
}
write_case("fe_saturated", list(
  k3_two_moderators = saturated(c(0.1, 0.5, 0.3), c(0.01, 0.02, 0.03), cbind(x = c(1, 2, 4), x2 = c(1, 4, 16))),
  k2_one_moderator = saturated(c(-0.9, -0.2), c(0.139, 0.069), cbind(x = c(0.35, -1.2)))
))

# ---- cumulative and leave-one-out fits with close or equal first studies ---------------
subset_fits <- function(yi, vi, fits) {
  sub <- function(s) list(
    estimate = I(unname(s$estimate)), se = I(unname(s$se)),
    stat = I(unname(if (is.null(s$zval)) s$tval else s$zval)), pval = I(unname(s$pval)),
    ci_lb = I(unname(s$ci.lb)), ci_ub = I(unname(s$ci.ub)), Q = I(unname(s$Q)),
    Qp = I(unname(s$Qp)), tau2 = if (is.null(s$tau2)) NULL else I(unname(s$tau2)),
    I2 = I(unname(s$I2)), H2 = I(unname(s$H2))
  )
  out <- list()
  for (f in fits) {
    args <- list(yi = yi, vi = vi, method = f[1], test = f[2])
    if (f[1] != "FE") args$control <- ctl
    res <- quiet(do.call(rma, args))
    out[[paste(f, collapse = "_")]] <- list(cumul = sub(quiet(cumul(res))), leave1out = sub(quiet(leave1out(res))))
  }
  list(yi = I(yi), vi = I(vi), fits = out)
}
fits <- list(c("FE", "z"), c("DL", "z"), c("DL", "knha"), c("REML", "z"), c("REML", "knha"))
write_case("cumul_close", subset_fits(
  c(0.6516455601517916, 0.6515854312194136, -0.35, 0.2, 0.9, 0.4, -0.1),
  c(0.04, 0.05, 0.03, 0.06, 0.02, 0.05, 0.08), fits
))
write_case("cumul_tied", subset_fits(
  c(0.3, 0.3, -0.2, 0.5, 0.1), c(0.02, 0.04, 0.03, 0.05, 0.01),
  list(c("FE", "z"), c("DL", "z"), c("DL", "t"), c("REML", "z"))
))

# ---- cumul's order: a variable to sort by (metafor 3.x), ties in the data's order ------
# dat.bcg by publication year (two trials of 1973), ascending and descending, and the
# randomised trials alone (subset), whose order is given for all 13 and subset alike
bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
cumul_order <- function(res, ...) {
  s <- quiet(cumul(res, ...))
  list(slab = I(as.character(s$slab)), estimate = I(unname(s$estimate)), se = I(unname(s$se)),
       ci_lb = I(unname(s$ci.lb)), ci_ub = I(unname(s$ci.ub)),
       tau2 = if (is.null(s$tau2)) NULL else I(unname(s$tau2)),
       I2 = I(unname(s$I2)))
}
ordered <- list(yi = I(c(bcg$yi)), vi = I(c(bcg$vi)), year = I(dat.bcg$year),
                random = I(dat.bcg$alloc == "random"))
for (m in c("FE", "REML")) {
  con <- if (m == "FE") list() else ctl
  res <- rma(yi, vi, data = bcg, method = m, control = con)
  sub <- rma(yi, vi, data = bcg, method = m, control = con, subset = dat.bcg$alloc == "random")
  ordered[[m]] <- list(
    year = cumul_order(res, order = dat.bcg$year),
    year_decreasing = cumul_order(res, order = dat.bcg$year, decreasing = TRUE),
    subset_year = cumul_order(sub, order = dat.bcg$year))
}
write_case("cumul_order", ordered)

# ---- one study: cumul gives the model's own fit, leave1out stops -----------------------
single <- function(yi, vi, fits) {
  out <- list()
  for (f in fits) {
    args <- list(yi = yi, vi = vi, method = f[1], test = f[2])
    if (f[1] != "FE") args$control <- ctl
    res <- quiet(do.call(rma, args))
    s <- quiet(cumul(res))
    out[[paste(f, collapse = "_")]] <- list(
      cumul = list(estimate = I(unname(s$estimate)), se = I(unname(s$se)),
                   stat = I(unname(if (is.null(s$zval)) s$tval else s$zval)), pval = I(unname(s$pval)),
                   ci_lb = I(unname(s$ci.lb)), ci_ub = I(unname(s$ci.ub)), Q = I(unname(s$Q)),
                   Qp = I(unname(s$Qp)), tau2 = if (is.null(s$tau2)) NULL else I(unname(s$tau2)),
                   I2 = I(unname(s$I2)), H2 = I(unname(s$H2))),
      leave1out = refused(leave1out(res))
    )
  }
  list(yi = I(yi), vi = I(vi), fits = out)
}
write_case("single_study", single(c(0.3), c(0.04), list(c("FE", "z"), c("DL", "z"), c("REML", "z"),
                                                        c("REML", "knha"))))

# ---- sampling variances all equal ------------------------------------------------------
equal_vi <- function(yi, vi) {
  res <- quiet(rma(yi, vi, method = "REML", control = ctl))
  rt <- list()
  for (model in c("rma", "lm")) for (pred in c("sei", "vi")) {
    r <- refused(regtest(res, model = model, predictor = pred))
    rt[[paste(model, pred, sep = "_")]] <- if (is.null(r$error)) list(stat = unname(r$zval)) else r
  }
  tf <- refused(trimfill(res, control = ctl))
  list(yi = I(yi), vi = I(vi), regtest = rt,
       trimfill_side = if (is.null(tf$error)) list(side = tf$side) else tf,
       trimfill_left_k0 = quiet(trimfill(res, side = "left", control = ctl))$k0)
}
yi <- c(-0.42, -0.25, -0.26, 0.1, 0.35)
write_case("equal_vi", list(
  exact = equal_vi(yi, rep(0.04, 5)),
  to_1e13 = equal_vi(yi, 0.04 * (1 + c(0, 1e-13, 0, 1e-13, 0))),
  to_1e9 = equal_vi(yi, 0.04 * (1 + c(0, 0, 1e-9, 0, 0)))
))

# ---- effect sizes all equal ------------------------------------------------------------
# lm's residuals are rounding noise: R's summary.lm warns of an "essentially perfect fit"
# and the statistic is NaN here (noise over noise on other data)
equal_yi <- function(yi, vi) {
  res <- quiet(rma(yi, vi, method = "FE"))
  out <- list(yi = I(yi), vi = I(vi))
  for (pred in c("sei", "vi")) {
    warned <- character(0)
    r <- withCallingHandlers(regtest(res, model = "lm", predictor = pred),
                             warning = function(w) {
                               warned <<- c(warned, conditionMessage(w))
                               invokeRestart("muffleWarning")
                             })
    out[[paste0("lm_", pred)]] <- list(stat = unname(r$zval), warnings = I(warned))
    out[[paste0("rma_", pred)]] <- list(pval = unname(quiet(regtest(res, predictor = pred))$pval))
  }
  out
}
write_case("equal_yi", list(fe = equal_yi(rep(0.9, 4), c(0.05, 0.02, 0.08, 0.03))))

# ---- fit statistics with as many coefficients as studies (k = p) -----------------------
# The REML criteria use n = k - p = 0 observations: BIC = -2 ll + parms log(0) = -Inf.
# fixture_json.R writes every non-finite number as null, which would hide the difference
# between -Inf and NaN, so these values are written as numbers when finite and as R's
# spelling ("-Inf", "Inf", "NaN", "NA") otherwise.
spelled <- function(x) if (is.finite(x)) x else as.character(x)
fit_stats <- function(yi, vi, mods, methods) {
  out <- list()
  for (m in methods) {
    args <- list(yi = yi, vi = vi, method = m)
    if (!is.null(mods)) args$mods <- mods
    if (!m %in% c("FE", "EE")) args$control <- ctl
    res <- quiet(do.call(rma, args))
    fs <- res$fit.stats
    out[[m]] <- list(
      tau2 = res$tau2, parms = res$parms,
      ML = lapply(setNames(fs$ML, rownames(fs)), spelled),
      REML = lapply(setNames(fs$REML, rownames(fs)), spelled)
    )
  }
  out
}
all_methods <- c("FE", "EE", "DL", "REML", "ML", "PM", "PMM", "HE", "SJ", "EB", "HS")
write_case("fitstats_saturated", list(
  k1 = list(yi = I(0.3), vi = I(0.04), mods = NULL, fits = fit_stats(0.3, 0.04, NULL, all_methods)),
  k2_one_moderator = list(
    yi = I(c(-0.9, -0.2)), vi = I(c(0.139, 0.069)), mods = list(x = I(c(0.35, -1.2))),
    fits = fit_stats(c(-0.9, -0.2), c(0.139, 0.069), cbind(x = c(0.35, -1.2)), c("FE", "EE"))
  ),
  k3_two_moderators = list(
    yi = I(c(0.1, 0.5, 0.3)), vi = I(c(0.01, 0.02, 0.03)),
    mods = list(x = I(c(1, 2, 4)), x2 = I(c(1, 4, 16))),
    fits = fit_stats(c(0.1, 0.5, 0.3), c(0.01, 0.02, 0.03), cbind(x = c(1, 2, 4), x2 = c(1, 4, 16)),
                     c("FE", "EE"))
  )
))

# ---- SMD at large sample sizes -----------------------------------------------------------
# vtype = "UB" divides by J^2 in 1 - (m - 2)/(m J^2), about 1/(2m): a last-bit difference in
# J (metafor's .cmicalc, from R's lgamma) is amplified by about m there. Arms of 10 to 1e7.
set.seed(20261130)
n1 <- c(10, 11, 30, 1000, 1e4, 1e5, 1e6, 1e7, round(10^runif(40, 1, 7)))
n2 <- c(10, 12, 30, 1000, 1e4, 1e5, 1e6, 1e7, round(n1[-(1:8)] * runif(40, 0.5, 2)))
d <- c(0.5, -1, 2, 0.5, 0.5, 0.5, 2, 0.5, round(runif(40, -3, 3), 3))
sd1 <- rep(c(1, 2.5), length.out = length(n1))
sd2 <- rep(c(1.5, 2), length.out = length(n1))
m2 <- rep(10, length(n1))
# means giving the same d with the pooled SD
sp <- sqrt(((n1 - 1) * sd1^2 + (n2 - 1) * sd2^2) / (n1 + n2 - 2))
m1 <- m2 + d * sp
smd <- list(n1i = I(n1), n2i = I(n2), di = I(d), m1i = I(m1), m2i = I(m2), sd1i = I(sd1), sd2i = I(sd2),
            cmi = I(metafor:::.cmicalc(n1 + n2 - 2)))
for (vt in c("UB", "LS", "LS2", "AV")) {
  from_d <- escalc("SMD", di = d, n1i = n1, n2i = n2, vtype = vt)
  from_means <- escalc("SMD", m1i = m1, m2i = m2, sd1i = sd1, sd2i = sd2, n1i = n1, n2i = n2, vtype = vt)
  smd[[vt]] <- list(di = list(yi = I(c(from_d$yi)), vi = I(from_d$vi)),
                    means = list(yi = I(c(from_means$yi)), vi = I(from_means$vi)))
}
write_case("smd_large_n", smd)

# ---- where the tolerance table's plain entries do not hold ------------------------------
# * deletion: a study whose deletion barely moves the estimate (yi = 0.3 + delta at the
#   centre of symmetric data, delta = 0 to 1e-3), so that b - b(-i) is a difference of
#   nearly equal numbers: Cook's distance, DFFITS, DFBETAS and rstudent lose about
#   log10(|b| / |b - b(-i)|) digits in both programs (FE and DL in closed form, REML tight);
# * small_vt: nearly equal effects with vi of 1e-4, REML tight: metafor stops its deletion
#   fits' tau^2 about 1e-13 from 0, which I^2 = 100 tau^2 / (tau^2 + vt) turns into 2e-7
#   percentage points at vt = 1.5e-4;
# * ratio_1e8: max(vi)/min(vi) = 1e8, beyond metafor's warning at 1e7: its k x k products
#   lose digits (DL and REML tight and default).
deletion_fit <- function(res) {
  inf <- influence(res)
  list(estimate = unname(c(res$beta)), se = res$se,
       cook_d = I(inf$inf$cook.d), dffits = I(inf$inf$dffits), rstudent = I(inf$inf$rstudent),
       dfbetas = I(inf$dfbs[[1]]), tau2_del = I(inf$inf$tau2.del))
}
probes <- list(deletion = list())
for (delta in c(0, 1e-9, 1e-7, 1e-5, 1e-3)) {
  yi <- c(0.1, 0.5, 0.3 + delta, 0.2, 0.4)
  vi <- c(0.02, 0.02, 0.03, 0.05, 0.05)
  fits <- list(FE = deletion_fit(rma(yi, vi, method = "FE")),
               DL = deletion_fit(rma(yi, vi, method = "DL")),
               REML = deletion_fit(rma(yi, vi, method = "REML", control = ctl)))
  probes$deletion[[sprintf("delta_%g", delta)]] <- list(yi = I(yi), vi = I(vi), fits = fits)
}
small_vt <- function(yi, vi) {
  res <- rma(yi, vi, method = "REML", control = ctl)
  l1 <- leave1out(res)
  list(yi = I(yi), vi = I(vi), tau2 = res$tau2, I2 = res$I2, vt = res$vt,
       leave1out = list(tau2 = I(l1$tau2), I2 = I(l1$I2)))
}
probes$small_vt <- small_vt(c(0.30, 0.31, 0.29, 0.305, 0.33, 0.27, 0.302, 0.298), rep(c(1e-4, 2e-4), 4))
ratio <- function(yi, vi) {
  dl <- quiet(rma(yi, vi, method = "DL"))
  out <- list(yi = I(yi), vi = I(vi), DL = list(tau2 = dl$tau2, I2 = dl$I2, H2 = dl$H2, QE = dl$QE))
  for (ctl_name in c("tight", "default")) {
    res <- quiet(if (ctl_name == "tight") rma(yi, vi, control = ctl) else rma(yi, vi))
    inf <- quiet(influence(res))$inf
    out[[paste0("REML_", ctl_name)]] <- list(
      tau2 = res$tau2, I2 = res$I2, H2 = res$H2, cook_d = I(inf$cook.d), dffits = I(inf$dffits),
      rstudent = I(inf$rstudent), cov_r = I(inf$cov.r), tau2_del = I(inf$tau2.del), QE_del = I(inf$QE.del)
    )
  }
  out
}
probes$ratio_1e8 <- ratio(c(0.1, 0.5, 0.3, 0.25, 0.8, -0.1, 0.35, 0.2), c(1e-8, 0.02, 0.05, 0.03, 0.06, 0.02, 0.04, 1))
write_case("tolerance_probes", probes)
