# Reference values for metareview.rma_mh and metareview.rma_peto (metafor's rma.mh and
# rma.peto) on 2x2 tables, many of them sparse.
#
# For each dataset:
# * mh: rma.mh with measure OR, RR and RD, correct TRUE and FALSE, level 95 and 90, and
#   (OR, RR and RD at the defaults otherwise) the continuity rules of the escalc'd yi/vi
#   (to = "all", "if0all"), drop00 = FALSE, drop00 = c(TRUE, TRUE) (double-zero tables
#   left out of the pooling too) and add = c(1/2, 1/2) (the pooled tables corrected
#   too): the estimate, its se, z, p and interval, Cochran's Q, I^2, H^2, k, k.yi,
#   k.pos, and for OR the Cochran and Cochran-Mantel-Haenszel tests and the
#   Breslow-Day and Tarone tests of heterogeneity;
# * peto: rma.peto at level 95 and 90 and with the same continuity and drop00 choices.
# Every entry keeps the warnings metafor gives and the lines print writes ("printed"),
# or metafor's error.
#
# dat.bcg: the BCG trials (no zero cells). dat.nielweise2007: catheter infections, sparse,
# one table without events. dat.yusuf1985, tables 6 and 9: beta blockers, sparse, with
# double-zero tables and (table 9) tables of missing counts. Made-up tables: two
# double-zero ones among four; no events in the treated arms (the MH odds and risk ratios
# are undefined); one table with events besides double-zero ones (k.yi = 1); and no
# events at all, where Peto's method stops.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_mh_fixtures.R
# Writes tests/reference/metafor_mh/<dataset>.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

out_dir <- "tests/reference/metafor_mh"
dir.create(out_dir, showWarnings = FALSE)

printed <- function(a) I(capture.output(print(a)))

# The fields of a fit, under metafor's names with "." as "_".
fit_block <- function(r) {
  out <- list(beta = as.numeric(r$beta), se = r$se, zval = r$zval, pval = r$pval,
              ci_lb = r$ci.lb, ci_ub = r$ci.ub, QE = r$QE, QEp = r$QEp, I2 = r$I2,
              H2 = r$H2, tau2 = r$tau2, k = r$k, k_yi = r$k.yi, k_pos = r$k.pos,
              yi = I(as.numeric(r$yi)), vi = I(as.numeric(r$vi)))
  for (f in c("MH", "MHp", "CO", "COp", "BD", "BDp", "TA", "TAp")) {
    if (!is.null(r[[f]])) out[[f]] <- r[[f]]
  }
  out
}

entry <- function(args, expr) {
  r <- run(expr)
  if (inherits(r$res, "err")) return(c(args, list(error = r$res$msg, warnings = I(r$warnings))))
  c(args, list(result = fit_block(r$res), printed = printed(r$res), warnings = I(r$warnings)))
}

# The continuity and drop00 choices beside the defaults (add = 1/2, to = "only0",
# drop00 = TRUE, i.e. add = c(1/2, 0), to = c("only0", "none"), drop00 = c(TRUE, FALSE)).
variants <- list(
  to_all = list(to = "all"),
  to_if0all = list(to = "if0all"),
  keep00 = list(drop00 = FALSE),
  drop00_both = list(drop00 = I(c(TRUE, TRUE))),
  add_both = list(add = I(c(0.5, 0.5)), to = I(c("only0", "only0"))),
  add_zero = list(add = 0)
)

write_case <- function(name, source, ai, bi, ci, di) {
  mh <- list()
  peto <- list()
  call_mh <- function(a) do.call(rma.mh, c(list(ai = ai, bi = bi, ci = ci, di = di), lapply(a, unclass)))
  call_peto <- function(a) do.call(rma.peto, c(list(ai = ai, bi = bi, ci = ci, di = di), lapply(a, unclass)))
  for (measure in c("OR", "RR", "RD")) for (correct in c(TRUE, FALSE)) for (level in c(95, 90)) {
    a <- list(measure = measure, correct = correct, level = level)
    mh[[paste(measure, if (correct) "correct" else "uncorrected", level, sep = "_")]] <- entry(a, call_mh(a))
  }
  for (measure in c("OR", "RR", "RD")) for (v in names(variants)) {
    a <- c(list(measure = measure), variants[[v]])
    mh[[paste(measure, v, sep = "_")]] <- entry(a, call_mh(a))
  }
  for (level in c(95, 90)) {
    a <- list(level = level)
    peto[[paste0("level_", level)]] <- entry(a, call_peto(a))
  }
  for (v in names(variants)) peto[[v]] <- entry(variants[[v]], call_peto(variants[[v]]))
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    ai = I(as.numeric(ai)), bi = I(as.numeric(bi)), ci = I(as.numeric(ci)), di = I(as.numeric(di)),
    mh = mh, peto = peto
  )
  writeLines(enc_compact(out), file.path(out_dir, paste0(name, ".json")))
}

b <- dat.bcg
write_case("dat.bcg", "dat.bcg: ai = tpos, bi = tneg, ci = cpos, di = cneg",
           b$tpos, b$tneg, b$cpos, b$cneg)

n <- dat.nielweise2007
write_case("dat.nielweise2007", "dat.nielweise2007: ai, bi = n1i - ai, ci, di = n2i - ci",
           n$ai, n$n1i - n$ai, n$ci, n$n2i - n$ci)

for (tab in c("6", "9")) {
  y <- dat.yusuf1985[dat.yusuf1985$table == tab, ]
  write_case(paste0("dat.yusuf1985_table", tab),
             paste0("dat.yusuf1985, table ", tab, ": ai, bi = n1i - ai, ci, di = n2i - ci"),
             y$ai, y$n1i - y$ai, y$ci, y$n2i - y$ci)
}

write_case("double_zero", "made up: tables 2 and 4 without events in either arm",
           c(3, 0, 5, 0, 1), c(47, 40, 95, 30, 59), c(6, 0, 9, 0, 4), c(44, 38, 91, 32, 56))
write_case("no_treated_events", "made up: no events in the treated arms",
           c(0, 0, 0), c(50, 40, 60), c(2, 5, 1), c(48, 35, 59))
write_case("one_informative", "made up: one table with events beside two double-zero ones",
           c(0, 4, 0), c(30, 46, 25), c(0, 9, 0), c(31, 41, 27))
write_case("no_events", "made up: no events in any table",
           c(0, 0), c(30, 46), c(0, 0), c(31, 41))
