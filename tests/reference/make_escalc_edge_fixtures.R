# Reference values for escalc() on degenerate summary data: standard deviations of 0,
# arms or samples of one, means of 0 or below 0 (ROM), zero cells with each continuity
# rule (including to = "none" and add = 0), proportions of 0 and 1, correlations of +-1
# and ZCOR with ni <= 3, for every measure and vtype the library offers.
#
# metafor gives a finite yi with vi = 0 for some of them (MD, MC and ROM with SDs of 0,
# SMCR and SMCRH at ri = 1 with equal means, RD and PR at proportions of 0 or 1 without
# a continuity correction), and NA, with or without a warning, for the others.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_escalc_edge_fixtures.R
# Writes tests/reference/metafor_escalc_edge/cases.json: per case the escalc() call as
# text (r_call), its data arguments (args) and options, yi and vi (17 significant
# digits, NA as null) and the warnings metafor gives, in order.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

# The reference is metafor 3.8-1: another version would write other fixtures.
stopifnot(packageVersion("metafor") == "3.8.1")

source("tests/reference/fixture_json.R")  # enc()
out_dir <- "tests/reference/metafor_escalc_edge"
dir.create(out_dir, showWarnings = FALSE)

cases <- list()
add_case <- function(name, measure, args, vtype = "LS", to = "only0", add = 0.5) {
  warns <- character(0)
  res <- withCallingHandlers(
    do.call(escalc, c(list(measure = measure), args, list(vtype = vtype, to = to, add = add))),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  shown <- paste(vapply(names(args), function(a) sprintf("%s=c(%s)", a, paste(args[[a]], collapse = ",")), ""), collapse = ", ")
  cases[[paste(measure, name, vtype, to, add, sep = "/")]] <<- list(
    r_call = sprintf('escalc("%s", %s, vtype="%s", to="%s", add=%s)', measure, shown, vtype, to, add),
    measure = measure, args = lapply(args, I), vtype = vtype, to = to, add = add,
    yi = I(as.numeric(res$yi)), vi = I(as.numeric(res$vi)), warnings = I(warns)
  )
}

# ---- two independent groups: MD, SMD, ROM ----------------------------------------------
for (vt in c("LS", "UB", "HO")) {
  add_case("sd0", "MD", list(m1i = c(5, 5), sd1i = c(0, 0), n1i = c(10, 10), m2i = c(3, 5), sd2i = c(0, 0), n2i = c(10, 10)), vt)
  add_case("n1", "MD", list(m1i = 5, sd1i = 2, n1i = 1, m2i = 3, sd2i = 1, n2i = 1), vt)
  add_case("n1_sd0", "MD", list(m1i = 5, sd1i = 0, n1i = 1, m2i = 3, sd2i = 0, n2i = 1), vt)
}
for (vt in c("LS", "UB", "LS2", "AV")) {
  add_case("sd0", "SMD", list(m1i = c(5, 5, 4), sd1i = c(0, 0, 1), n1i = c(10, 10, 10), m2i = c(3, 5, 3), sd2i = c(0, 0, 1), n2i = c(10, 10, 10)), vt)
  add_case("n1", "SMD", list(m1i = c(5, 4), sd1i = c(2, 1), n1i = c(1, 10), m2i = c(3, 3), sd2i = c(1, 1), n2i = c(1, 10)), vt)
  add_case("n1_n2", "SMD", list(m1i = c(5, 4), sd1i = c(2, 1), n1i = c(1, 10), m2i = c(3, 3), sd2i = c(1, 1), n2i = c(2, 10)), vt)
  add_case("n1_n3", "SMD", list(m1i = c(5, 4), sd1i = c(2, 1), n1i = c(1, 10), m2i = c(3, 3), sd2i = c(1, 1), n2i = c(3, 10)), vt)
  add_case("di_n1", "SMD", list(di = c(0.5, 0.3), n1i = c(1, 10), n2i = c(1, 10)), vt)
}
for (vt in c("LS", "HO", "AV", "AVHO")) {
  add_case("sd0", "ROM", list(m1i = c(5, 5, 4), sd1i = c(0, 0, 1), n1i = c(10, 10, 10), m2i = c(3, 5, 3), sd2i = c(0, 0, 1), n2i = c(10, 10, 10)), vt)
  add_case("m0", "ROM", list(m1i = c(0, 5, 4), sd1i = c(1, 1, 1), n1i = c(10, 10, 10), m2i = c(3, 0, 3), sd2i = c(1, 1, 1), n2i = c(10, 10, 10)), vt)
  add_case("m00", "ROM", list(m1i = c(0, 4), sd1i = c(1, 1), n1i = c(10, 10), m2i = c(0, 3), sd2i = c(1, 1), n2i = c(10, 10)), vt)
  add_case("m_negative", "ROM", list(m1i = c(-2, 4), sd1i = c(1, 1), n1i = c(10, 10), m2i = c(3, 3), sd2i = c(1, 1), n2i = c(10, 10)), vt)
  add_case("n1", "ROM", list(m1i = c(5, 4), sd1i = c(2, 1), n1i = c(1, 10), m2i = c(3, 3), sd2i = c(1, 1), n2i = c(1, 10)), vt)
}

# ---- one group measured twice: MC, SMCC, SMCR, SMCRH -----------------------------------
for (m in c("MC", "SMCC", "SMCR", "SMCRH")) {
  for (vt in if (m %in% c("SMCC", "SMCR")) c("LS", "LS2") else "LS") {
    add_case("sd0", m, list(m1i = c(5, 5), m2i = c(3, 5), sd1i = c(0, 0), sd2i = c(0, 0), ni = c(10, 10), ri = c(0.5, 0.5)), vt)
    add_case("r1", m, list(m1i = c(5, 5), m2i = c(3, 5), sd1i = c(2, 2), sd2i = c(2, 2), ni = c(10, 10), ri = c(1, 1)), vt)
    add_case("r1_unequal_sd", m, list(m1i = c(5, 5), m2i = c(3, 5), sd1i = c(2, 2), sd2i = c(1, 1), ni = c(10, 10), ri = c(1, 1)), vt)
    for (n in 1:3) {
      add_case(paste0("n", n), m, list(m1i = 5, m2i = 3, sd1i = 2, sd2i = 1, ni = n, ri = 0.5), vt)
    }
  }
}

# ---- 2x2 tables: OR, RR, RD ------------------------------------------------------------
for (m in c("OR", "RR", "RD")) {
  for (to in c("only0", "if0all", "none", "all")) {
    for (vt in if (m == "RD") c("LS", "UB", "AV") else "LS") {
      add_case("zero_cells", m, list(ai = c(0, 5, 0, 10, 3), bi = c(10, 0, 10, 0, 7), ci = c(3, 5, 0, 10, 2), di = c(7, 5, 10, 0, 8)), vt, to)
      add_case("n1", m, list(ai = c(1, 0, 3), bi = c(0, 1, 7), ci = c(0, 1, 2), di = c(1, 0, 8)), vt, to)
      add_case("zero_cells", m, list(ai = c(0, 3), bi = c(10, 7), ci = c(3, 2), di = c(7, 8)), vt, to, add = 0)
    }
  }
}

# ---- single proportions: PR, PLO -------------------------------------------------------
for (m in c("PR", "PLO")) {
  for (to in c("only0", "if0all", "none", "all")) {
    for (vt in if (m == "PR") c("LS", "UB", "AV") else c("LS", "AV")) {
      add_case("zero_one", m, list(xi = c(0, 10, 3), ni = c(10, 10, 10)), vt, to)
      add_case("n1", m, list(xi = c(1, 0, 3), ni = c(1, 1, 10)), vt, to)
    }
  }
}

# ---- correlations: ZCOR ----------------------------------------------------------------
add_case("r_pm1", "ZCOR", list(ri = c(1, -1, 0.5), ni = c(10, 10, 10)))
for (n in 1:4) add_case(paste0("n", n), "ZCOR", list(ri = c(0.3, 0.5), ni = c(n, 10)))

writeLines(enc(list(metafor_version = as.character(packageVersion("metafor")), cases = cases)),
           file.path(out_dir, "cases.json"))
