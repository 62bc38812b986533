#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void as_error_clear(as_error *err)
{
    if (err) {
        err->code = AS_OK;
        err->count = 0;
        err->dropped = 0;
        err->text[0] = '\0';
    }
}

static void append_line(as_error *err, const char *line)
{
    size_t used = strlen(err->text), len = strlen(line);
    if (used + len + 2 > sizeof err->text) {
        err->dropped++;
        return;
    }
    if (used > 0)
        err->text[used++] = '\n';
    memcpy(err->text + used, line, len + 1);
}

int as_error_vset(as_error *err, int code, const char *file, const char *where, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    char message[1024];
    vsnprintf(message, sizeof message, fmt, ap);
    char line[1400];
    if (file && *file && where && *where)
        snprintf(line, sizeof line, "%s: %s: %s", file, where, message);
    else if ((file && *file) || (where && *where))
        snprintf(line, sizeof line, "%s: %s", file && *file ? file : where, message);
    else
        snprintf(line, sizeof line, "%s", message);
    if (err->code == AS_OK)
        err->code = code;
    err->count++;
    append_line(err, line);
    return code;
}

int as_error_set(as_error *err, int code, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    as_error_vset(err, code, NULL, where, fmt, ap);
    va_end(ap);
    return code;
}

void as_error_merge(as_error *dst, const as_error *src)
{
    if (!dst || !src || src->code == AS_OK)
        return;
    if (dst->code == AS_OK)
        dst->code = src->code;
    dst->count += src->count;
    dst->dropped += src->dropped;
    if (src->text[0])
        append_line(dst, src->text);
}

int as_error_exit_status(const as_error *err)
{
    if (!err || err->code == AS_OK)
        return 0;
    return err->code == AS_EINPUT ? 2 : 1;
}
