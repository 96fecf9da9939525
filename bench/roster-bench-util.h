/* roster-bench-util.h: what the benchmark programs share: medians and worst
 * values of their timings, and removing their temporary folders. GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The median of @n values (n > 0); sorts them in place. */
double   roster_bench_median       (double       *values,
                                    guint         n);
/* The median and the largest of an array of doubles (0 when empty); the
 * array is left as it was. */
double   roster_bench_array_median (GArray       *values);
double   roster_bench_array_max    (GArray       *values);
/* Removes @path and everything below it (symbolic links, not what they
 * point to); FALSE with @error set at the first file that would not go. */
gboolean roster_bench_remove_tree  (const char   *path,
                                    GError      **error);

G_END_DECLS
