# Regenerate the project's extra escalc reference fixtures (metafor 3.8-1).
#
# The shared fixtures one folder up do not cover PR, PLO, ZCOR, ROM, MD with
# vtype="HO", or the small-sample / zero-SD / missing-value edge cases of the
# continuous measures. This script writes one JSON file per family into the
# directory it is run from, using the same schema as the shared fixtures
# (see ../README.md), so the same test code reads both.
#
# Usage (from this directory):
#   Rscript make_escalc_extra_refs.R
# Requires: r-base-core 4.2.2, r-cran-metafor 3.8-1 (Debian bookworm), jsonlite.
# Never edit the JSON by hand; change this script and rerun it.

suppressPackageStartupMessages(library(metafor))

stopifnot(as.character(packageVersion("metafor")) == "3.8.1")

GENERATOR <- "tests/reference/metafor_conversions/extra/make_escalc_extra_refs.R"

# ---------------------------------------------------------------------------
# JSON output: shortest of %.15g/%.16g/%.17g that parses back to the same
# double, so json.load in Python sees R's exact values; NA/NaN/Inf -> null.

fmt_num <- function(x) {
  if (is.na(x) || is.infinite(x)) return("null")
  for (p in 15:17) {
    s <- sprintf(paste0("%.", p, "g"), x)
    if (as.numeric(s) == x) return(s)
  }
  stop("no round-trip representation")
}

to_json <- function(x, indent = "") {
  ind2 <- paste0(indent, "  ")
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0L) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) {
      items <- vapply(names(x), function(n) {
        paste0(ind2, "\"", n, "\": ", to_json(x[[n]], ind2))
      }, character(1))
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
    }
    items <- vapply(x, function(e) paste0(ind2, to_json(e, ind2)), character(1))
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", indent, "]"))
  }
  # atomic: I(x) marks "always an array", otherwise length-1 values are scalars
  as_array <- inherits(x, "AsIs") || length(x) != 1L
  if (is.character(x)) {
    el <- ifelse(is.na(x), "null",
                 paste0("\"", gsub("\"", "\\\\\"", gsub("\\\\", "\\\\\\\\", x)), "\""))
  } else if (is.logical(x)) {
    el <- ifelse(is.na(x), "null", ifelse(x, "true", "false"))
  } else {
    el <- vapply(as.numeric(x), fmt_num, character(1))
  }
  if (as_array) return(paste0("[", paste(el, collapse = ", "), "]"))
  el
}

# ---------------------------------------------------------------------------
# Run one case: evaluate the R statements with `dat` in scope, record yi, vi,
# the ni attribute, warnings, or the error message.

