/* test-crash.c: a process editing through the store is killed at random moments.
 *
 * The test runs itself again as a worker (`test-crash --worker FILE SEED`) that
 * opens the file and makes random edits, one after the other (creating,
 * renaming, tagging, moving, reordering, deleting users with their tasks,
 * batches of tagged tasks, undo, redo), until it is killed with SIGKILL a few
 * milliseconds in. On its stdout, a pipe, it writes
 * "S n kind" before it calls the store for edit n and "D n ok" once the call
 * returned: what a person would have been shown as saved.
 *
 * The edits are a pure function of the seed and of the file, so the test can
 * make them again itself, on a copy of the file taken before the worker
 * started. After each kill the file must pass PRAGMA integrity_check and hold
 * exactly the rows of that replay after the last edit reported done, or after
 * the one in flight: every committed edit is there, and the edit in flight is
 * wholly there or wholly absent (a user deleted with its tasks and their tags
 * is all gone, or all there). Then the store itself must open the file.
 *
 * ROSTER_CRASH_SEED=N replays a seed; ROSTER_CRASH_KILLS=N changes the count.
 */
#define G_LOG_DOMAIN "test-crash"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "roster-model.h"
#include "roster-test-util.h"

#define DEFAULT_KILLS 250
/* The worker is killed this long (µs, at most) after it said it is ready. */
#define MAX_DELAY 8000

static const char *self_path;

/* ------------------------------------------------------------------------ */
/* The edits, shared by the worker and the replay                            */

typedef enum
{
  EDIT_CREATE_USER,
  EDIT_RENAME_USER,
  EDIT_DELETE_USER_AND_TASKS,
  EDIT_DELETE_USER_MOVE_TASKS,
  EDIT_CREATE_TASK,
  EDIT_RENAME_TASK,
  EDIT_DONE,
  EDIT_MOVE_TASK,
  EDIT_REORDER_TASK,
  EDIT_DELETE_TASK,
  EDIT_CREATE_CATEGORY,
  EDIT_RENAME_CATEGORY,
  EDIT_DELETE_CATEGORY,
  EDIT_TAG,
  EDIT_UNTAG,
  EDIT_BATCH,
  EDIT_UNDO,
  EDIT_REDO,
  N_EDITS
} EditKind;

static const char * const edit_names[N_EDITS] = {
  "create-user", "rename-user", "delete-user-and-tasks", "delete-user-move-tasks",
  "create-task", "rename-task", "done", "move-task", "reorder-task", "delete-task",
  "create-category", "rename-category", "delete-category", "tag", "untag", "batch", "undo", "redo",
};

/* (transfer full) Item @pick (modulo the length) of @model, or NULL when empty. */
static gpointer
pick_item (GListModel *model,
           guint32     pick)
{
  guint n = g_list_model_get_n_items (model);

  return n > 0 ? g_list_model_get_item (model, pick % n) : NULL;
}

static RosterUser *
pick_user (RosterStore *store,
           guint32      pick)
{
  g_autoptr(GListModel) users = roster_store_list_users (store);

  return pick_item (users, pick);
}

static RosterCategory *
pick_category (RosterStore *store,
               guint32      pick)
{
  g_autoptr(GListModel) categories = roster_store_list_categories (store);

  return pick_item (categories, pick);
}

