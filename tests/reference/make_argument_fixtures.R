# Reference values from metafor for four arguments: rma(btt=), ranktest(exact=),
# predict(level=) and predict(transf=).
#
# * btt.json: dat.bcg (log risk ratios) with mods = ~ ablat + I(year - 1960), REML and
#   FE, tests z and knha, the omnibus test QM (QMdf, QMp) of each subset of the three
#   coefficients (btt = 1, 2, 3, c(1, 3), c(2, 3), 1:3) and of the regular expressions
#   "ablat" and "year", with the line print.rma.uni heads that test with ("Test of
#   Moderators (coefficients 1,3):");
# * btt_intrcpt.json: the same fit with the column ablat named intrcpt, which metafor
#   names intrcpt.1 (the intercept) and intrcpt.2 (the column), and its reading of btt
#   = "intrcpt" (a regular expression: both), "intrcpt.1", "intrcpt.2", 1 and 2, and
#   the coefficient names metafor makes of other sets of column names that repeat one;
# * ranktest.json: ranktest(yi, vi, exact = TRUE) and exact = FALSE on data without ties
#   (dat.bcg, k = 13; the hand-made k = 3 and k = 60 of metafor_bias), with ties
#   (synthetic_ties and triple_ties of metafor_bias) and with k = 200 (exact = FALSE only:
#   R's exact routine returns NaN above n = 170);
# * predict.json: predict(res, level = 90 / 99 / 0.9) of REML and FE fits, z and knha,
#   without moderators and with mods = ~ ablat (fitted values and newmods), pi.type
#   "default", "riley" and "t", the model itself fitted at 95% and, once, at 80%;
# * transf.json: predict(res, transf = exp) and a decreasing transf (function(x) -x,
#   whose bounds metafor swaps back into order) of REML and FE fits, z and knha, without
#   moderators and at newmods of ablat, pi.type "default" and "riley".
#
# year is centred at 1960 as in make_options_fixtures.R: with the raw year the intercept
# and year columns are nearly collinear and rounding in both programs reaches ~1e-9.
# REML runs to convergence (threshold = tol = 1e-12).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_argument_fixtures.R
# Writes tests/reference/metafor_arguments/{btt,btt_intrcpt,ranktest,predict,transf}.json
# (17 significant digits; see fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_arguments"
dir.create(out_dir, showWarnings = FALSE)
quiet <- function(expr) withCallingHandlers(expr, warning = function(w) invokeRestart("muffleWarning"))
header <- function(what) {
  list(source = paste("metafor", as.character(packageVersion("metafor")), "make_argument_fixtures.R"),
       R_version = paste(R.version$major, R.version$minor, sep = "."), what = what, control = ctl)
}

dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
yi <- as.numeric(dat$yi)
vi <- as.numeric(dat$vi)
ablat <- dat.bcg$ablat
year <- dat.bcg$year - 1960

fit <- function(method, test, level = 95, mods = NULL, btt = NULL) {
  args <- list(yi = yi, vi = vi, method = method, test = test, level = level)
  if (!is.null(mods)) args$mods <- mods
  if (!is.null(btt)) args$btt <- btt
  if (method != "FE") args$control <- ctl
  quiet(do.call(rma, args))
}

# ---- btt -------------------------------------------------------------------------------
X <- cbind(ablat = ablat, year = year)
btts <- list(`1` = 1, `2` = 2, `3` = 3, `1,3` = c(1, 3), `2,3` = c(2, 3), `1:3` = 1:3,
             ablat = "ablat", year = "year")
fits <- list()
for (m in c("REML", "FE")) for (tst in c("z", "knha")) {
  cases <- lapply(btts, function(b) {
    res <- fit(m, tst, mods = X, btt = b)
    shown <- capture.output(print(res))
    list(btt = I(res$btt), QM = res$QM, QMdf = I(res$QMdf), QMp = res$QMp,
         heading = grep("^Test of Moderators", shown, value = TRUE))
  })
  fits[[paste(m, tst, sep = "_")]] <- list(method = m, test = tst, btt = cases)
}
out <- c(header("rma(yi, vi, mods = cbind(ablat, year), btt = ...)"),
         list(data = list(dataset = "dat.bcg", measure = "RR", yi = I(yi), vi = I(vi),
                          ablat = I(ablat), year = I(year)),
              coef_names = I(c("intrcpt", "ablat", "year")), fits = fits))
writeLines(enc(out), file.path(out_dir, "btt.json"))

# ---- btt with a moderator named intrcpt ------------------------------------------------
Xi <- cbind(intrcpt = ablat, year = year)
btts_i <- list(intrcpt = "intrcpt", intrcpt.1 = "intrcpt.1", intrcpt.2 = "intrcpt.2", `1` = 1, `2` = 2)
fits <- list()
for (m in c("REML", "FE")) for (tst in c("z", "knha")) {
  cases <- lapply(btts_i, function(b) {
    res <- fit(m, tst, mods = Xi, btt = b)
    list(btt = I(res$btt), QM = res$QM, QMdf = I(res$QMdf), QMp = res$QMp)
  })
  fits[[paste(m, tst, sep = "_")]] <- list(method = m, test = tst, btt = cases)
}
# three columns that are not collinear, under names that repeat once made unique
X3 <- cbind(ablat, year, year^2)
name_sets <- list(c("intrcpt", "intrcpt.1", "x"), c("x.1", "x", "x"), c("intrcpt", "x", "x"))
names(name_sets) <- vapply(name_sets, paste, "", collapse = ",")
renamed <- lapply(name_sets, function(nm) {
  colnames(X3) <- nm
  list(columns = I(nm), coef_names = I(rownames(fit("FE", "z", mods = X3)$beta)))
})
out <- c(header("rma(yi, vi, mods = cbind(intrcpt = ablat, year), btt = ...)"),
         list(data = list(dataset = "dat.bcg", measure = "RR", yi = I(yi), vi = I(vi),
                          intrcpt = I(ablat), year = I(year)),
              coef_names = I(rownames(fit("REML", "z", mods = Xi)$beta)), fits = fits,
              renamed = renamed))
