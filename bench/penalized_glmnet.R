# The R side of bench/penalized.sh: glmnet's 100-lambda lasso path on the benchmark file, timed around the
# glmnet call alone (the model matrix is built before). Usage: Rscript bench/penalized_glmnet.R DATA.csv COEF.csv PATH.csv
suppressMessages(library(glmnet))
args <- commandArgs(TRUE)
d <- read.csv(args[1], stringsAsFactors = TRUE)
x <- model.matrix(~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + cat20 + cat50, d)[, -1]
t0 <- Sys.time()
f <- glmnet(x, d$claims, family = "poisson", offset = log(d$exposure), alpha = 1, nlambda = 100)
t1 <- Sys.time()
cat("glmnet fit seconds", as.numeric(t1 - t0, units = "secs"), "\n")
cat("n_lambda", length(f$lambda), "first", f$lambda[1], "last", f$lambda[length(f$lambda)], "\n")
cat("dev_ratio last", f$dev.ratio[length(f$dev.ratio)], "\n")
b <- as.matrix(coef(f, s = f$lambda[length(f$lambda)]))
write.csv(data.frame(name = rownames(b), value = b[, 1]), args[2], row.names = FALSE)
write.csv(data.frame(lambda = f$lambda, df = f$df, dev = f$dev.ratio), args[3], row.names = FALSE)
