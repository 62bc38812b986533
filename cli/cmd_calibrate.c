/*
 * cmd_calibrate.c - `alignsim calibrate`: a scenario's calibration block in,
 * the fit table out, and a calibrated scenario that extends the input.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calibrate.h"
#include "alloc.h"
#include "commands.h"
#include "outfile.h"
#include "outpath.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: alignsim calibrate SCENARIO.json -o CALIBRATED.json [--set PATH=VALUE ...]\n"
               "                          [--threads N] [--max-evaluations N] [--quiet]\n\n"
               "Fits the free parameters of the scenario's calibration block to its observed targets\n"
               "(simulated method of moments; the same random numbers in every simulation; GSL's\n"
               "Nelder-Mead simplex within the bounds), prints the fit table (observed, simulated\n"
               "with its 95%% interval over replications, standardized distance) and the fitted\n"
               "parameters with standard errors, and writes CALIBRATED.json: a scenario that\n"
               "extends SCENARIO.json (by its path relative to CALIBRATED.json's folder)\n"
               "with the fitted values, its sources saying what was fitted, to what, when.\n\n"
               "Refuses (exit 2, nothing written): more free parameters than targets, a parameter\n"
               "that moves no target, a target the model cannot reach within the bounds.  Not\n"
               "converging within calibration.max_evaluations: exit 1.  See docs/model.md, section 9.\n");
}

/* Sets root.PATH = value, making the objects on the way. */
static void set_path(cJSON *root, const char *path, cJSON *value)
{
    char key[512];
    const char *dot;
    while ((dot = strchr(path, '.'))) {
        snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
        cJSON *child = cJSON_GetObjectItemCaseSensitive(root, key);
        if (!cJSON_IsObject(child)) {
            cJSON_DeleteItemFromObjectCaseSensitive(root, key);
            child = cJSON_AddObjectToObject(root, key);
        }
        root = child;
        path = dot + 1;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(root, path);
    cJSON_AddItemToObject(root, path, value);
}

/* The path of file `in` relative to folder `from` (both resolved), into buf;
 * the input's own path when either cannot be resolved. */
static void relative_to(const char *from, const char *in, char *buf, size_t size)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(from, a) || !realpath(in, b)) {
        snprintf(buf, size, "%s", in);
        return;
    }
    size_t common = 0; /* the length of the shared folders, up to a '/' */
    for (size_t i = 0; a[i] && a[i] == b[i]; i++)
        if (a[i] == '/')
            common = i;
    size_t la = strlen(a);
    if (!strncmp(a, b, la) && b[la] == '/') /* the input is inside `from` */
        common = la;
    size_t at = 0;
    buf[0] = '\0';
    for (const char *p = a + common; *p; p++) /* one ".." per folder of `from` below the shared part */
        if (*p == '/' && at + 4 < size)
            at += (size_t)snprintf(buf + at, size - at, "../");
    snprintf(buf + at, size - at, "%s", b + common + 1);
}

