# Reference values for metareview.bias.regtest with every predictor metafor offers.
#
# make_bias_fixtures.R covers the standard-error predictor (Egger's test). This script
# adds the others, vi and the sample-size predictors ni, 1/ni, sqrt(ni) and 1/sqrt(ni)
# (sample-size based tests such as Peters et al. 2006 regress on 1/ni), for both
# models (meta-regression "rma" and weighted regression "lm") and for the FE, DL, REML
# (z, Knapp-Hartung and adhoc) and PM fits, on published datasets whose total sample sizes
# escalc records (attribute "ni"). Fits run to convergence (threshold = tol = 1e-12).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_regtest_fixtures.R
# Writes tests/reference/metafor_regtest/<case>.json. Numbers are written with 17
# significant digits, so json.load reproduces R's doubles exactly; NA/NaN/Inf are null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

# The reference is metafor 3.8-1: another version would write other fixtures.
stopifnot(packageVersion("metafor") == "3.8.1")

ctl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
out_dir <- "tests/reference/metafor_regtest"
dir.create(out_dir, showWarnings = FALSE)

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
vec <- function(x) paste0("[", paste(num(as.numeric(x)), collapse = ", "), "]")
str <- function(x) toJSON(x, auto_unbox = TRUE)

predictors <- c("sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv")
# REML with adhoc is the example review's model (Knapp-Hartung with s2w floored at 1)
fits <- list(c("FE", "z"), c("DL", "z"), c("REML", "z"), c("REML", "knha"), c("PM", "z"), c("REML", "adhoc"))

block <- function(rt) {
  f <- rt$fit
  lm <- rt$model == "lm"
  slope <- if (lm) coef(summary(f))[2, ] else c(f$beta[2], f$se[2])
  fields <- c(
    model = str(rt$model), predictor = str(rt$predictor),
    stat = num(unname(rt$zval)), pval = num(unname(rt$pval)),
    df = if (is.null(rt$ddf) || is.na(rt$ddf)) "null" else num(rt$ddf),
    est = if (is.null(rt$est)) "null" else num(unname(rt$est)),
    ci_lb = if (is.null(rt$ci.lb)) "null" else num(unname(rt$ci.lb)),
    ci_ub = if (is.null(rt$ci.ub)) "null" else num(unname(rt$ci.ub)),
    slope = num(unname(slope[1])), slope_se = num(unname(slope[2])),
    tau2 = if (lm) "null" else num(f$tau2)
  )
  keys <- vapply(names(fields), function(n) as.character(str(n)), "")
  paste0("{", paste(sprintf("%s: %s", keys, fields), collapse = ", "), "}")
}

# With a subset, rma fits those studies only (rma(..., subset = ...)) and keeps their ni;
# the file then has the full data, the subset as a logical vector, and per fit the
# subset model's estimate, se, tau2 and study labels.
fit_block <- function(res) {
  paste0('{"estimate": ', num(res$beta[1]), ', "se": ', num(res$se[1]), ', "tau2": ', num(res$tau2),
         ', "slab": ', toJSON(as.character(res$slab)), ', "ni": ', vec(res$ni), "}")
}

# The opening of a case's file: what it is, where it comes from, and its data.
fixture_head <- function(name, source, es, ni) {
  paste0(
    "{\n",
    '  "case": ', str(name), ",\n",
    '  "source": ', str(source), ",\n",
    '  "metafor_version": ', str(as.character(packageVersion("metafor"))), ",\n",
    '  "R_version": ', str(paste(R.version$major, R.version$minor, sep = ".")), ",\n",
    '  "control": {"threshold": 1e-12, "tol": 1e-12, "maxiter": 10000},\n',
    '  "yi": ', vec(es$yi), ",\n",
    '  "vi": ', vec(es$vi), ",\n",
    '  "ni": ', vec(ni), ",\n")
}

