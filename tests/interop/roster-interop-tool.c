/* roster-interop-tool.c: the C half of the SQLModel interop test.
 *
 * seed_interop.py drives it: the seed's own SQLModel classes write a file, this
 * tool opens and edits it through RosterStore, Python reads the edits back and
 * writes again, this tool reads that back. The tool prints what the store's
 * lists show as JSON lines on stdout; the Python side knows what it wrote and
 * compares.
 *
 *   roster-interop-tool create FILE   make a new file through the store, dump it
 *   roster-interop-tool edit FILE     open (and so migrate) a file the seed's
 *                                     classes made, dump it, make the scripted
 *                                     edits, dump it again
 *   roster-interop-tool dump FILE     open a file and dump it
 *
 * Every dump also checks that the store agrees with itself: each list item is
 * the object the identity map hands out, a task's owner is the user whose list
 * holds it, counts match the lists, and both sides of every tag match. Any
 * disagreement goes to stderr and the tool exits with status 1; an edit that
 * fails stops the tool at once with status 1.
 *
 * Output lines (one JSON object each):
 *   {"kind":"section","name":"before"}
 *   {"kind":"user","id":1,"username":"alice","n_tasks":2,"n_open_tasks":1,"tasks":[1,2]}
 *   {"kind":"task","id":1,"title":"…","owner_id":1,"done":false,"notes":"",
 *    "due":"2026-12-01" or null,"position":0,"categories":[3]}
 *   {"kind":"category","id":3,"name":"home","color":"#3584e4","n_tasks":1,"tasks":[1]}
 *   {"kind":"problem","text":"…"}
 *   {"kind":"edit","op":"create-user","id":7,"username":"erin"}
 */

#define G_LOG_DOMAIN "roster-interop"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "roster-model.h"

static guint n_complaints;
/* The dump under way, named in complaints. */
static const char *current_section;

/* A dump found the store disagreeing with itself: note it and go on, so one
 * run reports every disagreement. */
G_GNUC_PRINTF (1, 2)
static void
complain (const char *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("roster-interop-tool: %s dump: %s\n", current_section, message);
  n_complaints++;
}

/* An edit failed: nothing after it would mean anything. */
G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
static void
die (const char *format,
     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("roster-interop-tool: %s\n", message);
  fflush (stdout);
  exit (EXIT_FAILURE);
}

static void
check_ok (gboolean    ok,
          GError     *error,
          const char *what)
{
  if (!ok)
    die ("%s failed: %s", what, error != NULL ? error->message : "(no GError set)");
  if (error != NULL)
    die ("%s succeeded but set an error: %s", what, error->message);
}

/* JSON lines --------------------------------------------------------------- */

static void
json_append_string (GString    *line,
                    const char *value)
{
  const char *p;

  if (value == NULL)
    {
      g_string_append (line, "null");
      return;
    }

  g_string_append_c (line, '"');
  for (p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (line, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (line, "\\u%04x", c);
      else
        g_string_append_c (line, (char) c);
    }
  g_string_append_c (line, '"');
}

static GString *
json_begin (const char *kind)
{
  GString *line = g_string_new ("{\"kind\":");

  json_append_string (line, kind);
  return line;
}

static void
json_add_string (GString    *line,
                 const char *key,
                 const char *value)
{
  g_string_append_printf (line, ",\"%s\":", key);
  json_append_string (line, value);
}

static void
json_add_int (GString    *line,
              const char *key,
              gint64      value)
{
  g_string_append_printf (line, ",\"%s\":%" G_GINT64_FORMAT, key, value);
}

static void
json_add_bool (GString    *line,
               const char *key,
               gboolean    value)
{
  g_string_append_printf (line, ",\"%s\":%s", key, value ? "true" : "false");
}

static void
json_add_ids (GString    *line,
              const char *key,
              GArray     *ids)
{
  guint i;

  g_string_append_printf (line, ",\"%s\":[", key);
  for (i = 0; i < ids->len; i++)
    g_string_append_printf (line, "%s%" G_GINT64_FORMAT,
                            i > 0 ? "," : "", g_array_index (ids, gint64, i));
  g_string_append_c (line, ']');
}

static void
json_print (GString *line)
{
  g_string_append (line, "}\n");
  fputs (line->str, stdout);
}

static void
print_section (const char *name)
{
  g_autoptr(GString) line = json_begin ("section");

  json_add_string (line, "name", name);
  json_print (line);
}

/* Dumping and checking ----------------------------------------------------- */

/* What one dump has seen so far. */
typedef struct
{
  RosterStore *store;
  /* RosterTask* (ref) → itself: every task some user's list holds */
  GHashTable  *tasks;
  /* "task-id:category-id" of every tag seen from the task's side */
  GHashTable  *tags;
} Dump;

static char *
tag_key (gint64 task_id,
         gint64 category_id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, task_id, category_id);
}

