# Reference values for metareview.bias from metafor, fitted to convergence.
#
# The public fixtures (tests/reference/metafor/*.json, block "bias") were computed with
# metafor's default control: Fisher scoring stops when tau^2 changes by < 1e-5 and
# uniroot stops at tol = .Machine$double.eps^0.25, so every REML/PM-based number there
# differs from the exact root by up to ~1e-5 relative. metareview solves to the exact
# root; this script recomputes the same bias analyses with tight control so that they
# can be compared at 1e-8, and adds cases the public fixtures do not cover (k > 50,
# k = 3, ties, Knapp-Hartung, DL/PM models, estimators R0/Q0, a forced side). Each fit
# also carries its leave1out (the analyses' sensitivity check; the public fixtures hold
# it for the REML z-test model only).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_bias_fixtures.R
# Writes tests/reference/metafor_bias/<case>.json. Numbers are written with 17
# significant digits, so json.load reproduces R's doubles exactly; NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
in_dir <- "tests/reference/metafor"
out_dir <- "tests/reference/metafor_bias"
dir.create(out_dir, showWarnings = FALSE)

# ---- minimal JSON writer: scalars stay scalars, I(x) marks per-study arrays ----------
source("tests/reference/fixture_json.R")  # num(), enc()

# ---- the analyses ---------------------------------------------------------------------
reg_block <- function(rt) {
  f <- rt$fit
  out <- list(model = rt$model, predictor = rt$predictor, stat = unname(rt$zval),
              pval = unname(rt$pval), df = if (is.null(rt$ddf) || is.na(rt$ddf)) NULL else rt$ddf,
              est = unname(rt$est), ci_lb = unname(rt$ci.lb), ci_ub = unname(rt$ci.ub))
  if (rt$model == "rma") {
    out$method <- f$method
    out$test <- f$test
    out$slope <- unname(f$beta[2])
    out$slope_se <- unname(f$se[2])
    out$tau2 <- f$tau2
  } else {
    cf <- coef(summary(f))
    out$slope <- unname(cf[2, 1])
    out$slope_se <- unname(cf[2, 2])
  }
  out
}

tf_block <- function(tf, k) {
  list(k0 = tf$k0, se_k0 = tf$se.k0, side = tf$side, estimator = tf$k0.est,
       k_total = tf$k, method = tf$method, test = tf$test,
       estimate = unname(c(tf$beta)), se = tf$se, stat = unname(tf$zval), pval = tf$pval,
       ci_lb = tf$ci.lb, ci_ub = tf$ci.ub, tau2 = tf$tau2, I2 = tf$I2, H2 = tf$H2,
       QE = tf$QE, QEp = tf$QEp, yi_aug = I(c(tf$yi)), vi_aug = I(tf$vi),
       filled = I(tf$fill))
}

analyse <- function(name, yi, vi, source, fits) {
  out <- list(case = name, source = source, metafor_version = as.character(packageVersion("metafor")),
              R_version = paste(R.version$major, R.version$minor, sep = "."),
              control = ctl, k = length(yi), yi = I(yi), vi = I(vi))
  rk <- withCallingHandlers(ranktest(yi, vi), warning = function(w) invokeRestart("muffleWarning"))
  out$ranktest <- list(tau = unname(rk$tau), pval = rk$pval)
  fs <- fsn(yi, vi)
  out$fsn <- list(fsnum = fs$fsnum, pval = fs$pval)
  out$fits <- list()
  for (fit in fits) {
    args <- list(yi = yi, vi = vi, method = fit$method, test = fit$test)
    if (!(fit$method %in% c("FE", "EE"))) args$control <- ctl
    res <- do.call(rma, args)
    l1o <- leave1out(res)
    blk <- list(method = fit$method, test = fit$test, tau2 = res$tau2,
                regtest = reg_block(regtest(res)),
                regtest_lm = reg_block(regtest(res, model = "lm")),
                leave1out = list(estimate = I(l1o$estimate), ci_lb = I(l1o$ci.lb), ci_ub = I(l1o$ci.ub),
                                 pval = I(l1o$pval)))
    tfs <- list()
    for (tfa in fit$trimfill) {
      targs <- c(list(res), tfa)
      if (!(fit$method %in% c("FE", "EE"))) targs$control <- ctl
      tag <- paste0(tfa$estimator, "_", if (is.null(tfa$side)) "auto" else tfa$side)
      # some estimator/data combinations fail in metafor (e.g. Q0 taking the square
      # root of a negative number); record the failure so the port is held to it too
      tf <- tryCatch(suppressWarnings(do.call(trimfill, targs)),
                     error = function(e) list(error = conditionMessage(e)))
      tfs[[tag]] <- if (is.null(tf$error)) tf_block(tf, length(yi)) else tf
    }
    blk$trimfill <- tfs
    out$fits[[paste0(fit$method, "_", fit$test)]] <- blk
  }
  writeLines(enc(out), file.path(out_dir, paste0(name, ".json")))
}