run_case <- function(id, description, r_code, settings, dat) {
  env <- new.env(parent = globalenv())
  assign("dat", dat, envir = env)
  warns <- character(0)
  res <- withCallingHandlers(
    tryCatch({
      val <- NULL
      for (stmt in r_code) val <- eval(parse(text = stmt), envir = env)
      val
    }, error = function(e) e),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  case <- list(id = id, description = description, r_code = I(r_code),
               composed = FALSE, settings = settings)
  if (inherits(res, "error")) {
    case$error <- conditionMessage(res)
  } else {
    ni <- attr(res$yi, "ni")
    case$output <- list(yi = I(as.numeric(res$yi)), vi = I(as.numeric(res$vi)),
                        ni = I(as.numeric(if (is.null(ni)) rep(NA, nrow(res)) else ni)))
  }
  case$warnings <- I(warns)
  case
}

write_fixture <- function(name, topic, description, notes, input, input_columns, cases) {
  dat <- as.data.frame(input)
  out <- list(
    name = name,
    split = "project",
    topic = topic,
    description = description,
    notes = if (is.null(notes)) NULL else I(notes),
    metafor_version = as.character(packageVersion("metafor")),
    R_version = paste(R.version$major, R.version$minor, sep = "."),
    generator = GENERATOR,
    seed = NULL,
    k = nrow(dat),
    data_setup = "dat <- as.data.frame(input)  # columns exactly as in `input`; every r_code is evaluated with this `dat` in scope",
    input_columns = input_columns,
    input = lapply(input, I),
    cases = lapply(cases, function(cs) run_case(cs$id, cs$description, cs$r_code, cs$settings, dat))
  )
  writeLines(to_json(out), paste0(name, ".json"))
  cat("wrote", paste0(name, ".json"), "\n")
}

# helper: a single escalc case
ec <- function(id, call, settings, description = call) {
  list(id = id, description = description, r_code = call, settings = settings)
}

# ---------------------------------------------------------------------------
# MD and ROM: vtypes, n1i = 1, zero SDs, a negative mean (log of a negative
# ratio), a missing mean.

write_fixture(
  name = "extra_md_rom",
  topic = "raw mean difference (MD) and log ratio of means (ROM), every vtype",
  description = paste(
    "Row 4: n1i = 1; row 5: both SDs 0 and equal means; row 6: m1i < 0 (ROM is",
    "log of a negative ratio); row 8: m1i missing."),
  notes = c("ROM vtype AV/AVHO use sample-size weighted mean CVs over all rows of the call.",
            "A missing input leaves yi NA but vi may still be computed (R's NA is not NaN)."),
  input = list(
    study = sprintf("R%02d", 1:8),
    m1i  = c(10.2, 55, 3.1, 20, 7.5, -2.0, 12, NA),
    sd1i = c(2.1, 14, 0.9, 5, 0, 1.5, 3, 2),
    n1i  = c(25, 40, 12, 1, 10, 30, 60, 15),
    m2i  = c(9.1, 61, 2.5, 18, 7.5, 3.0, 12, 5),
    sd2i = c(2.4, 12, 1.1, 6, 0, 1.2, 3.5, 2.2),
    n2i  = c(27, 38, 13, 2, 11, 31, 58, 14)),
  input_columns = list(study = "row label", m1i = "group 1 mean", sd1i = "group 1 SD",
                       n1i = "group 1 n", m2i = "group 2 mean", sd2i = "group 2 SD",
                       n2i = "group 2 n"),
  cases = list(
    ec("MD_LS", 'escalc(measure="MD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="LS", data=dat)',
       list(measure = "MD", vtype = "LS")),
    ec("MD_UB", 'escalc(measure="MD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="UB", data=dat)',
       list(measure = "MD", vtype = "UB")),
    ec("MD_HO", 'escalc(measure="MD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="HO", data=dat)',
       list(measure = "MD", vtype = "HO")),
    ec("MD_vtype_per_row", 'escalc(measure="MD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype=rep(c("LS","HO"), length.out=nrow(dat)), data=dat)',
       list(measure = "MD", vtype = 'rep(c("LS","HO"), length.out=k)')),
    ec("ROM_LS", 'escalc(measure="ROM", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="LS", data=dat)',
       list(measure = "ROM", vtype = "LS")),
    ec("ROM_HO", 'escalc(measure="ROM", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="HO", data=dat)',
       list(measure = "ROM", vtype = "HO")),
    ec("ROM_AV", 'escalc(measure="ROM", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="AV", data=dat)',
       list(measure = "ROM", vtype = "AV")),
    ec("ROM_AVHO", 'escalc(measure="ROM", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="AVHO", data=dat)',
       list(measure = "ROM", vtype = "AVHO")),
    ec("ROM_vtype_per_row", 'escalc(measure="ROM", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype=rep(c("LS","HO","AV","AVHO"), length.out=nrow(dat)), data=dat)',
       list(measure = "ROM", vtype = 'rep(c("LS","HO","AV","AVHO"), length.out=k)')),
    ec("ROM_LS2_error", 'escalc(measure="ROM", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="LS2", data=dat)',
       list(measure = "ROM", vtype = "LS2"))
  ))

# ---------------------------------------------------------------------------
# ROM with a missing value in either group: AV and AVHO average the CVs over the
# rows with every input (metafor's not.na), so a row missing a group-2 mean or SD
# must drop out of both groups' averages, not only of its own group's.

write_fixture(
  name = "extra_rom_missing",
  topic = "log ratio of means (ROM) with a missing mean or SD in either group, every vtype",
  description = paste(
    "Row 2: m2i missing; row 3: sd2i missing; row 5: sd1i missing; the other rows complete."),
  notes = c("ROM vtype AV/AVHO use sample-size weighted mean CVs over the rows with every input."),
  input = list(
    study = sprintf("R%02d", 1:6),
    m1i  = c(10, 12, 9, 11, 8, 14),
    sd1i = c(2, 3, 2.5, 2.2, NA, 3.1),
    n1i  = c(20, 25, 30, 18, 22, 40),
    m2i  = c(8, NA, 7, 9, 7.5, 10),
    sd2i = c(2, 2, NA, 3, 1.8, 2.6),
    n2i  = c(21, 24, 28, 20, 23, 38)),
  input_columns = list(study = "row label", m1i = "group 1 mean", sd1i = "group 1 SD",
                       n1i = "group 1 n", m2i = "group 2 mean", sd2i = "group 2 SD",
                       n2i = "group 2 n"),
  cases = lapply(c("LS", "HO", "AV", "AVHO"), function(vtype)
    ec(paste0("ROM_", vtype),
       sprintf('escalc(measure="ROM", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="%s", data=dat)', vtype),
       list(measure = "ROM", vtype = vtype)))
  )

# ---------------------------------------------------------------------------
# SMD with tiny samples (df = 0, 1, 2), a missing SD.

write_fixture(
  name = "extra_smd_small_samples",
  topic = "SMD with df <= 2 and a missing SD, every vtype; di with tiny samples",
  description = paste(
    "Rows 1-2: df = n1i+n2i-2 of 0 and 1 (J undefined, NA); rows 3 and 5: df = 2",
    "(UB term (df-2)/df = 0); row 7: sd1i missing."),
  notes = c("J(df) is NA for df <= 1, so yi and vi are NA."),
  input = list(
    study = sprintf("S%02d", 1:8),
    m1i  = c(5.1, 4.0, 3.3, 10, 2.2, 7.1, 6.0, 1.5),
    sd1i = c(1.2, 1.0, 0.8, 2.5, 0.5, 1.9, NA, 0.4),
    n1i  = c(1, 1, 2, 3, 2, 40, 20, 6),
    m2i  = c(4.4, 3.1, 3.9, 8.2, 2.2, 6.0, 5.5, 1.1),
    sd2i = c(1.1, 1.3, 0.7, 2.8, 0.6, 2.2, 1.1, 0.5),
    n2i  = c(1, 2, 2, 2, 2, 38, 22, 5),
    dval = c(0.4, -0.3, 1.2, 0.0, 0.8, 0.35, -0.6, 2.5)),
  input_columns = list(study = "row label", m1i = "group 1 mean", sd1i = "group 1 SD",
                       n1i = "group 1 n", m2i = "group 2 mean", sd2i = "group 2 SD",
                       n2i = "group 2 n", dval = "a reported Cohen's d for the di cases"),
  cases = list(
    ec("SMD_LS", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="LS", data=dat)',
       list(measure = "SMD", vtype = "LS")),
    ec("SMD_UB", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="UB", data=dat)',
       list(measure = "SMD", vtype = "UB")),
    ec("SMD_LS2", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="LS2", data=dat)',
       list(measure = "SMD", vtype = "LS2")),
    ec("SMD_AV", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="AV", data=dat)',
       list(measure = "SMD", vtype = "AV")),
    ec("SMD_di_LS", 'escalc(measure="SMD", di=dval, n1i=n1i, n2i=n2i, vtype="LS", data=dat)',
       list(measure = "SMD", vtype = "LS", input = "di")),
    ec("SMD_di_UB", 'escalc(measure="SMD", di=dval, n1i=n1i, n2i=n2i, vtype="UB", data=dat)',
       list(measure = "SMD", vtype = "UB", input = "di")),
    ec("SMD_HO_error", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="HO", data=dat)',
       list(measure = "SMD", vtype = "HO"))
  ))