static char *
format_due_date (RosterTask *task)
{
  GDateTime *due = roster_task_get_due_date (task);

  if (due == NULL)
    return NULL;
  return g_date_time_format (due, "%Y-%m-%d");
}

static void
dump_task (Dump       *dump,
           RosterUser *user,
           RosterTask *task)
{
  g_autoptr(GListModel) categories = roster_store_list_task_categories (dump->store, task);
  g_autoptr(RosterTask) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) category_seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GString) line = json_begin ("task");
  g_autofree char *due = format_due_date (task);
  gint64 id = roster_task_get_id (task);
  guint n_categories = g_list_model_get_n_items (categories);
  guint i;

  if (roster_task_get_owner (task) != user)
    complain ("task %" G_GINT64_FORMAT " is in the list of user %" G_GINT64_FORMAT
              " (“%s”) but its owner is %p, not that user (%p)",
              id, roster_user_get_id (user), roster_user_get_username (user),
              (gpointer) roster_task_get_owner (task), (gpointer) user);
  if (roster_task_get_owner_id (task) != roster_user_get_id (user))
    complain ("task %" G_GINT64_FORMAT " is in the list of user %" G_GINT64_FORMAT
              " but its owner-id is %" G_GINT64_FORMAT,
              id, roster_user_get_id (user), roster_task_get_owner_id (task));

  again = roster_store_get_task (dump->store, id, &error);
  if (again != task)
    complain ("roster_store_get_task (%" G_GINT64_FORMAT ") gives %p, not the object "
              "in the user's list (%p)%s%s", id, (gpointer) again, (gpointer) task,
              error != NULL ? ": " : "", error != NULL ? error->message : "");

  if (g_hash_table_contains (dump->tasks, task))
    complain ("task %" G_GINT64_FORMAT " is listed twice among the users' tasks", id);
  else
    g_hash_table_add (dump->tasks, g_object_ref (task));

  for (i = 0; i < n_categories; i++)
    {
      g_autoptr(RosterCategory) category = g_list_model_get_item (categories, i);
      g_autoptr(RosterCategory) same = NULL;
      g_autoptr(GError) lookup_error = NULL;
      gint64 category_id = roster_category_get_id (category);

      same = roster_store_get_category (dump->store, category_id, &lookup_error);
      if (same != category)
        complain ("category %" G_GINT64_FORMAT " in the categories of task %" G_GINT64_FORMAT
                  " is %p, but roster_store_get_category gives %p%s%s",
                  category_id, id, (gpointer) category, (gpointer) same,
                  lookup_error != NULL ? ": " : "",
                  lookup_error != NULL ? lookup_error->message : "");
      if (g_hash_table_contains (category_seen, category))
        complain ("category %" G_GINT64_FORMAT " is listed twice among the categories of task %"
                  G_GINT64_FORMAT, category_id, id);
      g_hash_table_add (category_seen, category);
      g_hash_table_add (dump->tags, tag_key (id, category_id));
      g_array_append_val (category_ids, category_id);
    }

  json_add_int (line, "id", id);
  json_add_string (line, "title", roster_task_get_title (task));
  json_add_int (line, "owner_id", roster_task_get_owner_id (task));
  json_add_bool (line, "done", roster_task_get_done (task));
  json_add_string (line, "notes", roster_task_get_notes (task));
  json_add_string (line, "due", due);
  json_add_int (line, "position", roster_task_get_position (task));
  json_add_string (line, "due_time", roster_task_get_due_time (task));
  json_add_int (line, "priority", roster_task_get_priority (task));
  json_add_string (line, "recurrence", roster_task_get_recurrence (task));
  json_add_ids (line, "categories", category_ids);
  json_print (line);
}

