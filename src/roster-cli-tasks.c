/* roster-cli-tasks.c: `roster add`, `list`, `done`, `undone`, `users` and
 * `tags`, with no window.
 *
 *   roster add TITLE [--user NAME] [--tag NAME]… [--due YYYY-MM-DD] [--notes TEXT]
 *   roster list [--user NAME | --tag NAME | --today | --upcoming] [--all | --done] [--json]
 *   roster done TASK-ID…      roster undone TASK-ID…
 *   roster users [--json]     roster tags [--json]
 *
 * Each goes through the store's public API, as the window does: a command
 * that changes the file makes one batch (one write, one undo step), and
 * checks everything it was given before the batch begins; a failure inside
 * the batch rolls all of it back, so an error leaves the file as it was. A
 * window open on the same file picks the change up as it does any other
 * program's (HACKING.md, "The command line").
 *
 * The plain output is one row a line, its fields separated by tabs: a
 * script splits it with `cut -f` or `IFS=$'\t'` whatever a title holds
 * (a tab or a line break in one is written as a space), and nothing has to
 * be read twice to align columns. `--json` is for what needs the exact text.
 */
#define G_LOG_DOMAIN "roster-cli"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster-cli-private.h"
#include "roster-messages.h"

/* @text with its tabs and line breaks as spaces, for one field of a line. */
static char *
field (const char *text)
{
  char *copy = g_strdup (text != NULL ? text : "");

  for (char *c = copy; *c != '\0'; c++)
    if (*c == '\t' || *c == '\n' || *c == '\r')
      *c = ' ';
  return copy;
}

static char *
format_due (RosterTask *task)
{
  GDateTime *due = roster_task_get_due_date (task);

  return due != NULL ? g_date_time_format (due, "%Y-%m-%d") : NULL;
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* NULL is JSON's null. */
static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* A store error as a sentence for a person. */
static int
fail_change (const GError  *error,
             RosterSubject  subject)
{
  g_autofree char *message = roster_messages_describe_error (error, subject);

  g_printerr ("%s\n", message);
  return EXIT_FAILURE;
}

static gboolean
find_user (RosterStore  *store,
           const char   *name,
           RosterUser  **user,
           GError      **error)
{
  *user = roster_store_find_user (store, name);
  if (*user == NULL)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, _("There is no user called “%s”."), name);
  return *user != NULL;
}

static gboolean
find_tag (RosterStore     *store,
          const char      *name,
          RosterCategory **tag,
          GError         **error)
{
  *tag = roster_store_find_category (store, name);
  if (*tag == NULL)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, _("There is no tag called “%s”."), name);
  return *tag != NULL;
}

/* The owner of a new task: the user named, else the only one there is. */
static RosterUser *
choose_owner (RosterStore  *store,
              const char   *name,
              GError      **error)
{
  g_autoptr(GListModel) users = NULL;
  RosterUser *user = NULL;

  if (name != NULL)
    return find_user (store, name, &user, error) ? user : NULL;
  users = roster_store_list_users (store);
  if (g_list_model_get_n_items (users) == 1)
    return g_list_model_get_item (users, 0);
  if (g_list_model_get_n_items (users) == 0)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                 _("There are no users yet: add one in Roster first."));
  else
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                 _("Say whose task it is with --user NAME."));
  return NULL;
}

/* "2026-03-15" as a local date, or NULL with a sentence. */
static GDateTime *
parse_date (const char  *text,
            GError     **error)
{
  unsigned year = 0, month = 0, day = 0;
  char end = '\0';

  if (sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3 || strlen (text) != 10 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a date: write it as YYYY-MM-DD, for example 2026-03-15."), text);
      return NULL;
    }
  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

/* The task's tags' names, in the order of its list. */
static GPtrArray *
task_tags (RosterStore *store,
           RosterTask  *task)
{
  g_autoptr(GListModel) tags = roster_store_list_task_categories (store, task);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (tags); i++)
    {
      g_autoptr(RosterCategory) tag = g_list_model_get_item (tags, i);

      g_ptr_array_add (names, g_strdup (roster_category_get_name (tag)));
    }
  return names;
}