writeLines(enc(out), file.path(out_dir, "btt_intrcpt.json"))

# ---- ranktest --------------------------------------------------------------------------
bias_dir <- "tests/reference/metafor_bias"
from_bias <- function(f) {
  d <- fromJSON(file.path(bias_dir, f))
  list(yi = d$yi, vi = d$vi, source = paste0("metafor_bias/", f))
}
set.seed(20261130)
k200 <- list(yi = round(rnorm(200, 0.2, 0.3), 6), vi = round(runif(200, 0.01, 0.2), 6),
             source = "rnorm/runif, set.seed(20261130), rounded to 6 decimals")
data_sets <- list(dat_bcg = list(yi = yi, vi = vi, source = "dat.bcg, RR"),
                  synthetic_k3 = from_bias("synthetic_k3.json"),
                  synthetic_k60 = from_bias("synthetic_k60.json"),
                  synthetic_ties = from_bias("synthetic_ties.json"),
                  triple_ties = from_bias("ranktest/triple_ties.json"),
                  k200 = k200)
rank_cases <- lapply(data_sets, function(d) {
  one <- function(exact) {
    r <- quiet(ranktest(d$yi, d$vi, exact = exact))
    list(tau = unname(r$tau), pval = r$pval)
  }
  ties <- function(x) length(unique(x)) < length(x)
  wi <- 1 / d$vi
  star <- (d$yi - sum(wi * d$yi) / sum(wi)) / sqrt(d$vi - 1 / sum(wi))
  list(source = d$source, k = length(d$yi), ties = ties(star) || ties(d$vi),
       yi = I(d$yi), vi = I(d$vi), exact_true = one(TRUE), exact_false = one(FALSE))
})
out <- c(header("ranktest(yi, vi, exact = TRUE / FALSE)"), list(cases = rank_cases))
writeLines(enc(out), file.path(out_dir, "ranktest.json"))

# ---- predict(level = ...) --------------------------------------------------------------
pred_block <- function(p) {
  na <- function(x) if (is.null(x) || all(is.na(x))) NULL else I(unname(c(x)))
  list(pred = I(unname(c(p$pred))), se = I(unname(c(p$se))), ci_lb = I(unname(c(p$ci.lb))),
       ci_ub = I(unname(c(p$ci.ub))), pi_lb = na(p$pi.lb), pi_ub = na(p$pi.ub))
}
newmods <- c(10, 33.5, 55)
pred_cases <- list()
for (m in c("REML", "FE")) for (tst in c("z", "knha")) for (model_level in c(95, 80)) {
  if (model_level == 80 && !(m == "REML" && tst == "z")) next
  for (kind in c("int_only", "ablat", "ablat_newmods")) {
    res <- fit(m, tst, level = model_level, mods = if (kind == "int_only") NULL else ablat)
    levels <- list()
    for (lev in c(90, 99, 0.9)) for (type in c("default", "riley", "t")) {
      p <- if (kind == "ablat_newmods") predict(res, newmods = newmods, level = lev, pi.type = type)
           else predict(res, level = lev, pi.type = type)
      levels[[paste(format(lev), type, sep = "_")]] <- c(list(level = lev, pi_type = type), pred_block(p))
    }
    name <- paste(m, tst, model_level, kind, sep = "_")
    pred_cases[[name]] <- list(method = m, test = tst, model_level = model_level,
                               mods = if (kind == "int_only") NULL else "ablat",
                               newmods = if (kind == "ablat_newmods") I(newmods) else NULL,
                               predict = levels)
  }
}
out <- c(header("predict(rma(yi, vi, ...), level = ...)"),
         list(data = list(dataset = "dat.bcg", measure = "RR", yi = I(yi), vi = I(vi), ablat = I(ablat)),
              cases = pred_cases))
writeLines(enc(out), file.path(out_dir, "predict.json"))

# ---- predict(transf = ...) -------------------------------------------------------------
transfs <- list(exp = exp, negate = function(x) -x)
transf_cases <- list()
for (m in c("REML", "FE")) for (tst in c("z", "knha")) for (kind in c("int_only", "ablat_newmods")) {
  res <- fit(m, tst, mods = if (kind == "int_only") NULL else ablat)
  preds <- list()
  for (tf in names(transfs)) for (type in c("default", "riley")) {
    p <- if (kind == "ablat_newmods") predict(res, newmods = newmods, transf = transfs[[tf]], pi.type = type)
         else predict(res, transf = transfs[[tf]], pi.type = type)
    preds[[paste(tf, type, sep = "_")]] <- c(list(transf = tf, pi_type = type), pred_block(p))
  }
  transf_cases[[paste(m, tst, kind, sep = "_")]] <- list(
    method = m, test = tst, mods = if (kind == "int_only") NULL else "ablat",
    newmods = if (kind == "ablat_newmods") I(newmods) else NULL, predict = preds)
}
out <- c(header("predict(rma(yi, vi, ...), transf = ...)"),
         list(data = list(dataset = "dat.bcg", measure = "RR", yi = I(yi), vi = I(vi), ablat = I(ablat)),
              cases = transf_cases))
writeLines(enc(out), file.path(out_dir, "transf.json"))