static void
dump_user (Dump       *dump,
           RosterUser *user)
{
  g_autoptr(GListModel) tasks = roster_store_list_user_tasks (dump->store, user);
  g_autoptr(RosterUser) again = NULL;
  g_autoptr(RosterUser) by_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) task_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) line = json_begin ("user");
  gint64 id = roster_user_get_id (user);
  const char *username = roster_user_get_username (user);
  guint n_tasks = g_list_model_get_n_items (tasks);
  guint n_open = 0;
  gint64 previous_position = 0;
  gint64 previous_id = 0;
  guint i;

  again = roster_store_get_user (dump->store, id, &error);
  if (again != user)
    complain ("roster_store_get_user (%" G_GINT64_FORMAT ") gives %p, not the object in "
              "the users list (%p)%s%s", id, (gpointer) again, (gpointer) user,
              error != NULL ? ": " : "", error != NULL ? error->message : "");
  by_name = roster_store_find_user (dump->store, username);
  if (by_name != user)
    complain ("roster_store_find_user (“%s”) gives %p, not the object in the users list (%p)",
              username, (gpointer) by_name, (gpointer) user);

  for (i = 0; i < n_tasks; i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);
      gint64 task_id = roster_task_get_id (task);
      gint64 position = roster_task_get_position (task);

      /* The header promises tasks by position, then id. */
      if (i > 0 && (position < previous_position ||
                    (position == previous_position && task_id < previous_id)))
        complain ("the tasks of user %" G_GINT64_FORMAT " (“%s”) are out of order: task %"
                  G_GINT64_FORMAT " (position %" G_GINT64_FORMAT ") comes after task %"
                  G_GINT64_FORMAT " (position %" G_GINT64_FORMAT ")",
                  id, username, task_id, position, previous_id, previous_position);
      previous_position = position;
      previous_id = task_id;

      if (!roster_task_get_done (task))
        n_open++;
      g_array_append_val (task_ids, task_id);
      dump_task (dump, user, task);
    }

  if (roster_user_get_n_tasks (user) != n_tasks)
    complain ("user %" G_GINT64_FORMAT " (“%s”) says n-tasks is %u, its list holds %u",
              id, username, roster_user_get_n_tasks (user), n_tasks);
  if (roster_user_get_n_open_tasks (user) != n_open)
    complain ("user %" G_GINT64_FORMAT " (“%s”) says n-open-tasks is %u, its list holds %u "
              "tasks not done", id, username, roster_user_get_n_open_tasks (user), n_open);

  json_add_int (line, "id", id);
  json_add_string (line, "username", username);
  json_add_int (line, "n_tasks", roster_user_get_n_tasks (user));
  json_add_int (line, "n_open_tasks", roster_user_get_n_open_tasks (user));
  json_add_ids (line, "tasks", task_ids);
  json_print (line);
}