# ---------------------------------------------------------------------------
# SMD with zero SDs: 0/0 (NaN -> NA silently) and x/0 (Inf -> NA with a warning).

write_fixture(
  name = "extra_smd_zero_sd",
  topic = "SMD when both SDs are 0",
  description = paste(
    "Row 1: SDs 0 and equal means (0/0 = NaN, set to NA silently); row 2: SDs 0 and",
    "different means (Inf, set to NA with a warning). With vtype AV the Inf enters the",
    "weighted mean of yi, so every vi of the call becomes NA."),
  notes = NULL,
  input = list(
    study = sprintf("Z%02d", 1:4),
    m1i  = c(3, 3, 5, 2),
    sd1i = c(0, 0, 1, 1),
    n1i  = c(10, 10, 12, 8),
    m2i  = c(3, 2, 4, 1),
    sd2i = c(0, 0, 1.2, 0.9),
    n2i  = c(10, 11, 12, 9)),
  input_columns = list(study = "row label", m1i = "group 1 mean", sd1i = "group 1 SD",
                       n1i = "group 1 n", m2i = "group 2 mean", sd2i = "group 2 SD",
                       n2i = "group 2 n"),
  cases = list(
    ec("SMD_LS", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="LS", data=dat)',
       list(measure = "SMD", vtype = "LS")),
    ec("SMD_UB", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="UB", data=dat)',
       list(measure = "SMD", vtype = "UB")),
    ec("SMD_LS2", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="LS2", data=dat)',
       list(measure = "SMD", vtype = "LS2")),
    ec("SMD_AV", 'escalc(measure="SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i, vtype="AV", data=dat)',
       list(measure = "SMD", vtype = "AV"))
  ))

