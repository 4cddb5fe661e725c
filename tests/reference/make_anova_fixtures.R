# Reference values for metareview.anova (metafor's anova.rma) on published datasets.
#
# For each dataset, fits with and without moderators by EE, FE, DL, ML and REML under
# the z and Knapp-Hartung tests, and
# * wald: anova(res, btt = ...): the Wald-type test QM (or F) of a set of coefficients,
#   the model's own set (btt missing) among them, also with rhs;
# * lincomb: anova(res, X = ...): linear combinations of the coefficients (one row, several
#   rows, rows without the intercept's column, rows of less than full rank, whose omnibus
#   test metafor leaves NA, and rhs), each with estimate, se, z or t, p-value, and the
#   omnibus test of all of them;
# * lrt: anova(full, reduced): the likelihood ratio test of nested models (either order,
#   refit = TRUE for REML fits with different fixed effects, a DL pair, and test = "Wald"),
#   with the fit statistics of both models, QE, tau^2, the pseudo R^2 and the warnings
#   metafor gives;
# * checks: the pairs metafor refuses (the same number of parameters, other data, ML
#   against REML, an FE full model against a random-effects reduced one, test = "Wald"
#   across methods or with nothing to test) and the X it refuses, with its message.
# Also (the "extra_" cases) models without intercept, with weights (the total sample
# sizes ni), unweighted, and at a given tau^2, and btt as a regular expression.
# Every case keeps the lines print.anova.rma writes ("printed"); X is written by rows,
# with its number of columns (X_ncol).
#
# dat.bcg: log risk ratios, mods ablat and year (centred at 1960 as in
# make_argument_fixtures.R: the raw year is nearly collinear with the intercept).
# dat.raudenbush1985: standardised mean differences, mods weeks (capped at 3, as in
# Raudenbush 1984) and blind (1 when the tester was blind to the condition).
# ML and REML run to convergence (threshold = tol = 1e-12).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_anova_fixtures.R
# Writes tests/reference/metafor_anova/<dataset>.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
source("tests/reference/fixture_models.R")  # spec(), fitter()
out_dir <- "tests/reference/metafor_anova"
dir.create(out_dir, showWarnings = FALSE)

na_null <- function(x) if (is.null(x)) NA else x
printed <- function(a) I(capture.output(print(a)))

wald_block <- function(a) {
  list(QM = a$QM, QMdf = I(na_null(a$QMdf)), QMp = a$QMp, btt = I(a$btt), m = a$m)
}

lincomb_block <- function(a) {
  list(Xb = I(as.numeric(a$Xb)), se = I(as.numeric(a$se)), zval = I(as.numeric(a$zval)),
       pval = I(as.numeric(a$pval)), ddf = I(as.numeric(a$ddf)), QM = a$QM,
       QMdf = I(na_null(a$QMdf)), QMp = a$QMp, hyp = I(a$hyp[[1]]))
}

lrt_block <- function(a) {
  if (a$type != "LRT") return(c(list(type = a$type), wald_block(a)))
  fs <- function(x) as.list(x[c("ll", "dev", "AIC", "BIC", "AICc")])
  list(type = a$type, method = a$method, parms_f = a$parms.f, parms_r = a$parms.r,
       fit_stats_f = fs(a$fit.stats.f), fit_stats_r = fs(a$fit.stats.r), LRT = a$LRT,
       pval = a$pval, QE_f = a$QE.f, QE_r = a$QE.r, tau2_f = a$tau2.f, tau2_r = a$tau2.r,
       R2 = a$R2)
}

# One call of anova: its result (through `block`) and printout, or metafor's error, and
# the warnings given on the way.
entry <- function(fields, expr, block) {
  r <- run(expr)
  if (inherits(r$res, "err")) return(c(fields, list(error = r$res$msg, warnings = I(r$warnings))))
  c(fields, list(result = block(r$res), printed = printed(r$res), warnings = I(r$warnings)))
}