static RosterTask *
pick_task (RosterStore *store,
           guint32      pick)
{
  g_autoptr(GListModel) users = roster_store_list_users (store);
  guint n = g_list_model_get_n_items (users);

  /* The first user with tasks, starting from a random one. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (users, (pick + i) % n);
      g_autoptr(GListModel) tasks = roster_store_list_user_tasks (store, user);

      if (g_list_model_get_n_items (tasks) > 0)
        return pick_item (tasks, pick / 7);
    }
  return NULL;
}

static guint
n_items (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);

  g_object_unref (model);
  return n;
}

static EditKind
choose_edit (RosterStore *store,
             GRand       *rand)
{
  guint n_users = n_items (roster_store_list_users (store));
  guint n_categories = n_items (roster_store_list_categories (store));
  guint weights[N_EDITS] = { 0 };
  guint total = 0, dice;
  EditKind kind;

  weights[EDIT_CREATE_USER] = n_users < 3 ? 20 : n_users > 8 ? 1 : 4;
  weights[EDIT_RENAME_USER] = 3;
  weights[EDIT_DELETE_USER_AND_TASKS] = n_users > 5 ? 4 : 1;
  weights[EDIT_DELETE_USER_MOVE_TASKS] = n_users > 5 ? 4 : 1;
  weights[EDIT_CREATE_TASK] = 14;
  weights[EDIT_RENAME_TASK] = 4;
  weights[EDIT_DONE] = 4;
  weights[EDIT_MOVE_TASK] = 5;
  weights[EDIT_REORDER_TASK] = 5;
  weights[EDIT_DELETE_TASK] = 5;
  weights[EDIT_CREATE_CATEGORY] = n_categories < 3 ? 10 : n_categories > 8 ? 1 : 3;
  weights[EDIT_RENAME_CATEGORY] = 2;
  weights[EDIT_DELETE_CATEGORY] = n_categories > 5 ? 3 : 1;
  weights[EDIT_TAG] = 10;
  weights[EDIT_UNTAG] = 4;
  weights[EDIT_BATCH] = 3;
  weights[EDIT_UNDO] = 8;
  weights[EDIT_REDO] = 4;
  for (guint i = 0; i < N_EDITS; i++)
    total += weights[i];

  dice = g_rand_int_range (rand, 0, total);
  for (kind = 0; dice >= weights[kind]; kind++)
    dice -= weights[kind];
  return kind;
}

/* Makes edit @kind with the picks @a and @b. Returns whether the store took it. */
static gboolean
make_edit (RosterStore *store,
           EditKind     kind,
           guint32      a,
           guint32      b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(RosterUser) other = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(RosterCategory) category = NULL;
  g_autofree char *name = g_strdup_printf ("n%u", a % 500);

  switch (kind)
    {
    case EDIT_CREATE_USER:
      user = roster_store_create_user (store, name, &error);
      return user != NULL;
    case EDIT_RENAME_USER:
      user = pick_user (store, a);
      return user && roster_store_rename_user (store, user, name, &error);
    case EDIT_DELETE_USER_AND_TASKS:
      user = pick_user (store, b);
      return user && roster_store_delete_user (store, user, ROSTER_DELETE_USER_AND_TASKS, NULL, &error);
    case EDIT_DELETE_USER_MOVE_TASKS:
      user = pick_user (store, a);
      other = pick_user (store, b);
      return user && roster_store_delete_user (store, user, ROSTER_DELETE_USER_MOVE_TASKS, other, &error);
    case EDIT_CREATE_TASK:
      user = pick_user (store, b);
      task = user ? roster_store_create_task (store, user, name, &error) : NULL;
      return task != NULL;
    case EDIT_RENAME_TASK:
      task = pick_task (store, b);
      return task && roster_store_set_task_title (store, task, name, &error);
    case EDIT_DONE:
      task = pick_task (store, b);
      return task && roster_store_set_task_done (store, task, !roster_task_get_done (task), &error);
    case EDIT_MOVE_TASK:
      task = pick_task (store, b);
      user = pick_user (store, a);
      return task && user && roster_store_move_task (store, task, user, &error);
    case EDIT_REORDER_TASK:
      task = pick_task (store, b);
      return task && roster_store_reorder_task (store, task, a % 12, &error);
    case EDIT_DELETE_TASK:
      task = pick_task (store, b);
      return task && roster_store_delete_task (store, task, &error);
    case EDIT_CREATE_CATEGORY:
      category = roster_store_create_category (store, name, a % 2 ? "#E01B24" : NULL, &error);
      return category != NULL;
    case EDIT_RENAME_CATEGORY:
      category = pick_category (store, b);
      return category && roster_store_rename_category (store, category, name, &error);
    case EDIT_DELETE_CATEGORY:
      category = pick_category (store, b);
      return category && roster_store_delete_category (store, category, &error);
    case EDIT_TAG:
    case EDIT_UNTAG:
      task = pick_task (store, b);
      category = pick_category (store, a);
      if (task == NULL || category == NULL)
        return FALSE;
      return kind == EDIT_TAG ? roster_store_tag_task (store, task, category, &error)
                              : roster_store_untag_task (store, task, category, &error);
    case EDIT_BATCH:
      /* An import: a few tasks, tagged, in one transaction. */
      user = pick_user (store, b);
      category = pick_category (store, a);
      if (user == NULL)
        return FALSE;
      roster_store_begin_batch (store, "Import");
      for (guint i = 0; i < 2 + a % 4; i++)
        {
          g_autofree char *title = g_strdup_printf ("%s.%u", name, i);
          g_autoptr(RosterTask) t = roster_store_create_task (store, user, title, NULL);

          if (t != NULL && category != NULL)
            roster_store_tag_task (store, t, category, NULL);
        }
      return roster_store_commit_batch (store, &error);
    case EDIT_UNDO:
      return roster_store_undo (store, &error);
    case EDIT_REDO:
    default:
      return roster_store_redo (store, &error);
    }
}

/* Edit @n (from 1) as a function of @rand's state and the file. */
static EditKind
next_edit (RosterStore *store,
           GRand       *rand,
           guint32     *a,
           guint32     *b)
{
  EditKind kind = choose_edit (store, rand);

  *a = g_rand_int (rand);
  *b = g_rand_int (rand);
  return kind;
}

static void
say (const char *format,
     ...)
{
  va_list args;
  g_autofree char *line = NULL;
  gssize written = 0, length;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  length = strlen (line);
  /* Unbuffered: what is written before the kill stays in the pipe. */
  while (written < length)
    {
      gssize w = write (STDOUT_FILENO, line + written, length - written);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        _exit (2);
      written += w;
    }
}

static int
worker_main (const char *path,
             guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  RosterStore *store = roster_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("worker: %s\n", error->message);
      return 1;
    }
  say ("R\n");
  for (guint n = 1; ; n++)
    {
      guint32 a, b;
      EditKind kind = next_edit (store, rand, &a, &b);
      gboolean ok;

      say ("S %u %s\n", n, edit_names[kind]);
      ok = make_edit (store, kind, a, b);
      say ("D %u %d\n", n, ok);
    }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The test                                                                  */

/* The lines of @a that @b lacks. */
static char *
lines_missing (const char *a,
               const char *b)
{
  g_auto(GStrv) lines = g_strsplit (a, "\n", -1);
  g_auto(GStrv) others = g_strsplit (b, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] && !g_strv_contains ((const char * const *) others, lines[i]))
      g_string_append_printf (out, "  %s\n", lines[i]);
  return g_string_free (out, FALSE);
}