# ---------------------------------------------------------------------------
# Change-score measures with ni = 1, 2, 3, r = 1 (zero SD of change), a missing mean.

chg <- 'm1i=m_post, m2i=m_pre, sd1i=sd_post, sd2i=sd_pre, ni=ni, ri=ri'
write_fixture(
  name = "extra_change_edge",
  topic = "MC, SMCC, SMCR, SMCRH with tiny samples, r = 1 and a missing mean",
  description = paste(
    "Rows 1-3: ni = 1, 2, 3 (df = ni-1 = 0, 1, 2); row 6: r = 1 with equal SDs and",
    "equal means (SD of change 0, 0/0); row 7: r = 1, equal SDs, different means",
    "(x/0 = Inf); row 8: pre mean missing. m1i = post, m2i = pre, sd1i = post SD."),
  notes = c("SMCR standardizes by sd1i (here the post SD)."),
  input = list(
    study = sprintf("C%02d", 1:8),
    ni      = c(1, 2, 3, 10, 25, 40, 12, 30),
    m_post  = c(4.0, 5.5, 3.0, 6.1, 20, 7.0, 5.0, 3.3),
    m_pre   = c(5.0, 6.0, 3.5, 7.0, 24, 7.0, 6.0, NA),
    sd_post = c(1.0, 1.2, 0.9, 1.5, 6.0, 2.0, 1.0, 1.1),
    sd_pre  = c(1.1, 1.0, 1.0, 1.4, 5.5, 2.0, 1.0, 1.2),
    ri      = c(0.5, 0.3, 0.0, -0.4, 0.9, 1.0, 1.0, 0.6)),
  input_columns = list(study = "row label", ni = "sample size", m_post = "post mean",
                       m_pre = "pre mean", sd_post = "post SD", sd_pre = "pre SD",
                       ri = "pre/post correlation"),
  cases = list(
    ec("MC", sprintf('escalc(measure="MC", %s, data=dat)', chg), list(measure = "MC")),
    ec("SMCC_LS", sprintf('escalc(measure="SMCC", %s, vtype="LS", data=dat)', chg),
       list(measure = "SMCC", vtype = "LS")),
    ec("SMCC_LS2", sprintf('escalc(measure="SMCC", %s, vtype="LS2", data=dat)', chg),
       list(measure = "SMCC", vtype = "LS2")),
    ec("SMCC_vtype_per_row", sprintf('escalc(measure="SMCC", %s, vtype=rep(c("LS","LS2"), length.out=nrow(dat)), data=dat)', chg),
       list(measure = "SMCC", vtype = 'rep(c("LS","LS2"), length.out=k)')),
    ec("SMCR_LS", sprintf('escalc(measure="SMCR", %s, vtype="LS", data=dat)', chg),
       list(measure = "SMCR", vtype = "LS")),
    ec("SMCR_LS2", sprintf('escalc(measure="SMCR", %s, vtype="LS2", data=dat)', chg),
       list(measure = "SMCR", vtype = "LS2")),
    ec("SMCRH", sprintf('escalc(measure="SMCRH", %s, data=dat)', chg), list(measure = "SMCRH")),
    ec("SMCC_UB_error", sprintf('escalc(measure="SMCC", %s, vtype="UB", data=dat)', chg),
       list(measure = "SMCC", vtype = "UB"))
  ))