static void
dump_category (Dump           *dump,
               RosterCategory *category)
{
  g_autoptr(GListModel) tasks = roster_store_list_category_tasks (dump->store, category);
  g_autoptr(RosterCategory) again = NULL;
  g_autoptr(RosterCategory) by_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) task_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) line = json_begin ("category");
  gint64 id = roster_category_get_id (category);
  const char *name = roster_category_get_name (category);
  guint n_tasks = g_list_model_get_n_items (tasks);
  guint i;

  again = roster_store_get_category (dump->store, id, &error);
  if (again != category)
    complain ("roster_store_get_category (%" G_GINT64_FORMAT ") gives %p, not the object in "
              "the categories list (%p)%s%s", id, (gpointer) again, (gpointer) category,
              error != NULL ? ": " : "", error != NULL ? error->message : "");
  by_name = roster_store_find_category (dump->store, name);
  if (by_name != category)
    complain ("roster_store_find_category (“%s”) gives %p, not the object in the categories "
              "list (%p)", name, (gpointer) by_name, (gpointer) category);

  for (i = 0; i < n_tasks; i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);
      g_autofree char *key = NULL;
      gint64 task_id = roster_task_get_id (task);

      if (!g_hash_table_contains (dump->tasks, task))
        complain ("task %" G_GINT64_FORMAT " (%p) is among the tasks of category %"
                  G_GINT64_FORMAT " (“%s”) but is not that object in any user's list",
                  task_id, (gpointer) task, id, name);

      /* Each tag must show from both sides: remove what the category side
       * confirms, and what remains afterwards was seen from the task side only. */
      key = tag_key (task_id, id);
      if (!g_hash_table_remove (dump->tags, key))
        complain ("task %" G_GINT64_FORMAT " is among the tasks of category %" G_GINT64_FORMAT
                  " (“%s”), but that category is not among the task's categories (or is "
                  "listed twice)", task_id, id, name);
      g_array_append_val (task_ids, task_id);
    }

  if (roster_category_get_n_tasks (category) != n_tasks)
    complain ("category %" G_GINT64_FORMAT " (“%s”) says n-tasks is %u, its list holds %u",
              id, name, roster_category_get_n_tasks (category), n_tasks);

  json_add_int (line, "id", id);
  json_add_string (line, "name", name);
  json_add_string (line, "color", roster_category_get_color (category));
  json_add_int (line, "n_tasks", roster_category_get_n_tasks (category));
  json_add_ids (line, "tasks", task_ids);
  json_print (line);
}

static void
dump_store (RosterStore *store,
            const char  *section)
{
  g_autoptr(GListModel) users = roster_store_list_users (store);
  g_autoptr(GListModel) categories = roster_store_list_categories (store);
  g_autoptr(GHashTable) tasks = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                                       g_object_unref, NULL);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *problems = roster_store_get_problems (store);
  Dump dump = { store, tasks, tags };
  GHashTableIter iter;
  gpointer key;
  guint i;

  current_section = section;
  print_section (section);

  for (i = 0; i < g_list_model_get_n_items (users); i++)
    {
      g_autoptr(RosterUser) user = g_list_model_get_item (users, i);

      dump_user (&dump, user);
    }

  for (i = 0; i < g_list_model_get_n_items (categories); i++)
    {
      g_autoptr(RosterCategory) category = g_list_model_get_item (categories, i);

      dump_category (&dump, category);
    }

  g_hash_table_iter_init (&iter, tags);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    complain ("tag task:category %s shows among the task's categories but not among the "
              "category's tasks (or the category is missing from the categories list)",
              (const char *) key);

  for (i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autoptr(GString) line = json_begin ("problem");

      json_add_string (line, "text", g_ptr_array_index (problems, i));
      json_print (line);
    }
}

/* Lookups for the scripted edits ------------------------------------------- */

static RosterUser *
need_user (RosterStore *store,
           const char  *username)
{
  RosterUser *user = roster_store_find_user (store, username);

  if (user == NULL)
    die ("roster_store_find_user (“%s”) found nobody", username);
  return user;
}

static RosterCategory *
need_category (RosterStore *store,
               const char  *name)
{
  RosterCategory *category = roster_store_find_category (store, name);

  if (category == NULL)
    die ("roster_store_find_category (“%s”) found nothing", name);
  return category;
}

/* The task called @title in @username's list; (transfer full). */
static RosterTask *
need_task (RosterStore *store,
           const char  *username,
           const char  *title)
{
  g_autoptr(RosterUser) user = need_user (store, username);
  g_autoptr(GListModel) tasks = roster_store_list_user_tasks (store, user);
  guint i;

  for (i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);

      if (g_strcmp0 (roster_task_get_title (task), title) == 0)
        return g_steal_pointer (&task);
    }

  die ("no task “%s” in the list of user “%s”", title, username);
}

static gboolean
list_contains (GListModel *list,
               gpointer    item)
{
  guint i;

  for (i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (list, i);

      if (other == item)
        return TRUE;
    }
  return FALSE;
}

/* The scripted edits ------------------------------------------------------- */

static void
print_edit_user (const char *op,
                 RosterUser *user)
{
  g_autoptr(GString) line = json_begin ("edit");

  json_add_string (line, "op", op);
  json_add_int (line, "id", roster_user_get_id (user));
  json_add_string (line, "username", roster_user_get_username (user));
  json_print (line);
}

