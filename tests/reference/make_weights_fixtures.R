# Reference values from metafor for rma(weights = ...) and rma(weighted = FALSE).
#
# metafor's rma.uni estimates tau^2 as without the arguments (none of the estimators the
# library offers reads them) and then fits the fixed effects by weighted least squares
# with the given weights (ordinary least squares when weighted = FALSE), with the
# sandwich covariance (X'AX)^-1 X'A M A X (X'AX)^-1, M = diag(vi + tau^2); Knapp and
# Hartung's s2w stays that of the inverse-variance fit. This script fits, on dat.bcg
# (log risk ratios, ni = the four cells' total) and dat.normand1999 (mean differences,
# ni = n1i + n2i):
#
# * weights ni, 1/vi^2 and an arbitrary vector, weighted = FALSE, and weighted = FALSE
#   with weights given (which it ignores), each with FE, EE, DL, REML, ML, PM and HE and
#   the tests z, t, knha and adhoc: estimates, tests, intervals, heterogeneity, s2w,
#   fit statistics, weights(res), predict() and the Q-profile confint();
# * meta-regressions of dat.bcg on absolute latitude (and year) with the same weights;
# * leave1out(), cumul() and influence() of some of those fits, regtest() with
#   model = "rma" and "lm", and trimfill().
#
# Iterative estimators run to convergence (threshold = tol = 1e-12), as in
# make_options_fixtures.R.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_weights_fixtures.R
# Writes tests/reference/metafor_weights/<case>.json.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
ci_ctl <- list(tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_weights"
dir.create(out_dir, showWarnings = FALSE)

source("tests/reference/fixture_json.R")  # num(), enc_compact()
nn <- function(x) if (is.null(x) || all(is.na(x))) NULL else x
na <- function(x) if (is.null(x) || all(is.na(x))) NULL else I(x)
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))
try_block <- function(expr) tryCatch(quiet(expr), error = function(e) list(error = conditionMessage(e)))

methods <- c("FE", "EE", "DL", "REML", "ML", "PM", "HE")
tests <- c("z", "t", "knha", "adhoc")

# the kinds of weights: each a function of the data (NULL: none given)
weight_kinds <- list(
  ni = function(d) d$ni,
  invvi2 = function(d) 1 / d$vi^2,
  arbitrary = function(d) rep(c(3, 1, 4, 1, 5, 9, 2, 6, 5), length.out = length(d$yi)),
  unweighted = function(d) NULL,
  unweighted_given = function(d) d$ni
)
weighted_of <- function(kind) !(kind %in% c("unweighted", "unweighted_given"))

fit <- function(d, kind, method, test, mods = NULL) {
  args <- list(yi = d$yi, vi = d$vi, weighted = weighted_of(kind), method = method, test = test)
  # metafor refuses weights = NULL passed by name: leave the argument out instead
  args$weights <- weight_kinds[[kind]](d)
  if (!is.null(mods)) args$mods <- mods
  if (!(method %in% c("FE", "EE"))) args$control <- ctl
  quiet(do.call(rma, args))
}

pred_block <- function(p) {
  list(pred = I(unname(c(p$pred))), se = I(unname(c(p$se))), ci_lb = I(unname(c(p$ci.lb))),
       ci_ub = I(unname(c(p$ci.ub))), pi_lb = na(unname(c(p$pi.lb))),
       pi_ub = na(unname(c(p$pi.ub))))
}

confint_block <- function(res) {
  ci <- quiet(confint(res, fixed = TRUE, control = ci_ctl))
  r <- ci$random
  f <- ci$fixed
  list(tau2_lb = r[1, 2], tau2_ub = r[1, 3], I2_lb = r[3, 2], I2_ub = r[3, 3],
       H2_lb = r[4, 2], H2_ub = r[4, 3], fixed_lb = I(unname(f[, 2])), fixed_ub = I(unname(f[, 3])))
}

model_block <- function(res, newmods = NULL) {
  re <- !(res$method %in% c("FE", "EE"))
  out <- list(method = res$method, test = res$test, k = res$k, p = res$p,
              estimate = I(unname(c(res$beta))), se = I(unname(res$se)),
              stat = I(unname(res$zval)), df = nn(res$ddf[1]), pval = I(unname(res$pval)),
              ci_lb = I(unname(res$ci.lb)), ci_ub = I(unname(res$ci.ub)),
              vb = I(unname(c(res$vb))),
              tau2 = res$tau2, se_tau2 = nn(res$se.tau2), I2 = res$I2, H2 = res$H2,
              QE = res$QE, QEp = res$QEp, s2w = res$s2w, QM = res$QM, QMp = res$QMp,
              R2 = nn(res$R2),
              fitstats = list(ML = I(unname(fitstats(res, REML = FALSE)[, 1])),
                              REML = I(unname(fitstats(res, REML = TRUE)[, 1]))),
              weights_pct = I(unname(weights(res))))
  p <- if (is.null(newmods)) predict(res) else predict(res, newmods = newmods)
  out$predict <- pred_block(p)
  if (re) out$confint <- try_block(confint_block(res))
  out
}

