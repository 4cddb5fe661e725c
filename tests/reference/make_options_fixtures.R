# Reference values from metafor for every option combination of rma() the library offers.
#
# The public fixtures (tests/reference/metafor/*.json) fit each tau^2 estimator with the
# z-test at the 95% level, Knapp-Hartung only for DL, REML and PM, meta-regression and
# case diagnostics only for REML. The analyses, however, run with a configured estimator,
# test (the example review: REML with test = "adhoc") and level, and refit the same model
# in their leave-one-out and small-study checks. This script fits, on the same data:
#
# * every estimator (FE, DL, REML, ML, PM, PMM, HE, SJ, EB, HS) with every test
#   (z, t, knha, adhoc) at the 95% level, and with z and adhoc at the 90% level:
#   estimates, tests, intervals, heterogeneity, predict() with pi.type "default",
#   "riley" and "t", and the Q-profile confint();
# * REML with test = "adhoc" and control tau2.max below and above the default search end;
# * leave1out(), cumul() (data order and reversed) and influence() for several
#   estimator/test pairs;
# * regtest() (predictors sei and vi) and trimfill() on the adhoc and t fits;
# * meta-regressions (one and two moderators, a factor, no intercept) with every
#   estimator and test, predict() at new moderator values and confint();
# * subgroups (dat.bcg by allocation) with every estimator and test;
# * fsn() at alpha 0.1 and 0.01, and each study's Wald interval (summary.escalc).
#
# Iterative estimators run to convergence (threshold = tol = 1e-12), so an exact solver
# can be held to them at 1e-8 relative; closed forms agree to rounding.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_options_fixtures.R
# Writes tests/reference/metafor_options/<case>.json. Numbers are written with 17
# significant digits, so json.load reproduces R's doubles exactly; NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

# The reference is metafor 3.8-1: another version would write other fixtures.
stopifnot(packageVersion("metafor") == "3.8.1")

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
ci_ctl <- list(tol = 1e-12, maxiter = 10000)
in_dir <- "tests/reference/metafor"
out_dir <- "tests/reference/metafor_options"
dir.create(out_dir, showWarnings = FALSE)

methods <- c("FE", "DL", "REML", "ML", "PM", "PMM", "HE", "SJ", "EB", "HS")
tests <- c("z", "t", "knha", "adhoc")

# ---- minimal JSON writer: scalars stay scalars, I(x) marks per-study arrays ----------
source("tests/reference/fixture_json.R")  # num(), enc_compact()
nn <- function(x) if (is.null(x) || all(is.na(x))) NULL else x
# a per-row array, or null where metafor has none
na <- function(x) if (is.null(x) || all(is.na(x))) NULL else I(x)
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))

fit <- function(yi, vi, method, test, level, mods = NULL, extra = list()) {
  args <- c(list(yi = yi, vi = vi, method = method, test = test, level = level), extra)
  if (!is.null(mods)) args$mods <- mods
  if (!(method %in% c("FE", "EE"))) args$control <- c(ctl, extra$control)
  args$control <- if (is.null(args$control)) NULL else args$control[!duplicated(names(args$control))]
  quiet(do.call(rma, args))
}

pred_block <- function(p) {
  list(pred = I(unname(c(p$pred))), se = I(unname(c(p$se))), ci_lb = I(unname(c(p$ci.lb))),
       ci_ub = I(unname(c(p$ci.ub))), pi_lb = na(unname(c(p$pi.lb))),
       pi_ub = na(unname(c(p$pi.ub))), pi_df = na(unname(c(p$pi.ddf))))
}

confint_block <- function(res) {
  ci <- quiet(confint(res, control = ci_ctl))
  r <- ci$random
  list(tau2_lb = r[1, 2], tau2_ub = r[1, 3], tau_lb = r[2, 2], tau_ub = r[2, 3],
       I2_lb = r[3, 2], I2_ub = r[3, 3], H2_lb = r[4, 2], H2_ub = r[4, 3],
       lb_sign = ci$lb.sign, ub_sign = ci$ub.sign, ci_null = ci$ci.null)
}

