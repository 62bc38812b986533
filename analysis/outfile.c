#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpfile.h"

int as_outfile_open(as_outfile *o, const char *path, as_error *err)
{
    memset(o, 0, sizeof *o);
    if (strlen(path) >= sizeof o->path)
        return as_error_set(err, AS_EINPUT, path, "file name too long");
    snprintf(o->path, sizeof o->path, "%s", path);
    if (!strcmp(path, "-")) { /* standard output: written as it comes, nothing to rename */
        o->f = stdout;
        return AS_OK;
    }
    as_tmp_name(path, o->tmp, sizeof o->tmp);
    as_tmp_hold(o->tmp);
    o->f = fopen(o->tmp, "w");
    if (!o->f)
        as_tmp_release();
    if (!o->f)
        return as_error_set(err, AS_EIO, path, "cannot create: %s (does the folder exist and is it writable?)",
                            strerror(errno));
    return AS_OK;
}

int as_outfile_commit(as_outfile *o, as_error *err)
{
    if (!o->f)
        return as_error_set(err, AS_EINTERNAL, o->path, "commit of a file that is not open");
    if (o->f == stdout) {
        o->f = NULL;
        if (fflush(stdout) == 0 && !ferror(stdout))
            return AS_OK;
        return as_error_set(err, AS_EIO, "standard output", "cannot write: %s", strerror(errno));
    }
    int failed = ferror(o->f);
    failed |= fclose(o->f) != 0;
    o->f = NULL;
    int renamed = !failed && rename(o->tmp, o->path) == 0, saved = errno;
    if (!renamed)
        remove(o->tmp);
    as_tmp_release();
    if (renamed)
        return AS_OK;
    return as_error_set(err, AS_EIO, o->path, "cannot write: %s", strerror(saved));
}

void as_outfile_abort(as_outfile *o)
{
    if (o->f == stdout) { /* what went out cannot be taken back; the error says it is incomplete */
        fflush(stdout);
        o->f = NULL;
        return;
    }
    if (!o->f)
        return;
    fclose(o->f);
    o->f = NULL;
    remove(o->tmp);
    as_tmp_release();
}

void as_outfile_csv_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The shortest of %.15g, %.16g and %.17g that reads back as x exactly. */
static const char *shortest(char *buf, double x)
{
    for (int digits = 15; digits < 17; digits++) {
        snprintf(buf, 32, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            return buf;
    }
    snprintf(buf, 32, "%.17g", x);
    return buf;
}

void as_outfile_csv_number(FILE *f, double x)
{
    char buf[32];
    if (isnan(x))
        fputs("NA", f);
    else if (x == floor(x) && fabs(x) < 9007199254740992.0)
        fprintf(f, "%.0f", x); /* counts are whole numbers: print them exactly */
    else
        fputs(shortest(buf, x), f);
}

void as_outfile_html(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}