write_case <- function(name, source, yi, vi, ni, mods, full, reduced) {
  fit <- fitter(yi, vi, mods, ni)
  coef_names <- c("intrcpt", full)
  p <- length(coef_names)
  wald <- list()
  lincomb <- list()
  lrt <- list()
  checks <- list()
  for (method in c("EE", "FE", "DL", "ML", "REML")) for (test in c("z", "knha")) {
    s_full <- spec(full, method, test)
    res <- fit(s_full)
    # btt as 1-based indices (null: the model's own set)
    for (btt in list(NULL, 2, 3, c(2, 3), c(1, 3), 1:3)) {
      expr <- if (is.null(btt)) quote(anova(res)) else quote(anova(res, btt = btt))
      id <- paste(method, test, if (is.null(btt)) "default" else paste(btt, collapse = ","), sep = "_")
      wald[[id]] <- entry(list(model = s_full, btt = if (is.null(btt)) NULL else I(btt)),
                                        eval(expr), wald_block)
    }
    wald[[paste(method, test, "2,3_rhs", sep = "_")]] <- entry(list(model = s_full, btt = I(2:3), rhs = I(c(-0.02, 0.01))),
                                      anova(res, btt = 2:3, rhs = c(-0.02, 0.01)), wald_block)
    wald[[paste(method, test, "2_rhs", sep = "_")]] <- entry(list(model = s_full, btt = I(2), rhs = I(0.05)),
                                      anova(res, btt = 2, rhs = 0.05), wald_block)
    # linear combinations: rows of X, or (no_intercept) of X without the intercept column
    Xs <- list(
      list(X = rbind(c(1, 10, 0)), rhs = NULL),
      list(X = rbind(c(0, 1, -1)), rhs = NULL),
      list(X = rbind(c(1, 10, 5), c(1, 30, 15), c(1, 50, 20)), rhs = NULL),
      list(X = rbind(c(0, 1, 0), c(0, 0, 1)), rhs = NULL),
      list(X = rbind(c(1, 0.5, 0), c(2, 1, 0)), rhs = NULL),  # rank 1: no omnibus test
      list(X = rbind(c(1, 20, 2), c(1, 40, 1)), rhs = c(-0.5, -1)),
      list(X = rbind(c(1, 20, 2)), rhs = 0.1),
      list(X = rbind(c(10, 0), c(20, 1)), rhs = NULL)  # without the intercept column
    )
    for (i in seq_along(Xs)) {
      x <- Xs[[i]]
      fields <- list(model = s_full, X = I(as.vector(t(x$X))), X_ncol = ncol(x$X))
      if (!is.null(x$rhs)) fields$rhs <- I(x$rhs)
      expr <- if (is.null(x$rhs)) quote(anova(res, X = x$X)) else quote(anova(res, X = x$X, rhs = x$rhs))
      lincomb[[paste(method, test, i, sep = "_")]] <- entry(fields, eval(expr), lincomb_block)
    }
    # likelihood ratio tests: full against reduced and against no moderators, both
    # orders; refit for REML (whose fixed effects differ); test = "Wald"
    s_red <- spec(reduced, method, test)
    s_null <- spec(character(0), method, test)
    pairs <- list(list(s_full, s_red), list(s_red, s_full), list(s_full, s_null),
                  list(s_red, s_null))
    names(pairs) <- c("full_reduced", "reduced_full", "full_null", "reduced_null")
    for (pn in names(pairs)) {
      pr <- pairs[[pn]]
      id <- paste(method, test, pn, sep = "_")
      m1 <- fit(pr[[1]])
      m2 <- fit(pr[[2]])
      lrt[[id]] <- entry(list(model = pr[[1]], model2 = pr[[2]], refit = FALSE, test = "LRT"),
                                      anova(m1, m2), lrt_block)
      if (method == "REML") {
        lrt[[paste0(id, "_refit")]] <- entry(list(model = pr[[1]], model2 = pr[[2]], refit = TRUE, test = "LRT"),
                                        anova(m1, m2, refit = TRUE), lrt_block)
      }
      lrt[[paste0(id, "_wald")]] <- entry(list(model = pr[[1]], model2 = pr[[2]], refit = FALSE, test = "Wald"),
                                      anova(m1, m2, test = "Wald"), lrt_block)
    }
  }
  # an FE full model against a random-effects reduced one with fewer parameters
  lrt_pairs <- list(
    list(spec(full, "FE"), spec(character(0), "REML")),
    list(spec(full, "ML"), spec(reduced, "REML")),
    list(spec(full, "REML"), spec(reduced, "ML")),
    list(spec(full, "ML"), spec(reduced, "ML", subset = seq_along(yi) != 1)),
    list(spec(reduced, "ML"), spec(character(0), "FE")),  # parameters: 3 and 1
    list(spec(full, "ML"), spec(full, "ML")),
    list(spec(full, "FE"), spec(reduced, "ML")),  # parameters: 3 and 3
    list(spec(full, "REML"), spec(reduced, "ML"), "Wald"),
    list(spec(full, "DL"), spec(reduced, "REML"), "Wald"),
    list(spec(full, "ML", "knha"), spec(reduced, "ML", "z"), "LRT"),
    list(spec(full, "ML"), spec(c(full[2], reduced), "ML"), "Wald")  # same columns, other order
  )
  for (i in seq_along(lrt_pairs)) {
    pr <- lrt_pairs[[i]]
    test <- if (length(pr) > 2) pr[[3]] else "LRT"
    m1 <- fit(pr[[1]])
    m2 <- fit(pr[[2]])
    checks[[paste0("pair_", i)]] <- entry(list(model = pr[[1]], model2 = pr[[2]], refit = FALSE, test = test),
                                          anova(m1, m2, test = test), lrt_block)
  }
  # models fitted otherwise: without intercept, with weights, unweighted, at a given
  # tau^2, and btt as a regular expression
  no_int <- spec(full, "REML", intercept = FALSE)
  res <- fit(no_int)
  wald[["extra_no_intercept"]] <- entry(list(model = no_int, btt = NULL), anova(res), wald_block)
  lincomb[["extra_no_intercept"]] <- entry(list(model = no_int, X = I(c(10, 2, 20, 1)), X_ncol = 2),
                                           anova(res, X = rbind(c(10, 2), c(20, 1))), lincomb_block)
  checks[["extra_no_intercept_X"]] <- entry(list(model = no_int, X = I(1), X_ncol = 1),
                                            anova(res, X = rbind(1)), lincomb_block)
  for (tst in c("z", "knha")) {
    w <- spec(full, "REML", tst, weights = "ni")
    res <- fit(w)
    wald[[paste0("extra_weights_", tst)]] <- entry(list(model = w, btt = I(3)), anova(res, btt = 3), wald_block)
    lincomb[[paste0("extra_weights_", tst)]] <- entry(list(model = w, X = I(c(1, 20, 2, 0, 1, -1)), X_ncol = 3),
                                                      anova(res, X = rbind(c(1, 20, 2), c(0, 1, -1))), lincomb_block)
  }
  res <- fit(spec(full, "ML"))
  wald[["extra_regex"]] <- entry(list(model = spec(full, "ML"), btt = full[2]), anova(res, btt = full[2]), wald_block)
  extra_pairs <- list(
    unweighted_FE = list(spec(full, "FE", weighted = FALSE), spec(reduced, "FE", weighted = FALSE)),
    weights_FE = list(spec(full, "FE", weights = "ni"), spec(character(0), "FE", weights = "ni")),
    weights_ML = list(spec(full, "ML", weights = "ni"), spec(reduced, "ML", weights = "ni")),
    tau2_REML = list(spec(full, "REML", tau2 = 0.05), spec(character(0), "REML")),
    tau2_ML = list(spec(full, "ML", tau2 = 0.05), spec(character(0), "ML"))
  )
  for (pn in names(extra_pairs)) {
    pr <- extra_pairs[[pn]]
    m1 <- fit(pr[[1]])
    m2 <- fit(pr[[2]])
    lrt[[paste0("extra_", pn)]] <- entry(list(model = pr[[1]], model2 = pr[[2]], refit = FALSE, test = "LRT"),
                                         anova(m1, m2), lrt_block)
    if (pr[[1]]$method == "REML") {
      lrt[[paste0("extra_", pn, "_refit")]] <- entry(list(model = pr[[1]], model2 = pr[[2]], refit = TRUE, test = "LRT"),
                                                     anova(m1, m2, refit = TRUE), lrt_block)
    }
  }
  res <- fit(spec(full, "REML"))
  bad_X <- list(rbind(c(1, 2, 3, 4)), rbind(c(1)), rbind(c("a", "b", "c")))
  for (i in seq_along(bad_X)) {
    x <- bad_X[[i]]
    checks[[paste0("X_", i)]] <- entry(list(model = spec(full, "REML"), X = I(as.vector(t(x))), X_ncol = ncol(x)),
                                          anova(res, X = x), lincomb_block)
  }
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    control = ctl,
    yi = I(as.numeric(yi)), vi = I(as.numeric(vi)), ni = I(as.numeric(ni)),
    mods = lapply(as.list(as.data.frame(mods)), I),
    coef_names = I(coef_names),
    wald = wald, lincomb = lincomb, lrt = lrt, checks = checks
  )
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

bcg <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
write_case("dat.bcg__RR",
           "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg); mods ablat, year - 1960",
           bcg$yi, bcg$vi, with(dat.bcg, tpos + tneg + cpos + cneg), cbind(ablat = dat.bcg$ablat, year = dat.bcg$year - 1960),
           full = c("ablat", "year"), reduced = "ablat")

rb <- dat.raudenbush1985
write_case("dat.raudenbush1985__SMD",
           "dat.raudenbush1985 (yi, vi); mods weeks capped at 3, blind = tester == \"blind\"",
           rb$yi, rb$vi, rb$n1i + rb$n2i, cbind(weeks = pmin(rb$weeks, 3), blind = as.numeric(rb$tester == "blind")),
           full = c("weeks", "blind"), reduced = "weeks")
