# test_ncdf4.R ALIGNSIM FIXTURE WORKDIR - R's ncdf4 (netCDF-C underneath) reads a results file by name.
#
# Runs the rich fixture, exports it with `alignsim export` (alignsim's own reader), and reads the file
# with library(ncdf4): the pathway, subgroup and apprenticeship coordinates hold the category names, grade
# holds 9..12, year the calendar years; graduates and apprenticeship_starts, picked by those names, equal
# the export's rows for the same labels; units are "1" for counts and money has currency = "USD" and no
# units.  Exit status 77 (ctest: skipped) when the ncdf4 package is missing (Debian: r-cran-ncdf4).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript test_ncdf4.R ALIGNSIM FIXTURE WORKDIR")
alignsim <- args[1]
fixture <- args[2]
work <- file.path(args[3], "ncdf4")
if (!requireNamespace("ncdf4", quietly = TRUE)) {
    cat("skipped: the R package ncdf4 is not installed (Debian package r-cran-ncdf4)\n")
    quit(status = 77)
}
library(ncdf4)

check <- function(ok, ...) {
    if (!isTRUE(ok)) {
        cat("FAIL:", ..., "\n", file = stderr())
        quit(status = 1)
    }
}

unlink(work, recursive = TRUE)
dir.create(work, recursive = TRUE)
h5 <- file.path(work, "rich.h5")
csv <- file.path(work, "csv")
check(system2(alignsim, c("run", fixture, "-o", h5, "--quiet", "--replications", "2")) == 0, "alignsim run")
check(system2(alignsim, c("export", h5, "--csv", csv)) == 0, "alignsim export")

nc <- nc_open(h5)
pathways <- as.vector(ncvar_get(nc, "pathway"))
groups <- as.vector(ncvar_get(nc, "subgroup"))
trades <- as.vector(ncvar_get(nc, "apprenticeship"))
years <- as.vector(ncvar_get(nc, "year"))
check(is.character(pathways) && identical(pathways, as.vector(nc$dim$pathway$vals)),
      "pathway names:", pathways, "dimension values:", nc$dim$pathway$vals)
check(identical(pathways, c("it_cte", "early_college", "magnet", "ap", "trades_cc", "none")), "pathways:", pathways)
check(identical(groups, c("all", "econ_disadvantaged", "english_learner")), "subgroups:", groups)
check(identical(trades, c("electrician", "hvac")), "apprenticeships:", trades)
check(identical(as.numeric(ncvar_get(nc, "grade")), c(9, 10, 11, 12)), "grades:", ncvar_get(nc, "grade"))
check(years[1] == 2025 && all(diff(years) == 1), "years:", years)
check(ncatt_get(nc, "graduates", "units")$value == "1", "graduates units")
check(!ncatt_get(nc, "cost", "units")$hasatt && ncatt_get(nc, "cost", "currency")$value == "USD", "cost: money")
check(ncatt_get(nc, 0, "Conventions")$value == "CF-1.8", "Conventions")

# R holds the C order reversed: graduates[subgroup, pathway, year, replication]
graduates <- ncvar_get(nc, "graduates", collapse_degen = FALSE)
starts <- ncvar_get(nc, "apprenticeship_starts", collapse_degen = FALSE)
nc_close(nc)
check(identical(dim(graduates), c(length(groups), length(pathways), length(years), 2L)), "graduates dims:", dim(graduates))

rows <- read.csv(file.path(csv, "graduates.csv"), stringsAsFactors = FALSE)
picked <- rows[rows$pathway == "it_cte" & rows$subgroup == "econ_disadvantaged", ]
check(nrow(picked) == 2 * length(years) && sum(picked$value) > 0, "export rows for it_cte, econ_disadvantaged")
for (i in seq_len(nrow(picked))) {
    r <- picked[i, ]
    got <- graduates[match(r$subgroup, groups), match(r$pathway, pathways), match(r$year, years), r$replication + 1]
    check(got == r$value, "graduates it_cte econ_disadvantaged", r$year, "replication", r$replication, ": ncdf4", got,
          "export", r$value)
}
rows <- read.csv(file.path(csv, "apprenticeship_starts.csv"), stringsAsFactors = FALSE)
picked <- rows[rows$apprenticeship == "hvac", ]
check(nrow(picked) == 2 * length(years) && sum(picked$value) > 0, "export rows for hvac")
got <- mapply(function(y, q) starts[match("hvac", trades), match(y, years), q + 1], picked$year, picked$replication)
check(all(got == picked$value), "apprenticeship_starts hvac: ncdf4", got, "export", picked$value)
cat("ok: ncdf4 reads", length(pathways), "pathway names and the values the export writes for them\n")