static void
print_task (RosterStore *store,
            RosterTask  *task)
{
  g_autoptr(GPtrArray) tags = task_tags (store, task);
  g_autofree char *joined = NULL;
  g_autofree char *title = field (roster_task_get_title (task));
  g_autofree char *owner = NULL;
  g_autofree char *tag_field = NULL;
  g_autofree char *due = format_due (task);
  RosterUser *user = roster_task_get_owner (task);

  g_ptr_array_add (tags, NULL);
  joined = g_strjoinv (", ", (char **) tags->pdata);
  tag_field = field (joined);
  owner = field (user != NULL ? roster_user_get_username (user) : NULL);
  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", roster_task_get_id (task),
           roster_task_get_done (task) ? "[x]" : "[ ]", title, owner, tag_field, due != NULL ? due : "");
}

static JsonNode *
task_json (RosterStore *store,
           RosterTask  *task)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) tags = task_tags (store, task);
  g_autofree char *due = format_due (task);
  RosterUser *user = roster_task_get_owner (task);

  json_builder_begin_object (builder);
  add_int (builder, "id", roster_task_get_id (task));
  add_string (builder, "title", roster_task_get_title (task));
  add_string (builder, "owner", user != NULL ? roster_user_get_username (user) : NULL);
  json_builder_set_member_name (builder, "done");
  json_builder_add_boolean_value (builder, roster_task_get_done (task));
  add_string (builder, "due", due);
  add_string (builder, "due_time", roster_task_get_due_time (task));
  add_string (builder, "priority", roster_priority_to_word (roster_task_get_priority (task)));
  add_string (builder, "repeat", roster_task_get_recurrence (task)[0] != '\0' ? roster_task_get_recurrence (task) : NULL);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tags->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (tags, i));
  json_builder_end_array (builder);
  add_string (builder, "notes", roster_task_get_notes (task) != NULL ? roster_task_get_notes (task) : "");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A new context for a command's options, its summary and @entries. */
static GOptionContext *
new_context (const char         *parameter,
             const char         *summary,
             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

/* Makes every change of @add in one batch. */
static RosterTask *
add_task (RosterStore  *store,
          RosterUser   *owner,
          const char   *title,
          char        **tags,
          GDateTime    *due,
          const char   *notes,
          GError      **error)
{
  g_autoptr(RosterTask) task = NULL;

  roster_store_begin_batch (store, _("Add a Task"));
  task = roster_store_create_task (store, owner, title, error);
  if (task == NULL)
    goto failed;
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      g_autoptr(RosterCategory) tag = roster_store_find_category (store, tags[i]);

      if (tag == NULL && (tag = roster_store_create_category (store, tags[i], NULL, error)) == NULL)
        goto failed;
      if (!roster_store_tag_task (store, task, tag, error))
        goto failed;
    }
  if ((due != NULL && !roster_store_set_task_due_date (store, task, due, error)) ||
      (notes != NULL && notes[0] != '\0' && !roster_store_set_task_notes (store, task, notes, error)))
    goto failed;
  if (!roster_store_commit_batch (store, error))
    return NULL;
  return g_steal_pointer (&task);

failed:
  roster_store_rollback_batch (store);
  return NULL;
}

int
roster_cli_run_add (int    argc,
                    char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user_name = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *notes = NULL;
  g_auto(GStrv) tags = NULL;
  g_auto(GStrv) words = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Use FILE instead of the default Roster file"), N_("FILE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_name,
      N_("Give the task to the user NAME (needed when there are several users)"), N_("NAME") },
    { "tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, N_("Tag the task NAME, created when missing; may be repeated"),
      N_("NAME") },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due_text, N_("Set the due date"), N_("YYYY-MM-DD") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Set the task’s notes"), N_("TEXT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &words, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (N_("TITLE"), N_("Adds a task at the end of a user’s list."),
                                                   entries);
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(RosterUser) owner = NULL;
  g_autoptr(RosterTask) task = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (!roster_cli_parse (context, argc, argv, &error))
    return roster_cli_usage ("add", error);
  if (words == NULL || words[0] == NULL || words[1] != NULL)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("Give the task’s title as one argument, in quotes if it has spaces."));
  else if (due_text != NULL)
    due = parse_date (due_text, &error);
  if (error != NULL)
    return roster_cli_usage ("add", error);
  /* Typed names are trimmed, as the window trims them. */
  title = g_strstrip (g_strdup (words[0]));
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    g_strstrip (tags[i]);

  store = roster_cli_open_existing (db, &error);
  if (store == NULL)
    return roster_cli_fail (error);
  owner = choose_owner (store, user_name != NULL ? g_strstrip (user_name) : NULL, &error);
  if (owner == NULL)
    return roster_cli_fail (error);
  task = add_task (store, owner, title, tags, due, notes, &error);
  if (task == NULL)
    return fail_change (error, error->code == ROSTER_ERROR_EMPTY && title[0] != '\0' ? ROSTER_SUBJECT_TAG
                                                                                     : ROSTER_SUBJECT_TASK);
  print_task (store, task);
  return EXIT_SUCCESS;
}

