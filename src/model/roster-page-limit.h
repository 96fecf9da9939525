/* roster-page-limit.h: a small disk for the tests, ROSTER_MAX_PAGE_COUNT.
 *
 * For tests only: built into roster-instrumented (src/meson.build), never
 * into the model library nor the installed roster. See HACKING.md.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* With ROSTER_MAX_PAGE_COUNT=N (1 to G_MAXINT32) in the environment, every
 * SQLite connection this process opens from now on gets
 * PRAGMA max_page_count = N, so that a test can run the real application out
 * of disk space. Unset or not such a number, does nothing. Call it once,
 * before the first file is opened. */
void roster_page_limit_from_environment (void);

G_END_DECLS
