# Reference p-values of Fisher's exact test (two-sided) from R's stats::fisher.test, for
# metareview.distributions.fisher_exact_p. The tables are those of sparse trials in the
# example review and edge cases: a zero cell, a tie in probability, a large table.
#
# Run from the repository root (R 4.2.2):
#     Rscript tests/reference/make_fisher_fixtures.R
# Writes tests/reference/fisher/fisher_exact.csv: a, b, c, d (the 2x2 table: events and
# non-events of arm 1, then of arm 2) and p, written with 17 significant digits.

tables <- list(
  c(16, 18, 2, 14),     # Carlsson 2001: 16 of 34 improved with acupuncture, 2 of 16 with placebo TENS
  c(3, 1, 1, 3),
  c(0, 10, 5, 5),
  c(10, 0, 0, 10),
  c(1, 1, 1, 1),
  c(184, 203, 171, 216),  # Haake 2007 against sham: 184 of 387, 171 of 387
  c(7, 12, 0, 15),
  c(2, 48, 9, 41),
  c(0, 0, 3, 4),
  c(0, 2, 4, 2),         # ties whose log-probabilities round apart: R's 1e-7 tolerance counts them
  c(0, 2, 5, 3)
)
rows <- vapply(tables, function(t) {
  p <- fisher.test(matrix(t, 2, byrow = TRUE))$p.value
  sprintf("%d,%d,%d,%d,%.17g", t[1], t[2], t[3], t[4], p)
}, character(1))
dir.create("tests/reference/fisher", showWarnings = FALSE)
writeLines(c("a,b,c,d,p", rows), "tests/reference/fisher/fisher_exact.csv")