static void
list_tasks (RosterStore *store,
            GListModel  *tasks,
            gboolean     all,
            gboolean     done,
            JsonBuilder *builder)
{
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(RosterTask) task = g_list_model_get_item (tasks, i);

      if (!all && roster_task_get_done (task) != done)
        continue;
      if (builder != NULL)
        json_builder_add_value (builder, task_json (store, task));
      else
        print_task (store, task);
    }
}

int
roster_cli_run_list (int    argc,
                     char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *user_name = NULL;
  g_autofree char *tag_name = NULL;
  gboolean all = FALSE, done = FALSE, json = FALSE, today = FALSE, upcoming = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Use FILE instead of the default Roster file"), N_("FILE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_name, N_("List the tasks of the user NAME"), N_("NAME") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag_name, N_("List the tasks tagged NAME"), N_("NAME") },
    { "today", 0, 0, G_OPTION_ARG_NONE, &today,
      N_("List every user’s open tasks due today or earlier, overdue first"), NULL },
    { "upcoming", 0, 0, G_OPTION_ARG_NONE, &upcoming,
      N_("List every user’s open tasks due in the next 14 days, by day"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("List done tasks too"), NULL },
    { "done", 0, 0, G_OPTION_ARG_NONE, &done, N_("List only done tasks"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON, for scripts"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (NULL, N_("Lists open tasks, one a line: id, done mark, title, "
                                                            "owner, tags and due date, separated by tabs."),
                                                   entries);
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(RosterUser) user = NULL;
  g_autoptr(RosterCategory) tag = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_cli_parse (context, argc, argv, &error))
    return roster_cli_usage ("list", error);
  if (user_name != NULL && tag_name != NULL)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("List a user’s tasks or a tag’s, not both: give --user or --tag."));
  else if ((user_name != NULL) + (tag_name != NULL) + today + upcoming > 1)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("List one list at a time: give one of --user, --tag, --today and --upcoming."));
  else if ((today || upcoming) && (all || done))
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("Today and Upcoming hold open tasks only: leave out --all and --done."));
  else if (all && done)
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("Give --all or --done, not both."));
  if (error != NULL)
    return roster_cli_usage ("list", error);

  store = roster_cli_open_existing (db, &error);
  if (store == NULL ||
      (user_name != NULL && !find_user (store, user_name, &user, &error)) ||
      (tag_name != NULL && !find_tag (store, tag_name, &tag, &error)))
    return roster_cli_fail (error);

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  if (user != NULL || tag != NULL || today || upcoming)
    {
      g_autoptr(GListModel) tasks = user != NULL ? roster_store_list_user_tasks (store, user)
                                    : tag != NULL ? roster_store_list_category_tasks (store, tag)
                                    : today ? roster_store_list_today (store)
                                    : roster_store_list_upcoming (store);

      list_tasks (store, tasks, all, done, builder);
    }
  else
    {
      g_autoptr(GListModel) users = roster_store_list_users (store);

      for (guint i = 0; i < g_list_model_get_n_items (users); i++)
        {
          g_autoptr(RosterUser) owner = g_list_model_get_item (users, i);
          g_autoptr(GListModel) tasks = roster_store_list_user_tasks (store, owner);

          list_tasks (store, tasks, all, done, builder);
        }
    }
  if (builder != NULL)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
    }
  return EXIT_SUCCESS;
}