static void
print_edit_task (const char *op,
                 RosterTask *task)
{
  g_autoptr(GString) line = json_begin ("edit");

  json_add_string (line, "op", op);
  json_add_int (line, "id", roster_task_get_id (task));
  json_add_string (line, "title", roster_task_get_title (task));
  json_add_int (line, "owner_id", roster_task_get_owner_id (task));
  json_print (line);
}

static void
print_edit_category (const char     *op,
                     RosterCategory *category)
{
  g_autoptr(GString) line = json_begin ("edit");

  json_add_string (line, "op", op);
  json_add_int (line, "id", roster_category_get_id (category));
  json_add_string (line, "name", roster_category_get_name (category));
  json_add_string (line, "color", roster_category_get_color (category));
  json_print (line);
}

static void
print_edit_tag (const char     *op,
                RosterTask     *task,
                RosterCategory *category)
{
  g_autoptr(GString) line = json_begin ("edit");

  json_add_string (line, "op", op);
  json_add_int (line, "task_id", roster_task_get_id (task));
  json_add_int (line, "category_id", roster_category_get_id (category));
  json_print (line);
}

static RosterUser *
create_user (RosterStore *store,
             const char  *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) user = roster_store_create_user (store, username, &error);
  g_autofree char *what = g_strdup_printf ("roster_store_create_user (“%s”)", username);

  check_ok (user != NULL, error, what);
  print_edit_user ("create-user", user);
  return g_steal_pointer (&user);
}

static RosterTask *
create_task (RosterStore *store,
             RosterUser  *owner,
             const char  *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) task = roster_store_create_task (store, owner, title, &error);
  g_autofree char *what = g_strdup_printf ("roster_store_create_task (“%s”, “%s”)",
                                           roster_user_get_username (owner), title);

  check_ok (task != NULL, error, what);
  if (roster_task_get_owner (task) != owner)
    die ("%s: the new task's owner is not that user", what);
  print_edit_task ("create-task", task);
  return g_steal_pointer (&task);
}

static RosterCategory *
create_category (RosterStore *store,
                 const char  *name,
                 const char  *color)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCategory) category = roster_store_create_category (store, name, color, &error);
  g_autofree char *what = g_strdup_printf ("roster_store_create_category (“%s”, %s)",
                                           name, color != NULL ? color : "NULL");

  check_ok (category != NULL, error, what);
  print_edit_category ("create-category", category);
  return g_steal_pointer (&category);
}

static void
tag (RosterStore    *store,
     RosterTask     *task,
     RosterCategory *category)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = roster_store_list_task_categories (store, task);
  g_autoptr(GListModel) tasks = roster_store_list_category_tasks (store, category);
  g_autofree char *what = g_strdup_printf ("tagging task “%s” with “%s”",
                                           roster_task_get_title (task),
                                           roster_category_get_name (category));

  check_ok (roster_store_tag_task (store, task, category, &error), error, what);
  if (!list_contains (categories, category) || !list_contains (tasks, task))
    die ("%s: a list does not show the new tag", what);
  print_edit_tag ("tag", task, category);
}

static void
untag (RosterStore    *store,
       RosterTask     *task,
       RosterCategory *category)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) categories = roster_store_list_task_categories (store, task);
  g_autoptr(GListModel) tasks = roster_store_list_category_tasks (store, category);
  g_autofree char *what = g_strdup_printf ("untagging task “%s” from “%s”",
                                           roster_task_get_title (task),
                                           roster_category_get_name (category));

  check_ok (roster_store_untag_task (store, task, category, &error), error, what);
  if (list_contains (categories, category) || list_contains (tasks, task))
    die ("%s: a list still shows the tag", what);
  print_edit_tag ("untag", task, category);
}

