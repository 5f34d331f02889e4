#!/usr/bin/env Rscript
# Generates streamglm's own glmnet reference paths under reference/penalized/<name>/: data.csv, spec.json and
# expected.json in the format of ../shared/reference/penalized (see its README, "Penalized fits"). These cases
# cover glmnet 4's family-object path (an IRLS outer loop around the coordinate descent), which the shared
# cases (gaussian, binomial, poisson: glmnet's native families) do not: Gamma(log) with prior weights, and a
# negative binomial at a fixed theta with a log-exposure offset and cross-validation on a fold column, and one
# case per cv.glmnet type.measure other than the deviance (auc, class, mse, mae). The
# expected values come from R glmnet itself at thresh = 1e-14; nothing here is typed by hand.
#
#   Rscript reference/make_penalized.R      # from the repository root; needs r-base-core, r-cran-glmnet and
#                                           # r-cran-mass (Debian packages)
#
# The data are synthetic and seeded, so the script is reproducible; the tests read the committed files.
suppressPackageStartupMessages({
  library(glmnet)
  library(MASS)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_root <- file.path(dirname(normalizePath(script)), "penalized")
dir.create(out_root, showWarnings = FALSE, recursive = TRUE)

num <- function(x) if (!is.finite(x)) "null" else sprintf("%.17g", x)
nums <- function(v) paste0("[", paste(vapply(v, num, ""), collapse = ", "), "]")

# model.matrix's names to streamglm's: a level of cat is cat[T.level]
streamglm_name <- function(n, factors) {
  for (f in factors) {
    if (startsWith(n, f) && n != f) return(paste0(f, "[T.", substring(n, nchar(f) + 1), "]"))
  }
  n
}

write_case <- function(name, data, spec, fit, x, factors, family_label, alpha, cv = NULL) {
  dir <- file.path(out_root, name)
  dir.create(dir, showWarnings = FALSE)
  write.csv(data, file.path(dir, "data.csv"), row.names = FALSE)
  writeLines(spec, file.path(dir, "spec.json"))
  cols <- vapply(colnames(x), streamglm_name, "", factors = factors)
  beta <- as.matrix(fit$beta)
  fits <- character(length(fit$lambda))
  for (m in seq_along(fit$lambda)) {
    coefs <- c(sprintf("\"Intercept\": %s", num(fit$a0[m])),
               sprintf("\"%s\": %s", cols, vapply(beta[, m], num, "")))
    fits[m] <- sprintf("    {\"lambda\": %s, \"df\": %d, \"dev_ratio\": %s, \"coefficients\": {%s}}",
                       num(fit$lambda[m]), fit$df[m], num(fit$dev.ratio[m]), paste(coefs, collapse = ", "))
  }
  cv_json <- ""
  if (!is.null(cv)) {
    cv_json <- sprintf(",\n  \"cv\": {\"lambda\": %s, \"cvm\": %s, \"cvsd\": %s, \"lambda_min\": %s, \"lambda_1se\": %s}",
                       nums(cv$lambda), nums(cv$cvm), nums(cv$cvsd), num(cv$lambda.min), num(cv$lambda.1se))
  }
  path <- if (family_label %in% c("gaussian", "binomial", "poisson")) "native family" else "family object"
  json <- sprintf(paste0("{\n  \"case\": \"%s\",\n  \"source\": \"R glmnet %s thresh 1e-14 (%s)\",\n",
                         "  \"n\": %d,\n  \"family\": \"%s\",\n  \"l1_ratio\": %s,\n",
                         "  \"objective\": \"-loglik/n + lambda*((1-a)/2*||b||^2 + a*||b||_1), glmnet standardization\",\n",
                         "  \"fits\": [\n%s\n  ]%s\n}\n"),
                  name, as.character(packageVersion("glmnet")), path, nrow(data), family_label, num(alpha),
                  paste(fits, collapse = ",\n"), cv_json)
  writeLines(json, file.path(dir, "expected.json"))
}

# Gamma(log), prior weights, lasso path
set.seed(20261202)
n <- 400
d <- data.frame(x1 = round(rnorm(n), 4), x2 = round(rnorm(n), 4), x3 = round(runif(n, -1, 1), 4),
                x4 = round(rnorm(n, 2, 0.5), 4), cat = factor(sample(c("a", "b", "c"), n, TRUE)),
                w = sample(1:3, n, TRUE))
mu <- exp(0.5 + 0.3 * d$x1 - 0.2 * d$x2 + 0.1 * d$x4 + c(a = 0, b = 0.25, c = -0.15)[as.character(d$cat)])
d$y <- round(rgamma(n, shape = 2, rate = 2 / mu), 5)
x <- model.matrix(~ x1 + x2 + x3 + x4 + cat, d)[, -1]
fit <- glmnet(x, d$y, family = Gamma(link = "log"), weights = d$w, alpha = 1, nlambda = 40, thresh = 1e-14)
write_case("gamma_log_lasso_weights", d, '{
  "response": "y", "family": "gamma", "link": "log", "weights": "w",
  "terms": {"x1": {"type": "linear"}, "x2": {"type": "linear"}, "x3": {"type": "linear"},
            "x4": {"type": "linear"}, "cat": {"type": "categorical", "levels": ["a", "b", "c"]}},
  "penalty": {"l1_ratio": 1, "path": {"n_lambda": 40}, "standardize": true}
}', fit, x, "cat", "gamma", 1)

# negative binomial at theta 2, log exposure offset, elastic net, CV on a fold column
set.seed(20261203)
n <- 500
d <- data.frame(x1 = round(rnorm(n), 4), x2 = round(rnorm(n), 4), x3 = round(rnorm(n), 4),
                region = factor(sample(c("north", "south", "east", "west"), n, TRUE)),
                expo = round(runif(n, 0.2, 1.5), 3))
mu <- d$expo * exp(0.2 + 0.4 * d$x1 - 0.3 * d$x3 +
                   c(north = 0, south = 0.3, east = -0.2, west = 0.1)[as.character(d$region)])
d$y <- rnbinom(n, size = 2, mu = mu)
d$fold <- rep(1:5, length.out = n)
x <- model.matrix(~ x1 + x2 + x3 + region, d)[, -1]
fam <- negative.binomial(theta = 2)
fit <- glmnet(x, d$y, family = fam, offset = log(d$expo), alpha = 0.5, nlambda = 30, thresh = 1e-14)
cv <- cv.glmnet(x, d$y, family = fam, offset = log(d$expo), alpha = 0.5, nlambda = 30, thresh = 1e-14,
                foldid = d$fold, type.measure = "deviance")
write_case("negbin_enet_exposure_cv", d, '{
  "response": "y", "family": "negbinomial", "theta": 2, "exposure": "expo",
  "terms": {"x1": {"type": "linear"}, "x2": {"type": "linear"}, "x3": {"type": "linear"},
            "region": {"type": "categorical", "levels": ["east", "north", "south", "west"]}},
  "penalty": {"l1_ratio": 0.5, "path": {"n_lambda": 30}, "standardize": true,
              "cv": {"fold_column": "fold", "measure": "deviance"}}
}', fit, x, "region", "negbinomial", 0.5, cv)

# Cross-validation measures other than the deviance (cv.glmnet's type.measure), each on a fold column:
# binomial AUC (per fold, glmnet's grouped = FALSE and lambda_min maximizing) and misclassification, poisson
# mean squared error with an exposure offset, gaussian mean absolute error, and Gamma(log)'s (family object)
# mean squared error. One path and its cv.glmnet per case, the spec's penalty written from the same arguments.
cv_case <- function(name, d, x, family, label, terms, factors, alpha, nlambda, measure, offset = NULL,
                    spec_extra = "") {
  fit <- glmnet(x, d$y, family = family, offset = offset, alpha = alpha, nlambda = nlambda, thresh = 1e-14)
  cv <- cv.glmnet(x, d$y, family = family, offset = offset, alpha = alpha, nlambda = nlambda, thresh = 1e-14,
                  foldid = d$fold, type.measure = measure)
  family_json <- if (is.character(family)) family else "gamma\", \"link\": \"log"
  spec <- sprintf('{
  "response": "y", "family": "%s"%s,
  "terms": %s,
  "penalty": {"l1_ratio": %s, "path": {"n_lambda": %d}, "standardize": true,
              "cv": {"fold_column": "fold", "measure": "%s"}}
}', family_json, spec_extra, terms, alpha, nlambda, measure)
  write_case(name, d, spec, fit, x, factors, label, alpha, cv)
}

set.seed(20261204)
n <- 600
d <- data.frame(x1 = round(rnorm(n), 4), x2 = round(rnorm(n), 4), x3 = round(rnorm(n), 4),
                x4 = round(runif(n, -1, 1), 4), cat = factor(sample(c("a", "b", "c", "d"), n, TRUE)))
eta <- -0.3 + 0.8 * d$x1 - 0.5 * d$x2 + 0.2 * d$x4 + c(a = 0, b = 0.5, c = -0.4, d = 0.2)[as.character(d$cat)]
d$y <- rbinom(n, 1, 1 / (1 + exp(-eta)))
d$fold <- rep(1:5, length.out = n)
x <- model.matrix(~ x1 + x2 + x3 + x4 + cat, d)[, -1]
terms <- '{"x1": {"type": "linear"}, "x2": {"type": "linear"}, "x3": {"type": "linear"},
            "x4": {"type": "linear"}, "cat": {"type": "categorical", "levels": ["a", "b", "c", "d"]}}'
cv_case("binomial_lasso_cv_auc", d, x, "binomial", "binomial", terms, "cat", 1, 30, "auc")
cv_case("binomial_enet_cv_class", d, x, "binomial", "binomial", terms, "cat", 0.5, 30, "class")

set.seed(20261205)
n <- 500
d <- data.frame(x1 = round(rnorm(n), 4), x2 = round(rnorm(n), 4), x3 = round(rnorm(n), 4),
                region = factor(sample(c("north", "south", "east"), n, TRUE)),
                expo = round(runif(n, 0.2, 1.5), 3))
d$y <- rpois(n, d$expo * exp(0.1 + 0.4 * d$x1 - 0.3 * d$x3 +
                              c(north = 0, south = 0.3, east = -0.2)[as.character(d$region)]))
d$fold <- rep(1:4, length.out = n)
x <- model.matrix(~ x1 + x2 + x3 + region, d)[, -1]
cv_case("poisson_enet_exposure_cv_mse", d, x, "poisson", "poisson",
        '{"x1": {"type": "linear"}, "x2": {"type": "linear"}, "x3": {"type": "linear"},
            "region": {"type": "categorical", "levels": ["east", "north", "south"]}}', "region", 0.7, 30, "mse",
        offset = log(d$expo), spec_extra = ', "exposure": "expo"')