int
roster_cli_run_done (int    argc,
                     char **argv)
{
  gboolean done = g_strcmp0 (argv[1], "done") == 0;
  const char *command = done ? "done" : "undone";
  g_autofree char *db = NULL;
  g_auto(GStrv) ids = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Use FILE instead of the default Roster file"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &ids, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (N_("TASK-ID…"),
                                                   done ? N_("Marks tasks done, by the ids “roster list” shows.")
                                                        : N_("Marks done tasks as not done, by the ids "
                                                             "“roster list --all” shows."),
                                                   entries);
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (!roster_cli_parse (context, argc, argv, &error))
    return roster_cli_usage (command, error);
  if (ids == NULL || ids[0] == NULL)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Give the id of at least one task."));
      return roster_cli_usage (command, error);
    }

  store = roster_cli_open_existing (db, &error);
  if (store == NULL)
    return roster_cli_fail (error);
  /* Every id is checked before anything changes. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint64 id = 0;
      RosterTask *task = NULL;

      if (g_ascii_string_to_unsigned (ids[i], 10, 1, G_MAXINT64, &id, NULL))
        task = roster_store_get_task (store, (gint64) id, NULL);
      if (task == NULL)
        {
          g_set_error (&error, ROSTER_ERROR, ROSTER_ERROR_NOT_FOUND, _("There is no task with the id “%s”."), ids[i]);
          return roster_cli_fail (error);
        }
      g_ptr_array_add (tasks, task);
    }

  roster_store_begin_batch (store, done ? _("Mark Tasks Done") : _("Mark Tasks Not Done"));
  for (guint i = 0; i < tasks->len; i++)
    if (!roster_store_set_task_done (store, g_ptr_array_index (tasks, i), done, &error))
      {
        roster_store_rollback_batch (store);
        return fail_change (error, ROSTER_SUBJECT_TASK);
      }
  if (!roster_store_commit_batch (store, &error))
    return fail_change (error, ROSTER_SUBJECT_TASK);
  return EXIT_SUCCESS;
}

/* `users` and `tags`: every row of @list, as @describe makes it. */
static int
run_names (int          argc,
           char       **argv,
           const char  *summary,
           GListModel *(*list) (RosterStore *store),
           void        (*describe) (GObject *item, JsonBuilder *builder))
{
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("Use FILE instead of the default Roster file"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON, for scripts"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (NULL, summary, entries);
  g_autoptr(RosterStore) store = NULL;
  g_autoptr(GListModel) items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!roster_cli_parse (context, argc, argv, &error))
    return roster_cli_usage (argv[1], error);
  store = roster_cli_open_existing (db, &error);
  if (store == NULL)
    return roster_cli_fail (error);

  items = list (store);
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);

      describe (item, builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  if (json)
    print_json (root);
  else
    {
      /* The same values, tab-separated, in the order of the keys. */
      JsonArray *rows = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          g_autoptr(GList) members = json_object_get_values (json_array_get_object_element (rows, i));
          g_autoptr(GString) line = g_string_new (NULL);

          for (GList *l = members; l != NULL; l = l->next)
            {
              g_autofree char *text = NULL;

              if (json_node_get_value_type (l->data) == G_TYPE_STRING)
                text = field (json_node_get_string (l->data));
              else
                text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (l->data));
              g_string_append_printf (line, "%s%s", l != members ? "\t" : "", text);
            }
          g_print ("%s\n", line->str);
        }
    }
  return EXIT_SUCCESS;
}

static void
describe_user (GObject     *item,
               JsonBuilder *builder)
{
  RosterUser *user = ROSTER_USER (item);

  json_builder_begin_object (builder);
  add_int (builder, "id", roster_user_get_id (user));
  add_string (builder, "username", roster_user_get_username (user));
  add_int (builder, "tasks", roster_user_get_n_tasks (user));
  add_int (builder, "open", roster_user_get_n_open_tasks (user));
  json_builder_end_object (builder);
}

static void
describe_tag (GObject     *item,
              JsonBuilder *builder)
{
  RosterCategory *tag = ROSTER_CATEGORY (item);

  json_builder_begin_object (builder);
  add_int (builder, "id", roster_category_get_id (tag));
  add_string (builder, "name", roster_category_get_name (tag));
  add_string (builder, "color", roster_category_get_color (tag));
  add_int (builder, "tasks", roster_category_get_n_tasks (tag));
  json_builder_end_object (builder);
}

int
roster_cli_run_users (int    argc,
                      char **argv)
{
  return run_names (argc, argv, N_("Lists the users, one a line: id, name, tasks and open tasks, separated by tabs."),
                    roster_store_list_users, describe_user);
}

int
roster_cli_run_tags (int    argc,
                     char **argv)
{
  return run_names (argc, argv, N_("Lists the tags, one a line: id, name, colour and tasks, separated by tabs."),
                    roster_store_list_categories, describe_tag);
}