write_case <- function(name, source, es, subset = NULL) {
  ni <- attr(es$yi, "ni")
  stopifnot(!is.null(ni))
  out <- c()
  for (fit in fits) {
    args <- list(yi = es$yi, vi = es$vi, method = fit[1], test = fit[2])
    if (fit[1] != "FE") args$control <- ctl
    if (!is.null(subset)) args$subset <- subset
    res <- do.call(rma, args)
    extra <- if (is.null(subset)) "" else paste0(', "fit": ', fit_block(res))
    for (model in c("rma", "lm")) {
      for (p in predictors) {
        rt <- regtest(res, model = model, predictor = p)
        out <- c(out, sprintf('    {"method": %s, "test": %s%s, "result": %s}', str(fit[1]), str(fit[2]), extra, block(rt)))
      }
    }
  }
  text <- paste0(
    fixture_head(name, source, es, ni),
    if (is.null(subset)) "" else paste0('  "subset": ', toJSON(subset), ",\n"),
    '  "tests": [\n', paste(out, collapse = ",\n"), "\n  ]\n}\n")
  writeLines(text, file.path(out_dir, paste0(name, ".json")), sep = "")
}

write_case("dat.bcg__RR", "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)",
           escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg))
write_case("dat.bcg__OR", "escalc(\"OR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)",
           escalc("OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg))
write_case("dat.normand1999__SMD",
           "escalc(\"SMD\", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999)",
           escalc("SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
                  data = dat.normand1999))
write_case("dat.hine1989__RD", "escalc(\"RD\", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.hine1989)",
           escalc("RD", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.hine1989))

# A subset: the randomised trials of dat.bcg (7 of 13), whose sample sizes rma keeps
write_case("dat.bcg__RR__subset",
           "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg); rma(yi, vi, subset = alloc == \"random\")",
           escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg),
           subset = dat.bcg$alloc == "random")

# Trim and fill's filled model keeps sample sizes too: each filled study has that of the
# study it mirrors (ni.fill), so regtest(trimfill(res), predictor = "ni") works. For each
# case, FE and REML, and each side where studies are filled: k0, the filled model's ni,
# and regtest on it with every predictor and model. The refit gets the tight control
# through trimfill's "..."; writes tests/reference/metafor_regtest/filled/<case>.json.
dir.create(file.path(out_dir, "filled"), showWarnings = FALSE)
write_filled <- function(name, source, es) {
  out <- c()
  for (method in c("FE", "REML")) {
    args <- list(yi = es$yi, vi = es$vi, method = method)
    if (method != "FE") args$control <- ctl
    res <- do.call(rma, args)
    for (side in c("left", "right")) {
      tf <- if (method == "FE") trimfill(res, side = side) else trimfill(res, side = side, control = ctl)
      if (tf$k0 == 0) next
      tests <- c()
      for (model in c("rma", "lm")) {
        for (p in predictors) tests <- c(tests, block(regtest(tf, model = model, predictor = p)))
      }
      out <- c(out, sprintf('    {"method": %s, "side": %s, "k0": %d, "estimate": %s, "ni": %s, "regtest": [\n      %s\n    ]}',
                            str(method), str(side), tf$k0, num(tf$beta[1]), vec(tf$ni), paste(tests, collapse = ",\n      ")))
    }
  }
  text <- paste0(
    fixture_head(name, source, es, attr(es$yi, "ni")),
    '  "fits": [\n', paste(out, collapse = ",\n"), "\n  ]\n}\n")
  writeLines(text, file.path(out_dir, "filled", paste0(name, ".json")), sep = "")
}

write_filled("dat.bcg__RR", "escalc(\"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)",
             escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg))
write_filled("dat.normand1999__SMD",
             "escalc(\"SMD\", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999)",
             escalc("SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
                    data = dat.normand1999))
write_filled("dat.hine1989__RD", "escalc(\"RD\", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.hine1989)",
             escalc("RD", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dat.hine1989))