/* The calibrated scenario: extends the input (a path relative to the output's folder). */
static cJSON *calibrated(const char *in, const char *out, const as_cal_result *r)
{
    const char *slash = strrchr(out, '/');
    char folder[PATH_MAX], ref[PATH_MAX];
    snprintf(folder, sizeof folder, "%.*s", slash ? (int)(slash - out) : 1, slash ? out : ".");
    relative_to(folder, in, ref, sizeof ref);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "extends", ref);
    char name[512], when[32], *sources;
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%d", gmtime(&now));
    size_t stem = strlen(r->scenario_name); /* NAME-calibration gives NAME-calibrated, any other NAME-calibrated */
    if (stem >= 12 && !strcmp(r->scenario_name + stem - 12, "-calibration"))
        stem -= 12;
    snprintf(name, sizeof name, "%.*s-calibrated", (int)stem, r->scenario_name);
    cJSON_AddStringToObject(doc, "name", name);
    size_t cap = strlen(r->scenario_sources) + 4096 + 512 * (r->k + r->n_targets), len = 0;
    if (!(sources = as_malloc(cap)))
        return doc;
    len += (size_t)snprintf(sources + len, cap - len, "%s%sFITTED by alignsim calibrate on %s (simulated method of "
                                                    "moments, %d replications, random seed as the scenario's): ",
                            r->scenario_sources, *r->scenario_sources ? " " : "", when, r->replications);
    for (size_t j = 0; j < r->k; j++)
        len += (size_t)snprintf(sources + len, cap - len, "%s%s%s = %.6g (se %.3g, bounds %g to %g)", j ? "; " : "",
                                r->param_paths[j], r->scale[j] ? " (factor)" : "", r->theta[j], r->theta_se[j],
                                r->lo[j], r->hi[j]);
    len += (size_t)snprintf(sources + len, cap - len, ", to the targets ");
    for (size_t t = 0; t < r->n_targets; t++)
        len += (size_t)snprintf(sources + len, cap - len, "%s%s = %g (se %.3g; simulated %.6g)", t ? "; " : "",
                                r->target_metrics[t], r->observed[t], r->se[t], r->sim[t]);
    snprintf(sources + len, cap - len, ". The fitted values are FITTED, not data: they are as good as the targets "
                                       "and the model's other assumptions.");
    cJSON_AddStringToObject(doc, "sources", sources);
    free(sources);
    /* the fitted keys */
    char *lines = as_strdup(r->sets ? r->sets : ""), *save = NULL;
    for (char *line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        cJSON *v = cJSON_Parse(eq + 1);
        if (v)
            set_path(doc, line, v);
    }
    free(lines);
    return doc;
}

int as_cmd_calibrate(int argc, char **argv)
{
    static const struct option longs[] = {{"output", required_argument, 0, 'o'}, {"set", required_argument, 0, 's'},
                                          {"threads", required_argument, 0, 't'},
                                          {"max-evaluations", required_argument, 0, 'm'},
                                          {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    const char *output = NULL, *sets[256];
    int n_sets = 0, quiet = 0, c;
    as_cal_options opt = {0};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", longs, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'o': output = optarg; break;
        case 's':
            if (n_sets == 256) {
                fprintf(stderr, "alignsim calibrate: at most 256 --set\n");
                return 2;
            }
            sets[n_sets++] = optarg;
            break;
        case 't':
        case 'm': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1000000) {
                fprintf(stderr, "alignsim calibrate: --%s: expected a whole number >= 1 (got \"%s\")\n",
                        c == 't' ? "threads" : "max-evaluations", optarg);
                return 2;
            }
            *(c == 't' ? &opt.threads : &opt.max_evaluations) = (int)v;
            break;
        }
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "alignsim calibrate: unknown or incomplete option \"%s\" (see alignsim calibrate --help)\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind != argc - 1 || !output) {
        fprintf(stderr, "alignsim calibrate: expected one scenario file and -o CALIBRATED.json (see alignsim "
                        "calibrate --help)\n");
        return 2;
    }
    const char *path = argv[optind];
    if (!strcmp(path, "-")) {
        fprintf(stderr, "alignsim calibrate: the scenario must be a file, not standard input (the calibrated "
                        "scenario extends it by its path)\n");
        return 2;
    }
    opt.progress = !quiet && isatty(STDERR_FILENO);
    static as_error err;
    as_error_clear(&err);
    as_cal_result r;
    memset(&r, 0, sizeof r);
    const char *inputs[1] = {path};
    if (as_outpath_check(output, inputs, 1, &err) != AS_OK)
        return as_cli_report(&err);
    int rc = as_calibrate(path, sets, n_sets, &opt, &r, &err);
    if (r.theta && r.evaluations > 0 && (rc == AS_OK || r.sets))
        as_cal_write_table(stdout, &r);
    if (rc == AS_OK) {
        cJSON *doc = calibrated(path, output, &r);
        char *text = doc ? cJSON_Print(doc) : NULL;
        as_outfile o;
        if (!text)
            as_error_set(&err, AS_ENOMEM, output, "out of memory");
        else if (as_outfile_open(&o, output, &err) == AS_OK) {
            fprintf(o.f, "%s\n", text);
            as_outfile_commit(&o, &err);
        }
        free(text);
        cJSON_Delete(doc);
    }
    as_cal_result_free(&r);
    if (err.code == AS_OK && !quiet)
        fprintf(stderr, "alignsim calibrate: wrote %s\n", output);
    return err.code == AS_OK ? 0 : as_cli_report(&err);
}
