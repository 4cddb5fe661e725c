# Reference values for metareview's rstudent of Mantel-Haenszel and Peto fits (metafor's
# rstudent.rma.mh and rstudent.rma.peto) and residuals(res, type = "rstudent").
#
# For each dataset: rma.mh with measure OR, RR and RD, and rma.peto, at metafor's
# defaults (add = 1/2, to = "only0", drop00 = TRUE for the studies' yi/vi; the tables
# pooled as they are) and with the continuity choices that change which studies have a
# yi or which tables are pooled: drop00 = FALSE (double-zero tables get a yi),
# drop00 = c(TRUE, TRUE) (double-zero tables left out of the pooling too) and
# add = c(1/2, 1/2) (the pooled tables corrected too). Each entry: the estimate,
# rstudent(res)'s resid, se, z and slab (the studies with a yi; NA where the table was
# not pooled or its refit stopped) and residuals(res, type = "rstudent"), or metafor's
# error.
#
# dat.bcg: no zero cells. dat.yusuf1985, table 6: beta blockers, sparse, with
# double-zero tables and a table of missing counts. dat.collins1985a: deaths in trials of
# H2 antagonists for upper gastrointestinal bleeding, sparse, with missing counts.
# Made-up: one table with events beside two double-zero ones kept with drop00 = FALSE,
# where the Peto refit without the informative table stops (no events left) and the
# MH refit's estimate is undefined.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, metadat 1.2-0, jsonlite):
#     Rscript tests/reference/make_mh_rstudent_fixtures.R
# Writes tests/reference/metafor_mh_rstudent/<dataset>.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # num(), enc(), run()

out_dir <- "tests/reference/metafor_mh_rstudent"
dir.create(out_dir, showWarnings = FALSE)

variants <- list(
  default = list(),
  keep00 = list(drop00 = FALSE),
  drop00_both = list(drop00 = I(c(TRUE, TRUE))),
  add_both = list(add = I(c(0.5, 0.5)), to = I(c("only0", "only0")))
)

block <- function(r) {
  if (inherits(r$res, "err")) return(list(error = r$res$msg))
  res <- r$res
  rs <- suppressWarnings(rstudent(res))
  list(beta = c(res$beta)[1],
       rstudent = list(resid = I(as.numeric(rs$resid)), se = I(as.numeric(rs$se)),
                       z = I(as.numeric(rs$z)), slab = I(as.character(rs$slab))),
       residuals = I(unname(suppressWarnings(residuals(res, type = "rstudent")))))
}

write_case <- function(name, source, ai, n1i, ci, n2i, slab) {
  stopifnot(!anyDuplicated(slab))  # metafor would make repeated labels unique
  entries <- list()
  for (fn in c("mh", "peto")) for (measure in if (fn == "mh") c("OR", "RR", "RD") else "PETO") {
    for (v in names(variants)) {
      a <- c(list(ai = ai, n1i = n1i, ci = ci, n2i = n2i, slab = slab), lapply(variants[[v]], unclass))
      if (fn == "mh") a$measure <- measure
      r <- run(do.call(if (fn == "mh") rma.mh else rma.peto, a))
      entries[[paste(measure, v, sep = "_")]] <- c(
        list(fit = fn, measure = measure), variants[[v]], block(r))
    }
  }
  out <- list(
    case = name, source = source,
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    ai = I(ai), n1i = I(n1i), ci = I(ci), n2i = I(n2i), slab = I(slab),
    entries = entries
  )
  writeLines(enc(out), file.path(out_dir, paste0(name, ".json")))
}

bcg <- dat.bcg
write_case("dat.bcg", "dat.bcg: ai = tpos, n1i = tpos + tneg, ci = cpos, n2i = cpos + cneg; slab paste(author, year)",
           bcg$tpos, bcg$tpos + bcg$tneg, bcg$cpos, bcg$cpos + bcg$cneg,
           paste(bcg$author, bcg$year, sep = ", "))
y6 <- dat.yusuf1985[dat.yusuf1985$table == "6", ]
write_case("dat.yusuf1985_table6", "dat.yusuf1985[table == \"6\", ]: ai, n1i, ci, n2i; slab paste(id, trial)",
           y6$ai, y6$n1i, y6$ci, y6$n2i, paste(y6$id, y6$trial))
co <- dat.collins1985a
write_case("dat.collins1985a", "dat.collins1985a: deaths, ai = d.xti, n1i = nti, ci = d.xci, n2i = nci; slab paste(trial, year)",
           co$d.xti, co$nti, co$d.xci, co$nci, paste(co$trial, co$year, sep = ", "))
write_case("one_informative", "made up: one table with events, two double-zero tables",
           c(3, 0, 0), c(40, 30, 20), c(6, 0, 0), c(40, 30, 20), c("a", "b", "c"))
