/* main.c: starts Roster; everything else is in the roster-ui library. */
#include <glib/gi18n.h>
#include <locale.h>

#include "roster-application.h"

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
  return g_application_run (G_APPLICATION (app), argc, argv);
}