/* A copy through SQLite's backup API, never a plain file copy. */
static void
copy_database (const char *from,
               const char *to)
{
  sqlite3 *src = NULL, *dest = NULL;
  sqlite3_backup *backup;

  g_unlink (to);
  g_assert_cmpint (sqlite3_open_v2 (from, &src, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_open (to, &dest), ==, SQLITE_OK);
  backup = sqlite3_backup_init (dest, "main", src, "main");
  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_backup_finish (backup), ==, SQLITE_OK);
  sqlite3_close (dest);
  sqlite3_close (src);
}

static void
close_store (RosterStore *store)
{
  g_assert_finalize_object (store);
}

/* The file after the replay's edits @n and @n + 1, made on a copy of @base. */
static void
replay (const char  *base,
        const char  *scratch,
        guint32      seed,
        guint        n,
        char       **after_n,
        char       **after_next)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  RosterStore *store;

  copy_database (base, scratch);
  store = roster_store_open (scratch, &error);
  g_assert_no_error (error);
  *after_n = n == 0 ? roster_test_dump (scratch) : NULL;
  for (guint i = 1; i <= n + 1; i++)
    {
      guint32 a, b;
      EditKind kind = next_edit (store, rand, &a, &b);

      make_edit (store, kind, a, b);
      if (i == n)
        *after_n = roster_test_dump (scratch);
    }
  *after_next = roster_test_dump (scratch);
  close_store (store);
}

typedef struct
{
  guint done;          /* the last edit reported done */
  guint started;       /* the last edit begun */
  char  kind[64];      /* of the last one begun */
  gboolean ready;
} Journal;

static void
parse_journal (const char *text,
               Journal    *journal)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  memset (journal, 0, sizeof *journal);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      guint n;

      if (g_str_equal (line, "R"))
        journal->ready = TRUE;
      else if (g_str_has_prefix (line, "S "))
        {
          char kind[64] = "";
          g_assert_cmpint (sscanf (line, "S %u %63s", &n, kind), ==, 2);
          g_assert_cmpuint (n, ==, journal->done + 1);
          journal->started = n;
          g_strlcpy (journal->kind, kind, sizeof journal->kind);
        }
      else if (g_str_has_prefix (line, "D "))
        {
          g_assert_cmpint (sscanf (line, "D %u", &n), ==, 1);
          g_assert_cmpuint (n, ==, journal->started);
          journal->done = n;
        }
      /* A last line cut short by the kill cannot happen: each is one write
       * of a few bytes to a pipe, which is atomic. */
    }
}

static void
read_available (int      fd,
                GString *out,
                gboolean until_ready)
{
  char buffer[4096];

  for (;;)
    {
      gssize r = read (fd, buffer, sizeof buffer);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        return;
      g_string_append_len (out, buffer, r);
      if (until_ready && strstr (out->str, "R\n") != NULL)
        return;
    }
}