model_block <- function(res, newmods = NULL) {
  re <- !(res$method %in% c("FE", "EE"))
  out <- list(method = res$method, test = res$test, level = 100 * (1 - res$level), k = res$k,
              p = res$p, estimate = I(unname(c(res$beta))), se = I(unname(res$se)),
              stat = I(unname(res$zval)), df = nn(res$ddf[1]), pval = I(unname(res$pval)),
              ci_lb = I(unname(res$ci.lb)), ci_ub = I(unname(res$ci.ub)),
              tau2 = res$tau2, se_tau2 = nn(res$se.tau2), I2 = res$I2, H2 = res$H2,
              QE = res$QE, QEp = res$QEp, s2w = res$s2w,
              ll_ML = unname(fitstats(res, REML = FALSE)[1]),
              ll_REML = unname(fitstats(res, REML = TRUE)[1]))
  # the weights do not depend on the test: written once per estimator and level
  if (res$test == "z") out$weights_pct <- I(unname(weights(res)))
  if (res$p > 1 || !res$int.only) {
    out$QM <- res$QM
    out$QMdf <- na(res$QMdf)
    out$QMp <- res$QMp
    out$R2 <- nn(res$R2)
  }
  pr <- list()
  for (type in c("default", "riley", "t")) {
    p <- if (is.null(newmods)) predict(res, pi.type = type) else predict(res, newmods = newmods, pi.type = type)
    pr[[type]] <- pred_block(p)
  }
  out$predict <- pr
  if (re) out$confint <- try_block(confint_block(res))
  out
}

subset_block <- function(l) {
  # a t statistic is called tval under the t-type tests
  list(estimate = I(l$estimate), se = I(l$se), stat = I(if (is.null(l$zval)) l$tval else l$zval),
       pval = I(l$pval), ci_lb = I(l$ci.lb), ci_ub = I(l$ci.ub), Q = I(l$Q), Qp = I(l$Qp),
       tau2 = na(l$tau2), I2 = I(l$I2), H2 = I(l$H2))
}

influence_block <- function(inf) {
  i <- inf$inf
  # dfbetas: one array per coefficient (a single array for models without moderators)
  dfb <- lapply(unclass(inf$dfbs)[seq_len(inf$p)], I)
  if (inf$p == 1) dfb <- dfb[[1]]
  list(rstudent = I(i$rstudent), dffits = I(i$dffits), cook_d = I(i$cook.d),
       cov_r = I(i$cov.r), tau2_del = I(i$tau2.del), QE_del = I(i$QE.del), hat = I(i$hat),
       weight = I(i$weight), dfbetas = dfb, is_infl = I(inf$is.infl))
}

reg_block <- function(rt) {
  f <- rt$fit
  list(predictor = rt$predictor, method = f$method, test = f$test, stat = unname(rt$zval),
       pval = unname(rt$pval), df = nn(rt$ddf), est = unname(rt$est), ci_lb = unname(rt$ci.lb),
       ci_ub = unname(rt$ci.ub), slope = unname(f$beta[2]), slope_se = unname(f$se[2]),
       tau2 = f$tau2)
}

tf_block <- function(tf) {
  list(k0 = tf$k0, se_k0 = tf$se.k0, side = tf$side, k_total = tf$k, method = tf$method,
       test = tf$test, estimate = unname(c(tf$beta)), se = tf$se, stat = unname(tf$zval),
       df = nn(tf$ddf), pval = tf$pval, ci_lb = tf$ci.lb, ci_ub = tf$ci.ub, tau2 = tf$tau2,
       I2 = tf$I2, H2 = tf$H2, QE = tf$QE, QEp = tf$QEp, yi_aug = I(c(tf$yi)),
       vi_aug = I(tf$vi), filled = I(tf$fill))
}

header <- function(name, source) {
  list(case = name, source = source, metafor_version = as.character(packageVersion("metafor")),
       R_version = paste(R.version$major, R.version$minor, sep = "."), control = ctl,
       confint_control = ci_ctl)
}

diag_fits <- list(c("REML", "adhoc"), c("REML", "t"), c("REML", "knha"), c("DL", "z"),
                  c("DL", "adhoc"), c("PM", "adhoc"), c("ML", "z"), c("FE", "z"),
                  c("FE", "knha"), c("SJ", "z"), c("EB", "adhoc"), c("HE", "z"), c("PMM", "z"),
                  c("HS", "z"))
bias_fits <- list(c("REML", "adhoc"), c("REML", "t"), c("DL", "adhoc"), c("PM", "adhoc"), c("ML", "z"),
                  c("HE", "z"), c("SJ", "z"), c("EB", "z"), c("HS", "z"), c("PMM", "z"), c("FE", "knha"))
# a block metafor refuses (trimfill's Q0 on some data, case diagnostics of tiny k) is
# recorded as {"error": message}, so that the port is held to refusing it too
try_block <- function(expr) tryCatch(quiet(expr), error = function(e) list(error = conditionMessage(e)))

