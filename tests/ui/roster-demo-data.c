/* roster-demo-data.c: fills a new Roster file with a small household, for
 * screenshots (build-aux/screenshot.sh) and for trying the window.
 *
 * Usage: roster-demo-data FILE   (FILE must not exist yet)
 */
#include <glib.h>

#include "roster-model.h"

static RosterTask *
task (RosterStore *store,
      RosterUser  *owner,
      const char  *title,
      gboolean     done,
      int          due_in_days)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = roster_store_create_task (store, owner, title, &error);

  g_assert_no_error (error);
  if (done)
    roster_store_set_task_done (store, task, TRUE, NULL);
  if (due_in_days != G_MININT)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) due = g_date_time_add_days (now, due_in_days);

      roster_store_set_task_due_date (store, task, due, NULL);
    }
  return task;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(RosterUser) alice = NULL, bob = NULL, chloe = NULL;
  g_autoptr(RosterCategory) home = NULL, garden = NULL, money = NULL, urgent = NULL;
  g_autoptr(RosterTask) t1 = NULL, t2 = NULL, t3 = NULL, t4 = NULL, t5 = NULL, t6 = NULL, t7 = NULL;

  if (argc != 2 || g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      g_printerr ("Usage: %s NEW-FILE\n", argv[0]);
      return 2;
    }

  store = roster_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  alice = roster_store_create_user (store, "Alice", &error);
  bob = roster_store_create_user (store, "Bob", &error);
  chloe = roster_store_create_user (store, "Chloé", &error);
  g_assert_no_error (error);

  home = roster_store_create_category (store, "Home", "#3584e4", &error);
  garden = roster_store_create_category (store, "Garden", "#33d17a", &error);
  money = roster_store_create_category (store, "Money", "#f6d32d", &error);
  urgent = roster_store_create_category (store, "Urgent", "#e01b24", &error);
  g_assert_no_error (error);

  t1 = task (store, alice, "Buy milk and bread", FALSE, 0);
  t2 = task (store, alice, "Pay the electricity bill", FALSE, 2);
  t3 = task (store, alice, "Book the dentist", TRUE, G_MININT);
  t4 = task (store, alice, "Mow the lawn", FALSE, 5);
  t5 = task (store, alice, "Water the tomatoes", FALSE, G_MININT);
  t6 = task (store, bob, "Fix the bike's brakes", FALSE, 1);
  t7 = task (store, chloe, "Plan the summer holiday", FALSE, 30);

  roster_store_set_task_notes (store, t2, "The bill is in the blue folder.", NULL);
  roster_store_tag_task (store, t1, home, NULL);
  roster_store_tag_task (store, t2, money, NULL);
  roster_store_tag_task (store, t2, urgent, NULL);
  roster_store_tag_task (store, t3, home, NULL);
  roster_store_tag_task (store, t4, garden, NULL);
  roster_store_tag_task (store, t5, garden, NULL);
  roster_store_tag_task (store, t6, urgent, NULL);
  roster_store_tag_task (store, t7, money, NULL);

  return 0;
}