set.seed(20261206)
n <- 300
d <- data.frame(x1 = round(rnorm(n), 4), x2 = round(rnorm(n), 4), x3 = round(rnorm(n), 4),
                x4 = round(rnorm(n), 4))
d$y <- round(1 + 2 * d$x1 - d$x2 + 0.5 * d$x3 + rnorm(n), 5)
d$fold <- rep(1:6, length.out = n)
x <- as.matrix(d[, c("x1", "x2", "x3", "x4")])
cv_case("gaussian_enet_cv_mae", d, x, "gaussian", "gaussian",
        '{"x1": {"type": "linear"}, "x2": {"type": "linear"}, "x3": {"type": "linear"},
            "x4": {"type": "linear"}}', character(0), 0.8, 30, "mae")

set.seed(20261207)
n <- 400
d <- data.frame(x1 = round(rnorm(n), 4), x2 = round(rnorm(n), 4), x3 = round(runif(n, -1, 1), 4),
                cat = factor(sample(c("a", "b", "c"), n, TRUE)))
mu <- exp(0.5 + 0.3 * d$x1 - 0.2 * d$x2 + c(a = 0, b = 0.25, c = -0.15)[as.character(d$cat)])
d$y <- round(rgamma(n, shape = 2, rate = 2 / mu), 5)
d$fold <- rep(1:5, length.out = n)
x <- model.matrix(~ x1 + x2 + x3 + cat, d)[, -1]
cv_case("gamma_log_lasso_cv_mse", d, x, Gamma(link = "log"), "gamma",
        '{"x1": {"type": "linear"}, "x2": {"type": "linear"}, "x3": {"type": "linear"},
            "cat": {"type": "categorical", "levels": ["a", "b", "c"]}}', "cat", 1, 25, "mse")
