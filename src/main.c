/* main.c: starts Roster; everything else is in the roster-ui library.
 *
 * Built again as roster-instrumented (ROSTER_INSTRUMENTED, src/meson.build),
 * which adds the benchmark's and the tests' hooks; the installed roster has
 * neither. */
#include <glib/gi18n.h>
#include <locale.h>

#include "roster-application.h"
#ifdef ROSTER_INSTRUMENTED
#include "roster-bench-hook.h"
#include "roster-page-limit.h"
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
  /* Before the first file is opened and the first window made. Each does
   * nothing unless its variable is set (HACKING.md). */
  roster_page_limit_from_environment ();
  roster_bench_hook_install (GTK_APPLICATION (app));
#endif
  return g_application_run (G_APPLICATION (app), argc, argv);
}
