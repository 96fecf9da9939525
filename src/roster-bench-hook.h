/* roster-bench-hook.h: the benchmark's probe inside the real application.
 *
 * Built into roster-instrumented only, never into the installed roster (see
 * src/meson.build). Does nothing unless the environment variable ROSTER_BENCH
 * is set, which only bench/roster-startup does (see bench/README.md and
 * HACKING.md). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called once, before @application runs. Watches for its first RosterWindow.
 * With ROSTER_BENCH=startup it prints "roster-bench first-frame <monotonic us>
 * vmhwm-kib <N>" on the first frame that shows the first user's tasks (or an
 * empty file) and quits; with ROSTER_BENCH=scroll it then scrolls the task
 * list to the end, a page a frame, prints "roster-bench scroll frames <n>
 * worst-frame-us <N> vmhwm-kib <N> worst-block-us <N> mean-frame-us <N>
 * long-blocks <n>" and quits; with ROSTER_BENCH=settle it waits after that
 * frame until the main loop has had nothing to run for a second, prints
 * "roster-bench settled <us> vmhwm-kib <N>" and quits. */
void roster_bench_hook_install (GtkApplication *application);

G_END_DECLS
