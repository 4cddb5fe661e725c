# Reference values from metafor for data on which its REML or EB Fisher scoring
# oscillates.
#
# From its default start (the HE estimate) metafor's iteration on these 25 studies jumps
# between tau^2 of about 0.0021 and 0.0028 and stops with "Fisher scoring algorithm did
# not converge" (at maxiter = 100 or 10000 alike); a meta-regression on them then has
# no model without moderators to take R^2 from, and reports R^2 as NA. Halved steps
# (control = list(stepadj = 0.5)) reach the REML estimate, and R^2 from it.
#
# * default: the errors of the intercept-only fit, and the meta-regression's tau^2 and
#   R^2 (NA), under metafor's default control;
# * stepadj: the intercept-only fit and the meta-regression with stepadj = 0.5 run to
#   convergence (threshold = 1e-12, maxiter = 10000);
# * eb: 30 other studies (vi from 0.0015 to 95) on which the EB iteration fails alike:
#   its error under the default control and its fit with stepadj = 0.5.
#
# Run from the repository root (R 4.2.2, metafor 3.8-1, jsonlite):
#     Rscript tests/reference/make_stepadj_fixtures.R
# Writes tests/reference/metafor_stepadj/oscillation.json (17 significant digits; see
# fixture_json.R).

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

stopifnot(packageVersion("metafor") == "3.8.1")

out_dir <- "tests/reference/metafor_stepadj"
dir.create(out_dir, showWarnings = FALSE)
source("tests/reference/fixture_json.R")  # enc_compact(), run()

yi <- c(0.105844, -0.214954, 0.776766, 0.293441, -0.023485, -0.107141, 0.037591, -0.06361,
        -0.11582, -0.181288, 0.44119, -4.8e-05, 0.031745, 0.045992, -0.916849, 0.129103,
        -0.084099, -0.081629, 0.029854, -0.365261, 0.355312, -0.188443, -0.27836, -0.135712,
        0.055578)
vi <- c(0.008721274939, 0.018225688682, 0.186336054678, 0.138425161498, 0.055902396111,
        0.098646646282, 0.053544838239, 0.179025525003, 0.190212537918, 0.018850244396,
        0.1071964099, 0.040887450473, 0.083854537164, 0.149532939254, 0.144098943993,
        0.042013894805, 0.069794131881, 0.087927160842, 0.080325624526, 0.138017662449,
        0.158728919006, 0.070408894405, 0.091037225653, 0.018124275067, 0.076527396768)
x1 <- c(0.746, -0.595, -1.51, 1.062, -1.065, 1.195, -0.054, -0.698, -0.64, 0.462, 0.889, -0.198,
        0.947, 2.087, -0.208, -1.149, -1.054, -1.39, -0.64, -0.724, -1.325, 0.53, -2.611, -1.321,
        2.015)
x2 <- c(1.038, 0.523, 0.457, 1.771, 0.536, 0.078, -1.23, -0.074, -0.734, -0.706, -0.714, -0.045,
        -0.33, 0.871, -1.326, -0.169, 1.859, 0.039, 1.199, 1.137, 1.317, 0.738, -1.38, -0.267,
        -0.38)
mods <- cbind(x1 = x1, x2 = x2)

err <- function(r) if (inherits(r$res, "err")) r$res$msg else NA
default_int <- run(rma(yi, vi, method = "REML"))
long_int <- run(rma(yi, vi, method = "REML", control = list(maxiter = 10000)))
default_reg <- run(rma(yi, vi, mods = mods, method = "REML"))$res

ctl <- list(stepadj = 0.5, threshold = 1e-12, maxiter = 10000)
int_fit <- rma(yi, vi, method = "REML", control = ctl)
reg_fit <- rma(yi, vi, mods = mods, method = "REML", control = ctl)

yi_eb <- c(-1.072784, 0.24182, 0.049102, -0.202286, 0.248358, -0.057069, 0.439868, 0.203833,
           0.124785, 1.35328, -4.801027, -4.057326, 0.361042, 0.050291, 0.187969, 1.040191,
           -6.240222, 0.587018, -0.961313, 0.22154, -0.268227, 0.162414, 0.841678, 0.585489,
           0.8349, 2.894583, 0.238609, -0.342616, 0.286017, -0.028958)
vi_eb <- c(7.426040562908, 0.013299619361, 0.031956226815, 0.116073026988, 0.058232187085,
           0.002396190366, 0.490870003231, 0.002118706909, 0.048947854097, 0.443329896923,
           74.492545273655, 5.433330657119, 0.021252326712, 24.733833175228, 0.006399401129,
           57.643179466593, 94.904242924295, 0.55015366648, 0.583902822087, 0.004800464714,
           0.378116674552, 0.001500149251, 0.973693541297, 0.86856231395, 12.323944740001,
           4.22661610724, 1.206381957386, 2.634184395496, 0.101377989452, 0.022080562727)
default_eb <- run(rma(yi_eb, vi_eb, method = "EB"))
eb_fit <- rma(yi_eb, vi_eb, method = "EB", control = ctl)

out <- list(
  metafor_version = as.character(packageVersion("metafor")),
  R_version = paste(R.version$major, R.version$minor, sep = "."),
  yi = I(yi), vi = I(vi), mods = list(x1 = I(x1), x2 = I(x2)),
  default = list(error = err(default_int), error_maxiter_10000 = err(long_int),
                 mods_tau2 = default_reg$tau2, mods_R2 = default_reg$R2),
  stepadj = list(control = ctl, tau2 = int_fit$tau2, se_tau2 = int_fit$se.tau2,
                 estimate = c(int_fit$beta), se = int_fit$se,
                 mods_tau2 = reg_fit$tau2, mods_R2 = reg_fit$R2),
  eb = list(yi = I(yi_eb), vi = I(vi_eb), error = err(default_eb), tau2 = eb_fit$tau2,
            se_tau2 = eb_fit$se.tau2, estimate = c(eb_fit$beta), se = eb_fit$se))
writeLines(enc_compact(out), file.path(out_dir, "oscillation.json"))
