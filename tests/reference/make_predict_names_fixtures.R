# Reference values for predict() with newmods that name their moderators.
#
# metafor matches the column names of newmods to the model's moderators (where both have
# names), so that their order does not matter, and stops on a name it cannot find, one
# given twice, or a moderator given no value. Written for the meta-regression of one
# numeric and one 0/1 moderator, and for a factor of three levels coded as the dummies
# model.matrix gives (pandas.get_dummies(x, drop_first=True) gives the same columns).
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_predict_names_fixtures.R
# Writes tests/reference/metafor_predict_names/predict.json: per model its data, then
# per newmods (named columns, in the order given) pred, se, ci.lb, ci.ub, pi.lb, pi.ub;
# and the error message of each newmods metafor refuses. 17 significant digits (see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})
stopifnot(packageVersion("metafor") == "3.8.1")
source("tests/reference/fixture_json.R")  # enc(), run()

out_dir <- "tests/reference/metafor_predict_names"
dir.create(out_dir, showWarnings = FALSE)

yi <- c(0.1, 0.5, -0.2, 0.8, 0.3, 0.05, 0.4)
vi <- c(0.04, 0.02, 0.05, 0.1, 0.03, 0.06, 0.05)
x <- c(1, 2, 3, 4, 5, 6, 7)
z <- c(0, 1, 0, 1, 1, 0, 0)
g <- c("a", "b", "c", "a", "b", "c", "c")
dummies <- model.matrix(~ g)[, -1]
colnames(dummies) <- c("b", "c")

pred_fields <- function(p) {
  lapply(list(pred = p$pred, se = p$se, ci_lb = p$ci.lb, ci_ub = p$ci.ub, pi_lb = p$pi.lb, pi_ub = p$pi.ub),
         function(v) I(as.numeric(v)))
}
refused <- function(expr) tryCatch({ force(expr); NA_character_ }, error = function(e) conditionMessage(e))

numeric <- rma(yi, vi, mods = cbind(x = x, z = z))
factor <- rma(yi, vi, mods = dummies, test = "knha")
out <- list(
  numeric = list(
    yi = I(yi), vi = I(vi), mods = list(x = I(x), z = I(z)), test = "z",
    predictions = list(
      x_then_z = c(list(newmods = list(x = I(c(2, 3)), z = I(c(1, 0)))),
                   pred_fields(predict(numeric, newmods = cbind(x = c(2, 3), z = c(1, 0))))),
      z_then_x = c(list(newmods = list(z = I(c(1, 0)), x = I(c(2, 3)))),
                   pred_fields(predict(numeric, newmods = cbind(z = c(1, 0), x = c(2, 3)))))
    ),
    refused = list(
      unknown = refused(predict(numeric, newmods = cbind(x = 2, w = 1))),
      missing = refused(predict(numeric, newmods = cbind(x = 2)))
    )
  ),
  factor = list(
    yi = I(yi), vi = I(vi), mods = list(b = I(dummies[, "b"]), c = I(dummies[, "c"])), test = "knha",
    predictions = list(
      level_c_listed_first = c(list(newmods = list(c = I(1), b = I(0))),
                               pred_fields(predict(factor, newmods = cbind(c = 1, b = 0))))
    )
  )
)

writeLines(enc(out), file.path(out_dir, "predict.json"))
