/* test-sync-merge.c: the three-way merge of a VTODO and the deletion-safety
 * rule (roster-sync-merge.h), pure functions, without a store or a server.
 */
#define G_LOG_DOMAIN "test-sync"

#include <string.h>

#include "roster-sync-merge.h"

#define NOW ((time_t) 1700000000)

/* A VTODO from its lines (CRLF added), in a VCALENDAR. */
static icalcomponent *
vtodo (const char *lines)
{
  g_autofree char *text = g_strdup_printf ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                                           "BEGIN:VTODO\r\nUID:task-1\r\nDTSTAMP:20240101T000000Z\r\n"
                                           "%sEND:VTODO\r\nEND:VCALENDAR\r\n", lines);
  g_autofree char *crlf = NULL;
  g_auto(GStrv) parts = g_strsplit (text, "\n", -1);
  icalcomponent *c;

  /* The lines are given with \n; iCalendar wants CRLF. */
  for (guint i = 0; parts[i] != NULL; i++)
    g_strchomp (parts[i]);
  crlf = g_strjoinv ("\r\n", parts);
  c = roster_sync_parse_vtodo (crlf);
  g_assert_nonnull (c);
  return c;
}

/* Merges three VTODOs given by their lines (@base may be NULL). */
static void
merge_lines (const char      *base,
             const char      *local,
             const char      *remote,
             RosterSyncMerge *out)
{
  icalcomponent *b = base != NULL ? vtodo (base) : NULL;
  icalcomponent *l = vtodo (local);
  icalcomponent *r = vtodo (remote);

  roster_sync_merge (b, l, r, NOW, out);
  g_clear_pointer (&b, icalcomponent_free);
  icalcomponent_free (l);
  icalcomponent_free (r);
}