analyse <- function(name, yi, vi, source) {
  out <- c(header(name, source), list(k = length(yi), yi = I(yi), vi = I(vi)))
  models <- list()
  for (m in methods) for (tst in tests) for (lev in c(95, 90)) {
    if (lev == 90 && !(tst %in% c("z", "adhoc"))) next
    models[[paste(m, tst, lev, sep = "_")]] <- try_block(model_block(fit(yi, vi, m, tst, lev)))
  }
  out$models <- models
  # the end of the Q-profile search: one below the upper bound, one far above the default
  t2max <- list()
  for (tm in c(0.05, 1000)) {
    res <- fit(yi, vi, "REML", "adhoc", 95, extra = list(control = list(tau2.max = tm)))
    t2max[[format(tm)]] <- list(tau2_max = tm, tau2 = res$tau2, confint = try_block(confint_block(res)))
  }
  out$tau2_max <- t2max
  k <- length(yi)
  diags <- list()
  for (f in diag_fits) {
    res <- try_block(fit(yi, vi, f[1], f[2], 95))
    if (!inherits(res, "rma")) {
      diags[[paste(f, collapse = "_")]] <- c(list(method = f[1], test = f[2]), res)
      next
    }
    rev_order <- rev(seq_len(k))
    diags[[paste(f, collapse = "_")]] <- list(
      method = f[1], test = f[2],
      leave1out = try_block(subset_block(leave1out(res))),
      cumul = try_block(subset_block(cumul(res))),
      cumul_reversed = try_block(c(list(order = I(rev_order)),
                                   subset_block(do.call(cumul, list(res, order = rev_order))))),
      influence = try_block(influence_block(influence(res))))
    if (f[1] == "EB" && any(vi <= 0)) {
      # metafor's EB iteration starts at max(0, HE); at 0 a study with vi = 0 has an
      # infinite weight and the refit fails (NA) even where the fixed point tau^2 > 0
      # exists. Those refits again, started at tau^2 = 0.01:
      again <- function(keep) {
        r <- try_block(rma(yi[keep], vi[keep], method = "EB", test = f[2],
                           control = c(ctl, list(tau2.init = 0.01))))
        if (inherits(r, "rma")) c(r$tau2, r$beta[1], r$se) else c(NA, NA, NA)
      }
      l1o <- sapply(seq_len(k), function(i) again(seq_len(k) != i))
      cum <- sapply(seq_len(k), function(i) again(seq_len(k) <= i))
      diags[[paste(f, collapse = "_")]]$positive_start <- list(
        tau2_init = 0.01,
        leave1out = list(tau2 = I(l1o[1, ]), estimate = I(l1o[2, ]), se = I(l1o[3, ])),
        cumul = list(tau2 = I(cum[1, ]), estimate = I(cum[2, ]), se = I(cum[3, ])))
    }
  }
  out$diagnostics <- diags
  bias <- list()
  for (f in bias_fits) {
    res <- try_block(fit(yi, vi, f[1], f[2], 95))
    if (!inherits(res, "rma")) {
      bias[[paste(f, collapse = "_")]] <- c(list(method = f[1], test = f[2]), res)
      next
    }
    tfs <- list()
    for (est in c("L0", "R0", "Q0")) {
      tfs[[est]] <- try_block(tf_block(trimfill(res, estimator = est,
                                                control = if (f[1] == "FE") NULL else ctl)))
    }
    bias[[paste(f, collapse = "_")]] <- list(
      method = f[1], test = f[2],
      regtest_sei = try_block(reg_block(regtest(res))),
      regtest_vi = try_block(reg_block(regtest(res, predictor = "vi"))),
      trimfill = tfs)
  }
  out$bias <- bias
  # Rosenthal's fail-safe N at other one-sided levels than the default 0.05
  out$fsn <- lapply(list(`0.1` = 0.1, `0.01` = 0.01), function(a) {
    fs <- fsn(yi, vi, alpha = a)
    list(alpha = a, fsnum = fs$fsnum, pval = fs$pval)
  })
  # each study's own Wald interval, as tables and forest plots show it
  out$study_ci <- lapply(list(`95` = 95, `90` = 90), function(lev) {
    s <- summary(escalc(measure = "GEN", yi = yi, vi = vi), level = lev)
    list(level = lev, ci_lb = I(s$ci.lb), ci_ub = I(s$ci.ub))
  })
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

# One public dataset per kind of measure and size: the others hold the same studies on
# another measure (bcg and lee2004 RR, normand1999 SMD), or 37 studies whose diagnostics
# alone would be 0.4 MB (hackshaw1998); the pooling sees only yi and vi.
datasets <- c("dat.bcg__OR", "dat.hine1989__RD", "dat.lee2004__OR", "dat.normand1999__MD",
              "dat.raudenbush1985__SMD")
for (f in file.path(in_dir, paste0(datasets, ".json"))) {
  d <- fromJSON(f)
  analyse(sub("\\.json$", "", basename(f)), d$yi, d$vi, paste("yi/vi of", basename(f)))
}

# small and homogeneous data: the example review pools two to five trials
analyse("synthetic_k2", c(0.42, 0.11), c(0.05, 0.02), "hand-made, k = 2")
analyse("synthetic_k3", c(0.42, 0.11, 0.73), c(0.05, 0.02, 0.11), "hand-made, k = 3")
analyse("synthetic_homogeneous", c(0.21, 0.25, 0.18, 0.3, 0.22), c(0.04, 0.03, 0.05, 0.06, 0.02),
        "hand-made, k = 5, Q far below k - 1 (tau^2 = 0 for every estimator that truncates)")
# a study with vi = 0 (e.g. an SMD of 0 with both SDs 0 does not arise, but a reported
# CI of zero width does): some estimators and the Q-profile interval need every vi > 0
analyse("synthetic_zero_vi", c(0.3, 0.12, 0.55, 0.41, 0.2, 0.62), c(0.04, 0, 0.05, 0.03, 0.06, 0.02),
        "hand-made, k = 6, one study with vi = 0")

# ---- subgroups: separate fits per level and the test of subgroup differences ----------
subgroup <- function(name, yi, vi, g, source) {
  out <- c(header(name, source), list(k = length(yi), yi = I(yi), vi = I(vi), groups = I(g)))
  levs <- sort(unique(g))
  fits <- list()
  for (m in methods) for (tst in tests) {
    per <- list()
    for (lev in levs) {
      sel <- g == lev
      r <- fit(yi[sel], vi[sel], m, tst, 95)
      per[[lev]] <- list(k = r$k, estimate = unname(c(r$beta)), se = r$se, stat = unname(r$zval),
                         pval = r$pval, ci_lb = r$ci.lb, ci_ub = r$ci.ub, tau2 = r$tau2,
                         I2 = r$I2, H2 = r$H2, QE = r$QE, QEp = r$QEp)
    }
    # treatment contrasts against the first level, as ~ factor(g)
    D <- sapply(levs[-1], function(l) as.numeric(g == l))
    r <- fit(yi, vi, m, tst, 95, mods = D)
    fits[[paste(m, tst, sep = "_")]] <- list(method = m, test = tst, levels = per,
                                               QM = r$QM, QMdf = na(r$QMdf), QMp = r$QMp)
  }
  out$fits <- fits
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

# ---- meta-regression ------------------------------------------------------------------
metareg <- function(name, yi, vi, X, intercept, newmods, source) {
  out <- c(header(name, source), list(k = length(yi), yi = I(yi), vi = I(vi),
                                      intercept = intercept, mods = lapply(as.data.frame(X), I),
                                      newmods = lapply(as.data.frame(newmods), I)))
  models <- list()
  for (m in methods) for (tst in tests) {
    res <- fit(yi, vi, m, tst, 95, mods = X, extra = list(intercept = intercept))
    nm <- if (intercept) newmods else newmods
    blk <- model_block(res, newmods = nm)
    # case diagnostics of a meta-regression (leave1out and cumul are for models
    # without moderators only, in metafor as here)
    blk$influence <- try_block(influence_block(influence(res)))
    models[[paste(m, tst, sep = "_")]] <- blk
  }
  out$models <- models
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

bcg <- fromJSON(file.path(in_dir, "dat.bcg__RR.json"))
# year centred at 1960: with the raw year (about 1950) the intercept column and year are
# nearly collinear and both solvers' rounding is amplified to ~1e-9 relative
year <- dat.bcg$year - 1960
stopifnot(identical(as.numeric(bcg$input$ablat), as.numeric(dat.bcg$ablat)))
metareg("metareg_bcg_ablat", bcg$yi, bcg$vi, cbind(ablat = bcg$input$ablat), TRUE,
        cbind(ablat = c(10, 33.5, 55)), "dat.bcg__RR.json, mods = ~ ablat")
metareg("metareg_bcg_ablat_year", bcg$yi, bcg$vi, cbind(ablat = bcg$input$ablat, year = year), TRUE,
        cbind(ablat = c(10, 33.5, 55), year = c(-20, 0, 20)),
        "dat.bcg__RR.json, mods = ~ ablat + I(year - 1960) (year from metadat's dat.bcg)")
alloc <- bcg$input$alloc
A <- cbind(alternate = as.numeric(alloc == "alternate"), random = as.numeric(alloc == "random"),
           systematic = as.numeric(alloc == "systematic"))
metareg("metareg_bcg_alloc_noint", bcg$yi, bcg$vi, A, FALSE, diag(3),
        "dat.bcg__RR.json, mods = ~ factor(alloc) - 1 (one mean per allocation)")
subgroup("subgroup_bcg_alloc", bcg$yi, bcg$vi, bcg$input$alloc, "dat.bcg__RR.json, subgroups by alloc")
rb <- fromJSON(file.path(in_dir, "dat.raudenbush1985__SMD.json"))
metareg("metareg_raudenbush_weeks", rb$yi, rb$vi, cbind(weeks = rb$input$weeks), TRUE,
        cbind(weeks = c(0, 1, 3)), "dat.raudenbush1985__SMD.json, mods = ~ weeks")