subset_block <- function(l) {
  list(estimate = I(l$estimate), se = I(l$se), stat = I(if (is.null(l$zval)) l$tval else l$zval),
       pval = I(l$pval), ci_lb = I(l$ci.lb), ci_ub = I(l$ci.ub), Q = I(l$Q), Qp = I(l$Qp),
       tau2 = na(l$tau2), I2 = I(l$I2), H2 = I(l$H2))
}

influence_block <- function(inf) {
  i <- inf$inf
  dfb <- lapply(unclass(inf$dfbs)[seq_len(inf$p)], I)
  if (inf$p == 1) dfb <- dfb[[1]]
  list(rstudent = I(i$rstudent), dffits = I(i$dffits), cook_d = I(i$cook.d),
       cov_r = I(i$cov.r), tau2_del = I(i$tau2.del), QE_del = I(i$QE.del), hat = I(i$hat),
       weight = I(i$weight), dfbetas = dfb, is_infl = I(inf$is.infl))
}

reg_block <- function(rt) {
  f <- rt$fit
  list(model = rt$model, stat = unname(rt$zval), pval = unname(rt$pval), df = nn(rt$ddf),
       est = nn(unname(rt$est)), ci_lb = nn(unname(rt$ci.lb)), ci_ub = nn(unname(rt$ci.ub)))
}

tf_block <- function(tf) {
  list(k0 = tf$k0, se_k0 = tf$se.k0, side = tf$side, k_total = tf$k,
       estimate = unname(c(tf$beta)), se = tf$se, stat = unname(tf$zval), pval = tf$pval,
       ci_lb = tf$ci.lb, ci_ub = tf$ci.ub, tau2 = tf$tau2, QE = tf$QE,
       yi_aug = I(c(tf$yi)), vi_aug = I(tf$vi), weights_pct = I(unname(weights(tf))))
}

header <- function(name, source, d) {
  list(case = name, source = source, metafor_version = as.character(packageVersion("metafor")),
       R_version = paste(R.version$major, R.version$minor, sep = "."), control = ctl,
       confint_control = ci_ctl, k = length(d$yi), yi = I(c(d$yi)), vi = I(c(d$vi)),
       ni = I(c(d$ni)), arbitrary = I(weight_kinds$arbitrary(d)))
}

diag_fits <- list(c("REML", "z"), c("REML", "knha"), c("DL", "t"), c("FE", "z"), c("PM", "adhoc"))

analyse <- function(name, d, source, mods = NULL, newmods = NULL) {
  out <- header(name, source, d)
  if (!is.null(mods)) out$mods <- lapply(as.data.frame(mods), I)
  out$newmods <- if (is.null(newmods)) NULL else I(newmods)
  models <- list()
  for (kind in names(weight_kinds)) for (m in methods) for (tst in tests) {
    models[[paste(kind, m, tst, sep = "_")]] <-
      try_block(model_block(fit(d, kind, m, tst, mods), newmods))
  }
  out$models <- models
  diags <- list()
  for (kind in names(weight_kinds)) for (f in diag_fits) {
    res <- fit(d, kind, f[1], f[2], mods)
    blk <- list(influence = try_block(influence_block(influence(res))))
    if (is.null(mods)) {
      k <- length(d$yi)
      blk$leave1out <- try_block(subset_block(leave1out(res)))
      blk$cumul <- try_block(subset_block(cumul(res)))
      blk$cumul_reversed <- try_block(subset_block(do.call(cumul, list(res, order = rev(seq_len(k))))))
      blk$regtest_rma <- try_block(reg_block(regtest(res)))
      blk$regtest_lm <- try_block(reg_block(regtest(res, model = "lm")))
      # trimfill passes ... to its refits: the same convergence as the model's
      tf <- if (f[1] %in% c("FE", "EE")) trimfill(res) else trimfill(res, control = ctl)
      blk$trimfill <- try_block(tf_block(tf))
    }
    diags[[paste(kind, f[1], f[2], sep = "_")]] <- blk
  }
  out$diagnostics <- diags
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg$ni <- with(dat.bcg, tpos + tneg + cpos + cneg)
nrm <- escalc("MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
              data = dat.normand1999)
nrm$ni <- with(dat.normand1999, n1i + n2i)

analyse("dat.bcg__RR", bcg, "metadat dat.bcg, escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg)")
analyse("dat.normand1999__MD", nrm,
        "metadat dat.normand1999, escalc(\"MD\", m1i, sd1i, n1i, m2i, sd2i, n2i)")
analyse("metareg_bcg_ablat", bcg, "dat.bcg (RR) with mods = ablat",
        mods = cbind(ablat = dat.bcg$ablat), newmods = c(10, 33, 55))
analyse("metareg_bcg_ablat_year", bcg, "dat.bcg (RR) with mods = ablat and year - 1960",
        mods = cbind(ablat = dat.bcg$ablat, year = dat.bcg$year - 1960),
        newmods = rbind(c(10, -10), c(33, 5), c(55, 20)))