static void
set_due_date (RosterStore *store,
              RosterTask  *task,
              int          year,
              int          month,
              int          day)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) due = g_date_time_new_utc (year, month, day, 0, 0, 0);
  g_autofree char *what = g_strdup_printf ("setting the due date of “%s” to %04d-%02d-%02d",
                                           roster_task_get_title (task), year, month, day);
  g_autoptr(GString) line = json_begin ("edit");
  g_autofree char *stored = NULL;

  check_ok (roster_store_set_task_due_date (store, task, due, &error), error, what);
  stored = format_due_date (task);
  json_add_string (line, "op", "set-due-date");
  json_add_int (line, "id", roster_task_get_id (task));
  json_add_string (line, "due", stored);
  json_print (line);
}

/* The edits seed_interop.py expects, on the file it wrote (see SEED_* there). */
static void
edit_seed_file (RosterStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) bob = need_user (store, "bob");
  g_autoptr(RosterUser) carol = need_user (store, "carol");
  g_autoptr(RosterUser) dave = need_user (store, "dave");
  g_autoptr(RosterUser) erin = NULL;
  g_autoptr(RosterTask) buy_milk = need_task (store, "alice", "Buy milk");
  g_autoptr(RosterTask) report = need_task (store, "alice", "Write report");
  g_autoptr(RosterTask) call_mom = need_task (store, "alice", "Call mom");
  g_autoptr(RosterTask) pay_rent = need_task (store, "bob", "Pay rent");
  g_autoptr(RosterTask) plan_trip = need_task (store, "carol", "Plan trip");
  g_autoptr(RosterTask) first = NULL;
  g_autoptr(RosterTask) flights = NULL;
  g_autoptr(RosterCategory) home = need_category (store, "home");
  g_autoptr(RosterCategory) errands = need_category (store, "errands");
  g_autoptr(RosterCategory) urgent = need_category (store, "urgent");
  g_autoptr(RosterCategory) travel = need_category (store, "travel");
  g_autoptr(RosterCategory) garden = NULL;
  g_autoptr(GListModel) erin_tasks = NULL;
  g_autoptr(GListModel) carol_tasks = NULL;
  const char *notes = "Outline:\n- intro\n- \"results\" \xe2\x9c\x93\tdone";
  gint64 pay_rent_id = roster_task_get_id (pay_rent);
  gint64 dave_id = roster_user_get_id (dave);
  guint n_carol;

  check_ok (roster_store_rename_user (store, bob, "robert", &error), error,
            "renaming user “bob” to “robert”");
  print_edit_user ("rename-user", bob);

  erin = create_user (store, "erin");
  first = create_task (store, erin, "Erin's first task");
  flights = create_task (store, carol, "Book flights");

  check_ok (roster_store_set_task_done (store, buy_milk, TRUE, &error), error,
            "marking “Buy milk” done");
  if (!roster_task_get_done (buy_milk))
    die ("“Buy milk” is not done after roster_store_set_task_done");
  print_edit_task ("set-done", buy_milk);

  check_ok (roster_store_set_task_notes (store, report, notes, &error), error,
            "setting the notes of “Write report”");
  if (g_strcmp0 (roster_task_get_notes (report), notes) != 0)
    die ("the notes of “Write report” read back as “%s”", roster_task_get_notes (report));
  print_edit_task ("set-notes", report);
  set_due_date (store, report, 2026, 12, 1);
  set_due_date (store, flights, 2027, 1, 15);
  /* Version 4's columns: a time, a priority and a rule on the report. */
  check_ok (roster_store_set_task_due_time (store, report, "09:30", &error), error,
            "setting the due time of “Write report”");
  check_ok (roster_store_set_task_priority (store, report, ROSTER_PRIORITY_HIGH, &error), error,
            "setting the priority of “Write report”");
  check_ok (roster_store_set_task_recurrence (store, report, "FREQ=WEEKLY;BYDAY=TU", &error), error,
            "making “Write report” repeat");
  print_edit_task ("set-plan", report);

  check_ok (roster_store_move_task (store, call_mom, erin, &error), error,
            "moving “Call mom” from “alice” to “erin”");
  erin_tasks = roster_store_list_user_tasks (store, erin);
  if (roster_task_get_owner (call_mom) != erin || !list_contains (erin_tasks, call_mom))
    die ("“Call mom” did not move to erin");
  print_edit_task ("move-task", call_mom);

  tag (store, plan_trip, urgent);
  untag (store, buy_milk, errands);
  tag (store, flights, travel);

  garden = create_category (store, "garden", NULL);
  check_ok (roster_store_set_category_color (store, garden, "#26a269", &error), error,
            "recolouring “garden”");
  print_edit_category ("set-category-color", garden);
  check_ok (roster_store_set_category_color (store, home, "#e01b24", &error), error,
            "recolouring “home”");
  print_edit_category ("set-category-color", home);
  tag (store, first, garden);

  check_ok (roster_store_delete_task (store, pay_rent, &error), error,
            "deleting “Pay rent” (tagged home and urgent)");
  {
    g_autoptr(GString) line = json_begin ("edit");

    json_add_string (line, "op", "delete-task");
    json_add_int (line, "id", pay_rent_id);
    json_print (line);
  }

  carol_tasks = roster_store_list_user_tasks (store, carol);
  n_carol = g_list_model_get_n_items (carol_tasks);
  check_ok (roster_store_delete_user (store, dave, ROSTER_DELETE_USER_MOVE_TASKS, carol, &error),
            error, "deleting user “dave”, moving his tasks to “carol”");
  if (g_list_model_get_n_items (carol_tasks) != n_carol + 2)
    die ("carol's list holds %u tasks after dave's two moved to her, %u before",
         g_list_model_get_n_items (carol_tasks), n_carol);
  {
    g_autoptr(GString) line = json_begin ("edit");

    json_add_string (line, "op", "delete-user");
    json_add_int (line, "id", dave_id);
    json_add_int (line, "heir_id", roster_user_get_id (carol));
    json_print (line);
  }
}