std_tf <- list(list(estimator = "L0"), list(estimator = "R0"), list(estimator = "Q0"),
               list(estimator = "L0", side = "left"), list(estimator = "L0", side = "right"))
std_fits <- list(
  list(method = "REML", test = "z", trimfill = std_tf),
  list(method = "FE", test = "z", trimfill = std_tf[1]),
  list(method = "DL", test = "z", trimfill = std_tf[1]),
  list(method = "PM", test = "z", trimfill = std_tf[1]),
  list(method = "REML", test = "knha", trimfill = std_tf[1])
)

for (f in sort(list.files(in_dir, pattern = "\\.json$", full.names = TRUE))) {
  d <- fromJSON(f)
  name <- sub("\\.json$", "", basename(f))
  analyse(name, d$yi, d$vi, paste("yi/vi of", basename(f)), std_fits)
}

# synthetic cases (the data are stored in the output, so R's RNG is only a convenience)
set.seed(20240611)
k <- 60  # above cor.test's n < 50 default: ranktest still asks for the exact p-value
vi <- runif(k, 0.01, 0.5)
yi <- rnorm(k, 0.3 + 0.6 * sqrt(vi), sqrt(vi + 0.05))
analyse("synthetic_k60", yi, vi, "set.seed(20240611); runif/rnorm, small-study effect", std_fits)

yi <- c(0.42, 0.11, 0.73)
vi <- c(0.05, 0.02, 0.11)
analyse("synthetic_k3", yi, vi, "hand-made, k = 3",
        list(list(method = "REML", test = "z", trimfill = std_tf[c(1, 4, 5)]),
             list(method = "FE", test = "z", trimfill = std_tf[1]),
             list(method = "DL", test = "z", trimfill = std_tf[1])))

# ties in yi and in vi: stable ordering in trimfill, normal approximation in ranktest
# (values off a regular grid, so that no two studies lie exactly symmetric about a
# pooled estimate, where the ranking would hinge on the last bit of beta)
yi <- c(0.52, 0.52, 0.17, 0.93, 0.52, 1.13, 0.17, 0.71, 1.42, 0.29, 0.84, 1.06)
vi <- c(0.04, 0.04, 0.01, 0.09, 0.02, 0.16, 0.01, 0.06, 0.25, 0.02, 0.09, 0.16)
analyse("synthetic_ties", yi, vi, "hand-made, ties in yi and vi", std_fits)

# a nearly symmetric funnel (an exactly symmetric one would leave the side to the sign
# of a slope that is zero up to rounding)
yi <- c(-0.31, -0.12, 0.02, 0.09, 0.33, -0.18, 0.21)
vi <- c(0.05, 0.04, 0.05, 0.06, 0.05, 0.1, 0.12)
analyse("synthetic_symmetric", yi, vi, "hand-made, nearly symmetric funnel", std_fits)

# ranktest alone (tests/reference/metafor_bias/ranktest/, outside the glob of whole
# analyses): three identical studies twice over tie three deviates and three vi at once,
# the only data for which the last term of the tie-corrected variance of Kendall's
# score, sum t(t-1)(t-2) over both variables, is not 0
yi <- c(0.3, 0.3, 0.3, 0.1, 0.1, 0.1, 0.62, 0.45, -0.05, 0.21, 0.57)
vi <- c(0.04, 0.04, 0.04, 0.02, 0.02, 0.02, 0.09, 0.06, 0.03, 0.05, 0.07)
rk <- withCallingHandlers(ranktest(yi, vi), warning = function(w) invokeRestart("muffleWarning"))
dir.create(file.path(out_dir, "ranktest"), showWarnings = FALSE)
writeLines(enc(list(case = "triple_ties", source = "hand-made, triple ties in yi* and vi",
                    metafor_version = as.character(packageVersion("metafor")),
                    yi = I(yi), vi = I(vi), tau = unname(rk$tau), pval = rk$pval)),
           file.path(out_dir, "ranktest", "triple_ties.json"))