# ---------------------------------------------------------------------------
# Single proportions: PR and PLO with zero / all events, n = 1, a missing count.

write_fixture(
  name = "extra_proportions",
  topic = "single proportions: PR (raw) and PLO (logit), add/to and vtypes",
  description = paste(
    "Row 1: 0 of 10; row 2: 10 of 10; row 6: 0 of 1; row 7: 7 of 7; row 8: xi missing."),
  notes = c("to='only0' adds `add` to xi and mi = ni - xi when xi = 0 or xi = ni (PR too).",
            "vtype AV uses the ni-weighted mean proportion over all rows of the call."),
  input = list(
    study = sprintf("P%02d", 1:8),
    xi = c(0, 10, 3, 50, 1, 0, 7, NA),
    ni = c(10, 10, 20, 100, 1000, 1, 7, 12)),
  input_columns = list(study = "row label", xi = "events", ni = "sample size"),
  cases = list(
    ec("PR_LS", 'escalc(measure="PR", xi=xi, ni=ni, vtype="LS", data=dat)',
       list(measure = "PR", vtype = "LS", add = 0.5, to = "only0")),
    ec("PR_UB", 'escalc(measure="PR", xi=xi, ni=ni, vtype="UB", data=dat)',
       list(measure = "PR", vtype = "UB", add = 0.5, to = "only0")),
    ec("PR_AV", 'escalc(measure="PR", xi=xi, ni=ni, vtype="AV", data=dat)',
       list(measure = "PR", vtype = "AV", add = 0.5, to = "only0")),
    ec("PR_vtype_per_row", 'escalc(measure="PR", xi=xi, ni=ni, vtype=rep(c("LS","UB","AV"), length.out=nrow(dat)), data=dat)',
       list(measure = "PR", vtype = 'rep(c("LS","UB","AV"), length.out=k)')),
    ec("PR_all", 'escalc(measure="PR", xi=xi, ni=ni, to="all", data=dat)',
       list(measure = "PR", add = 0.5, to = "all")),
    ec("PR_if0all", 'escalc(measure="PR", xi=xi, ni=ni, to="if0all", data=dat)',
       list(measure = "PR", add = 0.5, to = "if0all")),
    ec("PR_none", 'escalc(measure="PR", xi=xi, ni=ni, to="none", data=dat)',
       list(measure = "PR", add = 0.5, to = "none")),
    ec("PR_UB_none", 'escalc(measure="PR", xi=xi, ni=ni, vtype="UB", to="none", data=dat)',
       list(measure = "PR", vtype = "UB", add = 0.5, to = "none")),
    ec("PR_add0", 'escalc(measure="PR", xi=xi, ni=ni, add=0, data=dat)',
       list(measure = "PR", add = 0, to = "only0")),
    ec("PR_mi", 'escalc(measure="PR", xi=xi, mi=ni-xi, data=dat)',
       list(measure = "PR", add = 0.5, to = "only0", input = "xi, mi")),
    ec("PLO_LS", 'escalc(measure="PLO", xi=xi, ni=ni, vtype="LS", data=dat)',
       list(measure = "PLO", vtype = "LS", add = 0.5, to = "only0")),
    ec("PLO_AV", 'escalc(measure="PLO", xi=xi, ni=ni, vtype="AV", data=dat)',
       list(measure = "PLO", vtype = "AV", add = 0.5, to = "only0")),
    ec("PLO_none", 'escalc(measure="PLO", xi=xi, ni=ni, to="none", data=dat)',
       list(measure = "PLO", add = 0.5, to = "none")),
    ec("PLO_add1", 'escalc(measure="PLO", xi=xi, ni=ni, add=1, data=dat)',
       list(measure = "PLO", add = 1, to = "only0")),
    ec("PLO_all", 'escalc(measure="PLO", xi=xi, ni=ni, to="all", data=dat)',
       list(measure = "PLO", add = 0.5, to = "all")),
    ec("PLO_if0all", 'escalc(measure="PLO", xi=xi, ni=ni, to="if0all", data=dat)',
       list(measure = "PLO", add = 0.5, to = "if0all")),
    ec("PLO_UB_error", 'escalc(measure="PLO", xi=xi, ni=ni, vtype="UB", data=dat)',
       list(measure = "PLO", vtype = "UB"))
  ))