/* A new file with a little of everything Roster adds to the seed. */
static void
fill_new_file (RosterStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) ada = create_user (store, "ada");
  g_autoptr(RosterUser) grace = create_user (store, "grace");
  g_autoptr(RosterCategory) compilers = create_category (store, "compilers", "#9141ac");
  g_autoptr(RosterCategory) navy = create_category (store, "navy", NULL);
  g_autoptr(RosterTask) notes = create_task (store, ada, "Analytical engine notes");
  g_autoptr(RosterTask) bug = create_task (store, grace, "Find the bug");
  g_autoptr(RosterTask) cobol = create_task (store, grace, "COBOL draft");

  check_ok (roster_store_set_task_done (store, notes, TRUE, &error), error,
            "marking “Analytical engine notes” done");
  print_edit_task ("set-done", notes);
  check_ok (roster_store_set_task_notes (store, notes, "Note G", &error), error,
            "setting the notes of “Analytical engine notes”");
  print_edit_task ("set-notes", notes);
  set_due_date (store, bug, 1947, 9, 9);
  tag (store, bug, compilers);
  tag (store, bug, navy);
  tag (store, cobol, compilers);
}

/* main --------------------------------------------------------------------- */

static int
usage (void)
{
  g_printerr ("Usage: roster-interop-tool create|edit|dump FILE\n");
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  const char *path;

  setlocale (LC_ALL, "");
  /* Line by line, so a crash still shows how far the tool got. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (argc != 3)
    return usage ();
  command = argv[1];
  path = argv[2];
  if (g_strcmp0 (command, "create") != 0 && g_strcmp0 (command, "edit") != 0 &&
      g_strcmp0 (command, "dump") != 0)
    return usage ();

  if (g_strcmp0 (command, "create") == 0 && g_file_test (path, G_FILE_TEST_EXISTS))
    die ("create: %s already exists", path);

  store = roster_store_open (path, &error);
  if (store == NULL)
    die ("roster_store_open (%s) failed: %s", path,
         error != NULL ? error->message : "(no GError set)");

  if (g_strcmp0 (command, "create") == 0)
    {
      fill_new_file (store);
      dump_store (store, "created");
    }
  else if (g_strcmp0 (command, "edit") == 0)
    {
      dump_store (store, "before");
      edit_seed_file (store);
      dump_store (store, "after");
    }
  else
    {
      dump_store (store, "dump");
    }

  fflush (stdout);
  if (n_complaints > 0)
    {
      g_printerr ("roster-interop-tool: the store disagreed with itself %u time(s)\n",
                  n_complaints);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
