# The JSON writer of the project's fixture scripts (make_bias_fixtures.R,
# make_conv_fixtures.R, make_options_fixtures.R source it from the repository root).
#
# jsonlite's toJSON rounds numbers and cannot tell a per-study array of length one from
# a scalar; this writer gives every double with 17 significant digits, so json.load
# reproduces R's doubles exactly, writes NA/NaN/Inf as null, keeps scalars scalar and
# writes I(x) (or any vector longer than one) as an array.

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")

# One value: an array, a scalar or null (lists are handled by the writers below).
enc_value <- function(x, sep = ", ") {
  if (is.null(x)) return("null")
  arr <- inherits(x, "AsIs") || length(x) != 1
  x <- unclass(x)
  vals <- if (is.logical(x)) {
    ifelse(is.na(x), "null", ifelse(x, "true", "false"))
  } else if (is.character(x)) {
    vapply(x, function(s) jsonlite::toJSON(s, auto_unbox = TRUE), "")
  } else {
    num(as.numeric(x))
  }
  if (arr) paste0("[", paste(vals, collapse = sep), "]") else vals
}

key <- function(name) jsonlite::toJSON(name, auto_unbox = TRUE)

# Pretty-printed, two spaces per level (the bias and conversion fixtures). A list without
# names is a JSON array (a matrix as a list of its rows, records of a table).
enc <- function(x, ind = "") {
  nxt <- paste0(ind, "  ")
  if (is.list(x) && is.null(names(x)) && length(x) > 0) {
    items <- vapply(x, function(e) paste0(nxt, enc(e, nxt)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", ind, "]"))
  }
  if (is.list(x)) {
    if (length(x) == 0) return("{}")
    items <- vapply(seq_along(x), function(i) paste0(nxt, key(names(x)[i]), ": ", enc(x[[i]], nxt)), "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", ind, "}"))
  }
  enc_value(x)
}

# One line per top-level field and no white space below it (the options fixtures, where
# indentation made the files a third larger).
enc_compact <- function(x, top = TRUE) {
  if (is.list(x)) {
    if (length(x) == 0) return("{}")
    items <- vapply(seq_along(x), function(i) paste0(key(names(x)[i]), ":", enc_compact(x[[i]], FALSE)), "")
    if (top) return(paste0("{\n", paste(items, collapse = ",\n"), "\n}"))
    return(paste0("{", paste(items, collapse = ","), "}"))
  }
  enc_value(x, ",")
}

# The value of expr, or its error as list(msg = ...) of class "err", with the warnings
# given on the way (muffled, so that each is recorded once and none reaches the console).
run <- function(expr) {
  msgs <- character(0)
  res <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(msg = conditionMessage(e)), class = "err")),
    warning = function(w) {
      msgs <<- c(msgs, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(res = res, warnings = msgs)
}
