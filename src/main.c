/* main.c: starts Roster; everything else is in the roster-ui library.
 *
 * Built again as roster-instrumented (ROSTER_INSTRUMENTED, src/meson.build),
 * which adds the benchmark's hook; the installed roster does not have it. */
#include <glib/gi18n.h>
#include <locale.h>

#include "roster-application.h"
#ifdef ROSTER_INSTRUMENTED
#include "roster-bench-hook.h"
#endif

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RosterApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = roster_application_new ();
#ifdef ROSTER_INSTRUMENTED
  /* Before the first window is made. Does nothing unless ROSTER_BENCH is
   * set (HACKING.md). */
  roster_bench_hook_install (GTK_APPLICATION (app));
#endif
  return g_application_run (G_APPLICATION (app), argc, argv);
}