static void
test_crash_kills (void)
{
  guint32 seed = roster_test_env_number ("ROSTER_CRASH_SEED", g_test_rand_int ());
  guint kills = roster_test_env_number ("ROSTER_CRASH_KILLS", DEFAULT_KILLS);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *dir = roster_test_make_dir ("roster-crash-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "roster.db", NULL);
  g_autofree char *base = g_build_filename (dir, "base.db", NULL);
  g_autofree char *scratch = g_build_filename (dir, "replay.db", NULL);
  g_autoptr(GHashTable) in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint landed = 0, absent = 0, between = 0, during_open = 0, edits = 0;

  g_test_message ("seed %u (ROSTER_CRASH_SEED=%u to run it again), %u kills", seed, seed, kills);

  /* The file exists before the first worker: creating it is not under test here. */
  {
    RosterStore *store = roster_store_open (path, &error);
    g_assert_no_error (error);
    close_store (store);
  }

  for (guint kill_no = 0; kill_no < kills; kill_no++)
    {
      guint32 worker_seed = g_rand_int (rand);
      g_autofree char *seed_text = g_strdup_printf ("%u", worker_seed);
      const char *argv[] = { self_path, "--worker", path, seed_text, NULL };
      g_autoptr(GString) output = g_string_new (NULL);
      g_autofree char *integrity = NULL;
      g_autofree char *foreign = NULL;
      g_autofree char *after_kill = NULL;
      g_autofree char *after_n = NULL;
      g_autofree char *after_next = NULL;
      gboolean early = g_rand_int_range (rand, 0, 10) == 0;
      Journal journal;
      GPid pid;
      int out_fd, status;

      copy_database (path, base);
      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                               NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);

      /* Mostly while it edits; sometimes while it opens the file. */
      if (early)
        g_usleep (g_rand_int_range (rand, 0, 3000));
      else
        {
          read_available (out_fd, output, TRUE);
          g_assert_nonnull (strstr (output->str, "R\n"));
          g_usleep (g_rand_int_range (rand, 0, MAX_DELAY));
        }
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      read_available (out_fd, output, FALSE);
      close (out_fd);
      parse_journal (output->str, &journal);

      /* The file as the kill left it, seen by plain SQLite first. */
      integrity = roster_test_raw_text (path, "PRAGMA integrity_check");
      if (!g_str_equal (integrity, "ok"))
        g_error ("seed %u, kill %u (worker seed %u, after edit %u, in %s): integrity_check says %s",
                 seed, kill_no, worker_seed, journal.done, journal.kind, integrity);
      foreign = roster_test_raw_text (path, "PRAGMA foreign_key_check");
      g_assert_cmpstr (foreign, ==, "");
      after_kill = roster_test_dump (path);

      replay (base, scratch, worker_seed, journal.done, &after_n, &after_next);
      if (g_str_equal (after_kill, after_n))
        {
          if (journal.started > journal.done && !g_str_equal (after_n, after_next))
            absent++;
          else
            between++;
        }
      else if (journal.started > journal.done && g_str_equal (after_kill, after_next))
        landed++;
      else
        {
          g_autofree char *missing = lines_missing (after_n, after_kill);
          g_autofree char *extra = lines_missing (after_kill, after_n);
          g_autofree char *missing_next = lines_missing (after_next, after_kill);
          g_autofree char *extra_next = lines_missing (after_kill, after_next);

          g_test_message ("rows after edit %u missing from the file:\n%s", journal.done, missing);
          g_test_message ("rows in the file not there after edit %u:\n%s", journal.done, extra);
          g_test_message ("rows after edit %u missing from the file:\n%s", journal.done + 1, missing_next);
          g_test_message ("rows in the file not there after edit %u:\n%s", journal.done + 1, extra_next);
          g_error ("seed %u, kill %u (worker seed %u): %u edits reported done, %s; "
                   "the file matches neither the edits reported done nor those plus the one in flight",
                   seed, kill_no, worker_seed, journal.done,
                   journal.started > journal.done ? journal.kind : "none in flight");
        }
      if (journal.started > journal.done)
        {
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (in_flight, journal.kind));
          g_hash_table_replace (in_flight, g_strdup (journal.kind), GUINT_TO_POINTER (count + 1));
        }
      if (!journal.ready)
        during_open++;
      edits += journal.done;

      /* And Roster itself opens it, finding nothing wrong. */
      {
        RosterStore *store = roster_store_open (path, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (roster_store_get_problems (store)->len, ==, 0);
        close_store (store);
      }
    }

  {
    GString *kinds = g_string_new (NULL);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, in_flight);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_string_append_printf (kinds, " %s %u", (char *) key, GPOINTER_TO_UINT (value));
    g_test_message ("%u kills in %.1f s, %u edits reported done: %u during an edit that then was in the file, "
                    "%u during an edit that was not, %u between edits, %u while opening the file",
                    kills, g_timer_elapsed (timer, NULL), edits, landed, absent, between, during_open);
    g_test_message ("edits in flight at a kill:%s", kinds->str);
    g_string_free (kinds, TRUE);
  }
  /* Kills have to land inside edits for the test to mean anything. */
  g_assert_cmpuint (landed + absent, >=, kills / 4);

  roster_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--worker"))
    return worker_main (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);
  self_path = g_path_is_absolute (argv[0]) ? argv[0] : g_canonicalize_filename (argv[0], NULL);

  g_test_add_func ("/crash/kills", test_crash_kills);

  return g_test_run ();
}