# ---------------------------------------------------------------------------
# Fisher's z of a correlation: ni <= 3 (vi NA with a warning), r = +-1 (Inf).

write_fixture(
  name = "extra_zcor",
  topic = "r-to-z transformed correlation (ZCOR)",
  description = "Row 3: ni = 4; row 4: ni = 3 (vi NA, warning); rows 5 and 7: r = 1 and -1 (Inf); row 8: r missing.",
  notes = c("vi is set to NA when ni <= 3 but yi is kept."),
  input = list(
    study = sprintf("Z%02d", 1:8),
    ri = c(0.3, -0.5, 0.9, 0.2, 1, 0, -1, NA),
    ni = c(50, 20, 4, 3, 30, 10, 10, 15)),
  input_columns = list(study = "row label", ri = "correlation", ni = "sample size"),
  cases = list(
    ec("ZCOR", 'escalc(measure="ZCOR", ri=ri, ni=ni, data=dat)', list(measure = "ZCOR")),
    ec("ZCOR_UB_error", 'escalc(measure="ZCOR", ri=ri, ni=ni, vtype="UB", data=dat)',
       list(measure = "ZCOR", vtype = "UB"))
  ))

# ---------------------------------------------------------------------------
# 2x2 tables given as events and group sizes (bi, di derived), a missing count,
# per-row vtype for RD.

bin <- 'ai=ai, n1i=n1i, ci=ci, n2i=n2i'
write_fixture(
  name = "extra_binary_paths",
  topic = "OR, RR, RD from events and group sizes; missing counts; RD per-row vtype",
  description = paste(
    "bi = n1i - ai and di = n2i - ci are derived by escalc. Row 2: no events in either",
    "arm; row 3: all events in both arms; row 5: ai missing; row 6: no events in arm 2."),
  notes = NULL,
  input = list(
    study = sprintf("E%02d", 1:6),
    ai  = c(5, 0, 12, 3, NA, 8),
    n1i = c(50, 20, 12, 40, 30, 25),
    ci  = c(9, 0, 10, 6, 4, 0),
    n2i = c(48, 22, 10, 41, 31, 25)),
  input_columns = list(study = "row label", ai = "events, group 1", n1i = "group 1 size",
                       ci = "events, group 2", n2i = "group 2 size"),
  cases = list(
    ec("OR", sprintf('escalc(measure="OR", %s, data=dat)', bin), list(measure = "OR")),
    ec("OR_drop00", sprintf('escalc(measure="OR", %s, drop00=TRUE, data=dat)', bin),
       list(measure = "OR", drop00 = TRUE)),
    ec("RR", sprintf('escalc(measure="RR", %s, data=dat)', bin), list(measure = "RR")),
    ec("RR_if0all", sprintf('escalc(measure="RR", %s, to="if0all", data=dat)', bin),
       list(measure = "RR", to = "if0all")),
    ec("RD", sprintf('escalc(measure="RD", %s, data=dat)', bin), list(measure = "RD")),
    ec("RD_vtype_per_row", sprintf('escalc(measure="RD", %s, vtype=rep(c("LS","UB","AV"), length.out=nrow(dat)), data=dat)', bin),
       list(measure = "RD", vtype = 'rep(c("LS","UB","AV"), length.out=k)')),
    ec("RD_UB_none", sprintf('escalc(measure="RD", %s, vtype="UB", to="none", data=dat)', bin),
       list(measure = "RD", vtype = "UB", to = "none")),
    ec("RD_LS2_error", sprintf('escalc(measure="RD", %s, vtype="LS2", data=dat)', bin),
       list(measure = "RD", vtype = "LS2"))
  ))
