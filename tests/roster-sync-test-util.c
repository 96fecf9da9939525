/* roster-sync-test-util.c: what the sync state tests share; see the header. */
#define G_LOG_DOMAIN "test-sync"

#include "roster-sync-test-util.h"
#include "roster-test-util.h"

char *
outbox (Fixture *f)
{
  return roster_test_raw_text (f->path,
                               "SELECT (CASE kind WHEN 0 THEN 'task ' ELSE 'list ' END) || object_id || ' #' || seq "
                               "FROM roster_sync_outbox ORDER BY id");
}

void
set_up_account (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  roster_sync_state_set_account (f->store, "https://dav.example/", "ada", "/dav/principals/ada/", HOME,
                                 &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
}

GPtrArray *
next_ops (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = roster_sync_state_next_ops (f->store, 100, &error);

  g_assert_no_error (error);
  return ops;
}

RosterSyncOp *
op_at (GPtrArray *ops,
       guint      i)
{
  g_assert_cmpuint (i, <, ops->len);
  return g_ptr_array_index (ops, i);
}

gboolean
finish (Fixture            *f,
        const RosterSyncOp *op,
        const char         *etag)
{
  g_autoptr(GError) error = NULL;
  gboolean pending = TRUE;

  g_assert_true (roster_sync_state_finish (f->store, op, NULL, etag, &pending, &error));
  g_assert_no_error (error);
  return pending;
}

/* Plays a server that takes everything: every op, finished with a new ETag,
 * until nothing waits. Returns how many ops went. */
guint
push_all (Fixture *f)
{
  guint sent = 0;

  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GPtrArray) ops = next_ops (f);

      if (ops->len == 0)
        return sent;
      for (guint i = 0; i < ops->len; i++)
        {
          g_autofree char *etag = g_strdup_printf ("\"e%u\"", ++sent);

          finish (f, op_at (ops, i), etag);
        }
    }
  g_assert_not_reached ();
}

RosterTask *
new_task (Fixture    *f,
          RosterUser *owner,
          const char *title)
{
  g_autoptr(GError) error = NULL;
  RosterTask *task = roster_store_create_task (f->store, owner, title, &error);

  g_assert_no_error (error);
  return task;
}