static const char *
summary (icalcomponent *c)
{
  return icalcomponent_get_summary (c);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "a|b|c": every CATEGORIES value, sorted. */
static char *
sorted_categories (icalcomponent *c)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (icalproperty *p = icalcomponent_get_first_property (c, ICAL_CATEGORIES_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (c, ICAL_CATEGORIES_PROPERTY))
    {
      g_auto(GStrv) parts = g_strsplit (icalproperty_get_categories (p), ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        g_ptr_array_add (names, g_strdup (parts[i]));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

/* Each side changed a different field: both are kept, nothing conflicts. */
static void
test_different_fields (void)
{
  const char *base = "SUMMARY:Buy milk\nDESCRIPTION:two litres\n";
  const char *local = "SUMMARY:Buy oat milk\nDESCRIPTION:two litres\n";
  const char *remote = "SUMMARY:Buy milk\nDESCRIPTION:three litres\nX-FOREIGN:kept\n";
  RosterSyncMerge merge = { 0 };

  merge_lines (base, local, remote, &merge);
  g_assert_cmpstr (summary (merge.merged), ==, "Buy oat milk");
  g_assert_cmpstr (icalcomponent_get_description (merge.merged), ==, "three litres");
  g_assert_nonnull (strstr (icalcomponent_as_ical_string (merge.merged), "X-FOREIGN:kept"));
  g_assert_cmpuint (merge.conflicts->len, ==, 0);
  g_assert_true (merge.local_changed);
  g_assert_true (merge.remote_changed);
  /* What the merge changed of the server's is stamped now. */
  g_assert_cmpint (icaltime_as_timet (icalcomponent_get_dtstamp (merge.merged)), ==, NOW);

  roster_sync_merge_clear (&merge);
}

/* The same field on both sides: the server's value stays, and the conflict
 * names both values. */
static void
test_same_field (void)
{
  const char *base = "SUMMARY:Buy milk\n";
  const char *local = "SUMMARY:Buy oat milk\n";
  const char *remote = "SUMMARY:Buy soy milk\n";
  RosterSyncMerge merge = { 0 };
  RosterSyncConflict *conflict;

  merge_lines (base, local, remote, &merge);
  g_assert_cmpstr (summary (merge.merged), ==, "Buy soy milk");
  g_assert_cmpuint (merge.conflicts->len, ==, 1);
  conflict = g_ptr_array_index (merge.conflicts, 0);
  g_assert_cmpstr (conflict->property, ==, "SUMMARY");
  g_assert_cmpstr (conflict->local_value, ==, "Buy oat milk");
  g_assert_cmpstr (conflict->server_value, ==, "Buy soy milk");
  g_assert_false (merge.local_changed);
  g_assert_true (merge.remote_changed);

  roster_sync_merge_clear (&merge);
}

/* Both sides made the same change: nothing to tell. */
static void
test_same_change (void)
{
  const char *base = "SUMMARY:Buy milk\n";
  const char *local = "SUMMARY:Buy bread\n";
  const char *remote = "SUMMARY:Buy bread\n";
  RosterSyncMerge merge = { 0 };

  merge_lines (base, local, remote, &merge);
  g_assert_cmpstr (summary (merge.merged), ==, "Buy bread");
  g_assert_cmpuint (merge.conflicts->len, ==, 0);
  g_assert_false (merge.local_changed);
  g_assert_false (merge.remote_changed);

  roster_sync_merge_clear (&merge);
}

/* Tags added and removed on each side are all kept: never a conflict. */
static void
test_categories (void)
{
  const char *base = "SUMMARY:T\nCATEGORIES:home,work\n";
  const char *local = "SUMMARY:T\nCATEGORIES:home,urgent\n";
  const char *remote = "SUMMARY:T\nCATEGORIES:home,work,errands\n";
  RosterSyncMerge merge = { 0 };
  g_autofree char *tags = NULL;

  merge_lines (base, local, remote, &merge);
  tags = sorted_categories (merge.merged);
  /* work removed here, urgent added here, errands added there. */
  g_assert_cmpstr (tags, ==, "errands|home|urgent");
  g_assert_cmpuint (merge.conflicts->len, ==, 0);
  g_assert_true (merge.local_changed);
  g_assert_true (merge.remote_changed);
  /* On one line, as the export writes them. */
  g_assert_cmpuint (icalcomponent_count_properties (merge.merged, ICAL_CATEGORIES_PROPERTY), ==, 1);

  roster_sync_merge_clear (&merge);
}

/* Done on one side (STATUS, COMPLETED, PERCENT-COMPLETE together), the
 * title on the other. */
static void
test_done_and_title (void)
{
  const char *base = "SUMMARY:Call Bob\nSTATUS:NEEDS-ACTION\n";
  const char *local = "SUMMARY:Call Bob\nSTATUS:COMPLETED\nCOMPLETED:20240102T100000Z\nPERCENT-COMPLETE:100\n";
  const char *remote = "SUMMARY:Call Bob at 5\nSTATUS:NEEDS-ACTION\n";
  RosterSyncMerge merge = { 0 };

  merge_lines (base, local, remote, &merge);
  g_assert_cmpstr (summary (merge.merged), ==, "Call Bob at 5");
  g_assert_cmpint (icalcomponent_get_status (merge.merged), ==, ICAL_STATUS_COMPLETED);
  g_assert_nonnull (icalcomponent_get_first_property (merge.merged, ICAL_COMPLETED_PROPERTY));
  g_assert_nonnull (icalcomponent_get_first_property (merge.merged, ICAL_PERCENTCOMPLETE_PROPERTY));
  g_assert_cmpuint (merge.conflicts->len, ==, 0);

  roster_sync_merge_clear (&merge);
}

/* Done here, reopened there with another date: the server wins, and the
 * conflict is the done state, not its three properties. */
static void
test_done_conflict (void)
{
  const char *base = "SUMMARY:T\nSTATUS:NEEDS-ACTION\nDUE;VALUE=DATE:20240501\n";
  const char *local = "SUMMARY:T\nSTATUS:COMPLETED\nPERCENT-COMPLETE:100\nDUE;VALUE=DATE:20240501\n";
  const char *remote = "SUMMARY:T\nSTATUS:CANCELLED\nDUE;VALUE=DATE:20240601\n";
  RosterSyncMerge merge = { 0 };
  RosterSyncConflict *conflict;

  merge_lines (base, local, remote, &merge);
  g_assert_cmpint (icalcomponent_get_status (merge.merged), ==, ICAL_STATUS_CANCELLED);
  g_assert_null (icalcomponent_get_first_property (merge.merged, ICAL_PERCENTCOMPLETE_PROPERTY));
  g_assert_cmpstr (icaltime_as_ical_string (icalcomponent_get_due (merge.merged)), ==, "20240601");
  g_assert_cmpuint (merge.conflicts->len, ==, 1);
  conflict = g_ptr_array_index (merge.conflicts, 0);
  g_assert_cmpstr (conflict->property, ==, "STATUS");
  g_assert_nonnull (strstr (conflict->local_value, "COMPLETED"));
  g_assert_cmpstr (conflict->server_value, ==, "CANCELLED");

  roster_sync_merge_clear (&merge);
}

/* Marked done on both sides, at different moments: they agree. The
 * server's COMPLETED and PERCENT-COMPLETE stay, and there is no conflict;
 * nor when the other side writes only COMPLETED (no STATUS) for done. */
static void
test_both_done (void)
{
  const char *base = "SUMMARY:Call Bob\nSTATUS:NEEDS-ACTION\n";
  const char *local = "SUMMARY:Call Bob\nSTATUS:COMPLETED\nCOMPLETED:20240102T100000Z\nPERCENT-COMPLETE:100\n";
  const char *remotes[] = {
    "SUMMARY:Call Bob\nSTATUS:COMPLETED\nCOMPLETED:20240103T080000Z\nPERCENT-COMPLETE:100\n",
    "SUMMARY:Call Bob\nCOMPLETED:20240103T080000Z\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (remotes); i++)
    {
      RosterSyncMerge merge = { 0 };
      icalproperty *completed;

      merge_lines (base, local, remotes[i], &merge);
      g_assert_cmpuint (merge.conflicts->len, ==, 0);
      completed = icalcomponent_get_first_property (merge.merged, ICAL_COMPLETED_PROPERTY);
      g_assert_nonnull (completed);
      g_assert_cmpstr (icaltime_as_ical_string (icalproperty_get_completed (completed)), ==, "20240103T080000Z");
      g_assert_cmpuint (icalcomponent_count_properties (merge.merged, ICAL_PERCENTCOMPLETE_PROPERTY), ==,
                        i == 0 ? 1 : 0);
      /* Nothing to send; here the task takes the server's completion. */
      g_assert_false (merge.local_changed);
      g_assert_true (merge.remote_changed);
      roster_sync_merge_clear (&merge);
    }

  /* Without a base (a first sync), too. */
  {
    RosterSyncMerge merge = { 0 };

    merge_lines (NULL, local, remotes[0], &merge);
    g_assert_cmpuint (merge.conflicts->len, ==, 0);
    roster_sync_merge_clear (&merge);
  }
}

/* The same new title on both sides, one written with a parameter: the
 * same change, no conflict. */
static void
test_same_title_written_differently (void)
{
  const char *base = "SUMMARY:Buy milk\n";
  const char *local = "SUMMARY:Buy bread\n";
  const char *remote = "SUMMARY;LANGUAGE=en:Buy bread\n";
  RosterSyncMerge merge = { 0 };

  merge_lines (base, local, remote, &merge);
  g_assert_cmpstr (summary (merge.merged), ==, "Buy bread");
  g_assert_cmpuint (merge.conflicts->len, ==, 0);
  g_assert_false (merge.local_changed);

  roster_sync_merge_clear (&merge);
}

/* STATUS:NEEDS-ACTION added on one side (Roster writes it on every new
 * VTODO) says nothing new: the other side's done stands, no conflict. */
static void
test_default_status (void)
{
  const char *base = "SUMMARY:T\n";
  const char *local = "SUMMARY:T\nSTATUS:NEEDS-ACTION\n";
  const char *remote = "SUMMARY:T\nSTATUS:COMPLETED\nPERCENT-COMPLETE:100\n";
  RosterSyncMerge merge = { 0 };

  merge_lines (base, local, remote, &merge);
  g_assert_cmpint (icalcomponent_get_status (merge.merged), ==, ICAL_STATUS_COMPLETED);
  g_assert_cmpuint (merge.conflicts->len, ==, 0);
  g_assert_false (merge.local_changed);
  roster_sync_merge_clear (&merge);
}

/* A property removed here (the notes cleared) is removed in the result. */
static void
test_removed_here (void)
{
  const char *base = "SUMMARY:T\nDESCRIPTION:old notes\n";
  const char *local = "SUMMARY:T\n";
  const char *remote = "SUMMARY:T\nDESCRIPTION:old notes\nPRIORITY:1\n";
  RosterSyncMerge merge = { 0 };

  merge_lines (base, local, remote, &merge);
  g_assert_null (icalcomponent_get_first_property (merge.merged, ICAL_DESCRIPTION_PROPERTY));
  g_assert_nonnull (icalcomponent_get_first_property (merge.merged, ICAL_PRIORITY_PROPERTY));
  g_assert_cmpuint (merge.conflicts->len, ==, 0);

  roster_sync_merge_clear (&merge);
}

/* No base (a first sync met a task of the same UID): every difference is a
 * conflict the server wins. */
static void
test_no_base (void)
{
  const char *local = "SUMMARY:Mine\nCATEGORIES:a\n";
  const char *remote = "SUMMARY:Theirs\nCATEGORIES:b\n";
  RosterSyncMerge merge = { 0 };
  g_autofree char *tags = NULL;

  merge_lines (NULL, local, remote, &merge);
  tags = sorted_categories (merge.merged);
  g_assert_cmpstr (summary (merge.merged), ==, "Theirs");
  g_assert_cmpstr (tags, ==, "b");
  g_assert_cmpuint (merge.conflicts->len, ==, 2);
  g_assert_false (merge.local_changed);

  roster_sync_merge_clear (&merge);
}

/* The deletion-safety rule. */
static void
test_deletions (void)
{
  RosterSyncDeletionCheck check = { .n_local = 10, .n_going = 3 };
  guint n = 0;

  g_assert_cmpint (roster_sync_check_deletions (&check, &n), ==, ROSTER_SYNC_DELETIONS_SAFE);
  g_assert_cmpuint (n, ==, 3);

  /* Half is still fine; more than half asks. */
  check.n_going = 5;
  g_assert_cmpint (roster_sync_check_deletions (&check, &n), ==, ROSTER_SYNC_DELETIONS_SAFE);
  check.n_going = 6;
  g_assert_cmpint (roster_sync_check_deletions (&check, &n), ==, ROSTER_SYNC_DELETIONS_ASK);
  g_assert_cmpuint (n, ==, 6);

  /* Another server or account: even one task asks. */
  check = (RosterSyncDeletionCheck) { .server_changed = TRUE, .n_local = 10, .n_going = 1 };
  g_assert_cmpint (roster_sync_check_deletions (&check, &n), ==, ROSTER_SYNC_DELETIONS_ASK);

  /* A collection that vanished: the whole list would go. */
  check = (RosterSyncDeletionCheck) { .list_vanished = TRUE, .n_local = 4, .n_going = 0 };
  g_assert_cmpint (roster_sync_check_deletions (&check, &n), ==, ROSTER_SYNC_DELETIONS_ASK);
  g_assert_cmpuint (n, ==, 4);

  /* Nothing going is always safe. */
  check = (RosterSyncDeletionCheck) { .server_changed = TRUE, .n_local = 4, .n_going = 0 };
  g_assert_cmpint (roster_sync_check_deletions (&check, NULL), ==, ROSTER_SYNC_DELETIONS_SAFE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/merge/different-fields", test_different_fields);
  g_test_add_func ("/sync/merge/same-field", test_same_field);
  g_test_add_func ("/sync/merge/same-change", test_same_change);
  g_test_add_func ("/sync/merge/categories", test_categories);
  g_test_add_func ("/sync/merge/done-and-title", test_done_and_title);
  g_test_add_func ("/sync/merge/done-conflict", test_done_conflict);
  g_test_add_func ("/sync/merge/both-done", test_both_done);
  g_test_add_func ("/sync/merge/same-title-written-differently", test_same_title_written_differently);
  g_test_add_func ("/sync/merge/default-status", test_default_status);
  g_test_add_func ("/sync/merge/removed-here", test_removed_here);
  g_test_add_func ("/sync/merge/no-base", test_no_base);
  g_test_add_func ("/sync/deletions", test_deletions);
  return g_test_run ();
}
