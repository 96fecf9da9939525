/* roster-store-mutations.c: changing users and tags, batches, and what every
 * mutation shares.
 *
 * A public mutation validates its input (_roster_check_text()), names the
 * change for the undo menu (_roster_store_describe()) and hands a build
 * function to _roster_store_run_change(), which runs it in a transaction. The
 * build reads the rows it needs from the file (the file is the truth, not the
 * objects), and records each row operation in the change and runs it at once
 * (_roster_store_run_new_op(), _roster_store_delete_row()...). Deleting a
 * user is built by _roster_build_delete_user() on whichever connection runs
 * it: the store's, or a worker's for a big one.
 *
 * The task mutations are in roster-store-tasks.c.
 */
#define G_LOG_DOMAIN "roster-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-store-parts.h"

/* ------------------------------------------------------------------------ */
/* Labels and validation                                                     */

/* Names in labels are cut short: a title may be a megabyte long. */
static char *
short_text (const char *text)
{
  const char *end;
  g_autofree char *line = NULL;

  if (text == NULL)
    return g_strdup ("");

  end = strchr (text, '\n');
  line = end ? g_strndup (text, end - text) : g_strdup (text);
  if (g_utf8_strlen (line, -1) > 40)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, 39);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

/* The undo label of a change: @format (marked with N_()) with the short form
 * of @a (and @b). Inside a batch the batch's own label is the only one shown,
 * so nothing is formatted (nor translated) there: it was a tenth of the time
 * of building a large file. */
char *
_roster_store_describe (RosterStore *self,
                        const char  *format,
                        const char  *a,
                        const char  *b)
{
  g_autofree char *short_a = NULL;
  g_autofree char *short_b = NULL;
  char *label;

  if (self->batch != NULL)
    return NULL;

  short_a = short_text (a);
  short_b = b ? short_text (b) : NULL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  label = g_strdup_printf (_(format), short_a, short_b);
#pragma GCC diagnostic pop
  return label;
}

gboolean
_roster_text_is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
_roster_check_text (const char      *text,
                    RosterTextKind   kind,
                    GError         **error)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID_UTF8,
                   kind == ROSTER_TEXT_USERNAME
                   ? _("The username contains bytes that are not valid text (UTF-8).")
                   : kind == ROSTER_TEXT_TITLE
                   ? _("The title contains bytes that are not valid text (UTF-8).")
                   : kind == ROSTER_TEXT_CATEGORY
                   ? _("The tag name contains bytes that are not valid text (UTF-8).")
                   : _("The notes contain bytes that are not valid text (UTF-8)."));
      return FALSE;
    }

  if (kind == ROSTER_TEXT_NOTES)
    return TRUE;

  if (_roster_text_is_blank (text))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY,
                   kind == ROSTER_TEXT_USERNAME ? _("A username cannot be empty.")
                   : kind == ROSTER_TEXT_TITLE ? _("A task needs a title.")
                   : _("A tag name cannot be empty."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_color (const char  *color,
             GError     **error)
{
  gboolean ok = color != NULL && strlen (color) == 7 && color[0] == '#';

  for (guint i = 1; ok && i < 7; i++)
    ok = g_ascii_isxdigit (color[i]);

  if (!ok)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_INVALID,
                 _("“%s” is not a colour: use the form #rrggbb."), color ? color : "");
  return ok;
}

static void
duplicate_error (GError     **error,
                 gboolean     user,
                 const char  *name)
{
  g_autofree char *shown = short_text (name);

  if (user)
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE,
                 _("There is already a user called “%s”."), shown);
  else
    g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_DUPLICATE,
                 _("There is already a tag called “%s”."), shown);
}

/* ------------------------------------------------------------------------ */
/* Recording rows                                                            */

/* Runs op @index, just added to @change. On failure the op is dropped again,
 * so a change holds only what was done. Returns the SQLite result code. */
static int
run_op (RosterStore  *self,
        RosterChange *change,
        guint         index)
{
  int rc = roster_op_execute (self->db, self->statements,
                              &g_array_index (change->ops, RosterOp, index), TRUE);

  if (rc != SQLITE_OK)
    g_array_remove_index (change->ops, index);
  return rc;
}

/* Records an op of a row in @change and runs it (taking the rows, as
 * roster_change_add() does). */
int
_roster_store_run_new_op (RosterStore  *self,
                          RosterChange *change,
                          RosterOpKind  kind,
                          RosterTable   table,
                          gpointer      a,
                          gpointer      b)
{
  return run_op (self, change, roster_change_add (change, kind, table, a, b));
}

/* The same for a link. */
int
_roster_store_run_new_link (RosterStore  *self,
                            RosterChange *change,
                            RosterOpKind  kind,
                            gint64        task_id,
                            gint64        category_id)
{
  return run_op (self, change, roster_change_add_link (change, kind, task_id, category_id));
}

/* Runs the ops @change recorded from @first on. On a failure the failed op
 * and those after it are dropped, so that a change holds only what was done.
 * Returns the SQLite result code. */
static int
run_ops (RosterStore  *self,
         RosterChange *change,
         guint         first)
{
  for (guint k = first; k < change->ops->len; k++)
    {
      int rc = roster_op_execute (self->db, self->statements,
                                  &g_array_index (change->ops, RosterOp, k), TRUE);

      if (rc != SQLITE_OK)
        {
          g_array_set_size (change->ops, k);
          return rc;
        }
    }
  return SQLITE_OK;
}

/* The row the change's last insert into @table inserted (for the create
 * functions), or NULL when it inserted none. A task's insert is followed by
 * its roster_ical row's, hence the look back. */
gpointer
_roster_store_last_inserted_row (RosterStore  *self,
                                 RosterChange *change,
                                 RosterTable   table)
{
  for (guint k = change->ops->len; k > 0; k--)
    {
      RosterOp *op = &g_array_index (change->ops, RosterOp, k - 1);

      if (op->table == table)
        return op->kind == ROSTER_OP_INSERT ? op->u.rows.a : NULL;
    }
  return NULL;
}

/* Reads the current row of @table with @id into a new row struct, or sets
 * ROSTER_ERROR_NOT_FOUND (or the database error) and returns NULL. */
gpointer
_roster_store_read_row (RosterStore  *self,
                        RosterTable   table,
                        gint64        id,
                        GError      **error)
{
  gpointer row;
  int rc;

  switch (table)
    {
    case ROSTER_TABLE_USER:
      row = g_new0 (RosterUserRecord, 1);
      rc = _roster_store_read_user_row (self, id, row);
      break;
    case ROSTER_TABLE_TASK:
      row = g_new0 (RosterTaskRecord, 1);
      rc = _roster_store_read_task_row (self, id, row);
      break;
    case ROSTER_TABLE_CATEGORY:
    case ROSTER_TABLE_LINK:
    default:
      row = g_new0 (RosterCategoryRecord, 1);
      rc = _roster_store_read_category_row (self, id, row);
      break;
    }

  if (rc == SQLITE_ROW)
    return row;

  g_free (row);
  _roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc, error);
  return NULL;
}

/* Records and runs the deletion of one row, as it is now in the file. */
gboolean
_roster_store_delete_row (RosterStore   *self,
                          RosterChange  *change,
                          RosterTable    table,
                          gint64         id,
                          GError       **error)
{
  gpointer row = _roster_store_read_row (self, table, id, error);
  int rc;

  if (row == NULL)
    return FALSE;
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_DELETE, table, row, NULL);
  return !_roster_store_op_failed (self, rc, error);
}

/* Records and runs the deletion of every link of one task (@of_task) or of
 * one category. */
gboolean
_roster_store_delete_links (RosterStore   *self,
                            RosterChange  *change,
                            gboolean       of_task,
                            gint64         id,
                            GError       **error)
{
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s;
  int rc;

  s = of_task ? _roster_store_stmt (self, "SELECT category_id FROM taskcategorylink WHERE task_id = ?1")
              : _roster_store_stmt (self, "SELECT task_id FROM taskcategorylink WHERE category_id = ?1");
  sqlite3_bind_int64 (s, 1, id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 other = sqlite3_column_int64 (s, 0);
      g_array_append_val (others, other);
    }
  sqlite3_reset (s);
  if (_roster_store_op_failed (self, rc == SQLITE_DONE ? SQLITE_OK : rc, error))
    return FALSE;

  for (guint i = 0; i < others->len; i++)
    {
      gint64 other = g_array_index (others, gint64, i);

      rc = of_task ? _roster_store_run_new_link (self, change, ROSTER_OP_DELETE, id, other)
                   : _roster_store_run_new_link (self, change, ROSTER_OP_DELETE, other, id);
      if (_roster_store_op_failed (self, rc, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Users                                                                     */

static gboolean
build_create_user (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  RosterUserRecord *row = g_new0 (RosterUserRecord, 1);
  int rc;

  row->username = g_strdup (args->text);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_USER, row, NULL);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, TRUE, args->text);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

/**
 * roster_store_create_user:
 *
 * Returns: (transfer full): the new user, or NULL with @error set.
 */
RosterUser *
roster_store_create_user (RosterStore  *self,
                          const char   *username,
                          GError      **error)
{
  g_autoptr(RosterChange) change = NULL;
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .text = username };
  RosterUserRecord *row;
  gint64 id;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (!_roster_check_text (username, ROSTER_TEXT_USERNAME, error))
    return NULL;

  label = _roster_store_describe (self, N_("Add user “%s”"), username, NULL);

  /* The id SQLite gives the row is in the op; find it through a tiny build. */
  if (self->batch == NULL)
    {
      if (!_roster_store_run_change (self, label, build_create_user, &args, error))
        return NULL;
      row = _roster_store_last_inserted_row (self, g_queue_peek_head (&self->undo), ROSTER_TABLE_USER);
      g_assert (row != NULL);
      id = row->id;
    }
  else
    {
      if (!_roster_store_run_change (self, label, build_create_user, &args, error))
        return NULL;
      row = _roster_store_last_inserted_row (self, self->batch, ROSTER_TABLE_USER);
      g_assert (row != NULL);
      id = row->id;
      if (_roster_store_lookup_user (self, id) == NULL)
        _roster_store_add_user (self, row);
    }

  return g_object_ref (_roster_store_lookup_user (self, id));
}

static gboolean
build_update_user (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  RosterUserRecord *old = _roster_store_read_row (self, ROSTER_TABLE_USER, roster_user_get_id (args->user), error);
  RosterUserRecord *new;
  int rc;

  if (old == NULL)
    return FALSE;

  if (g_strcmp0 (old->username, args->text) == 0)
    {
      roster_user_record_clear (old);
      g_free (old);
      return TRUE;
    }

  new = g_new0 (RosterUserRecord, 1);
  new->id = old->id;
  new->username = g_strdup (args->text);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_USER, old, new);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, TRUE, args->text);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

gboolean
roster_store_rename_user (RosterStore  *self,
                          RosterUser   *user,
                          const char   *username,
                          GError      **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .user = user, .text = username };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_user_is_live (self, user, error) ||
      !_roster_check_text (username, ROSTER_TEXT_USERNAME, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Rename user “%s”"), roster_user_get_username (user), NULL);
  return _roster_store_run_change (self, label, build_update_user, &args, error);
}

/* Records in @change what deleting user @user_id does, reading the rows
 * through @db (and its statement cache @statements): with
 * ROSTER_DELETE_USER_AND_TASKS the deletion of the links of the user's tasks,
 * of their roster_ical rows, then of the tasks; with ROSTER_DELETE_USER_MOVE_TASKS each task given to
 * @heir_id, at the end of their list; then the deletion of the user. Runs
 * none of them: the store runs them on its own connection, and a worker on
 * its own for a user with thousands of tasks (roster_store_delete_user_async()),
 * so that both delete the same rows in the same order. *@n_tasks is set to
 * how many tasks the user owns.
 *
 * Returns SQLITE_OK; SQLITE_NOTFOUND when the user is not in the file;
 * SQLITE_CONSTRAINT_FOREIGNKEY when @mode is ROSTER_DELETE_USER_ONLY and the
 * user owns tasks; or the SQLite error that stopped it. On failure @change
 * is left as it was. */
int
_roster_build_delete_user (sqlite3          *db,
                           GHashTable       *statements,
                           RosterChange     *change,
                           gint64            user_id,
                           RosterDeleteUser  mode,
                           gint64            heir_id,
                           guint            *n_tasks)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (roster_task_record_free);
  guint first = change->ops->len;
  RosterUserRecord *user;
  sqlite3_stmt *s;
  int rc;

  rc = _roster_read_owned_tasks (db, statements, user_id, tasks);
  *n_tasks = tasks->len;
  if (rc != SQLITE_DONE)
    return rc;
  if (tasks->len > 0 && mode == ROSTER_DELETE_USER_ONLY)
    return SQLITE_CONSTRAINT_FOREIGNKEY;

  if (tasks->len > 0 && mode == ROSTER_DELETE_USER_AND_TASKS)
    {
      s = roster_statement (db, statements,
                            "SELECT l.task_id, l.category_id FROM taskcategorylink AS l "
                            "JOIN task AS t ON t.id = l.task_id WHERE t.owner_id = ?1");
      sqlite3_bind_int64 (s, 1, user_id);
      while ((rc = sqlite3_step (s)) == SQLITE_ROW)
        roster_change_add_link (change, ROSTER_OP_DELETE,
                                sqlite3_column_int64 (s, 0), sqlite3_column_int64 (s, 1));
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        goto failed;

      rc = _roster_record_delete_user_icals (db, statements, change, user_id);
      if (rc != SQLITE_DONE)
        goto failed;

      for (guint i = 0; i < tasks->len; i++)
        roster_change_add (change, ROSTER_OP_DELETE, ROSTER_TABLE_TASK,
                           g_steal_pointer (&g_ptr_array_index (tasks, i)), NULL);
    }
  else if (tasks->len > 0 && mode == ROSTER_DELETE_USER_MOVE_TASKS)
    {
      gint64 position = _roster_max_position (db, statements, heir_id);

      for (guint i = 0; i < tasks->len; i++)
        {
          RosterTaskRecord *old = g_steal_pointer (&g_ptr_array_index (tasks, i));
          RosterTaskRecord *new = g_new0 (RosterTaskRecord, 1);

          roster_task_record_copy (new, old);
          new->owner_id = heir_id;
          new->position = position += ROSTER_POSITION_STEP;
          roster_change_add (change, ROSTER_OP_UPDATE, ROSTER_TABLE_TASK, old, new);
        }
    }

  user = g_new0 (RosterUserRecord, 1);
  rc = _roster_read_user (db, statements, user_id, user);
  if (rc != SQLITE_ROW)
    {
      g_free (user);
      if (rc == SQLITE_DONE)
        rc = SQLITE_NOTFOUND;
      goto failed;
    }
  roster_change_add (change, ROSTER_OP_DELETE, ROSTER_TABLE_USER, user, NULL);
  return SQLITE_OK;

failed:
  g_array_set_size (change->ops, first);
  return rc;
}

static gboolean
build_delete_user (RosterStore   *self,
                   RosterChange  *change,
                   gpointer       data,
                   GError       **error)
{
  RosterBuildArgs *args = data;
  gint64 heir_id = args->other != NULL ? roster_user_get_id (args->other) : 0;
  guint first = change->ops->len;
  guint n_tasks;
  int rc;

  _roster_store_forget_positions (self);
  rc = _roster_build_delete_user (self->db, self->statements, change, roster_user_get_id (args->user),
                                  args->mode, heir_id, &n_tasks);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_autofree char *shown = short_text (roster_user_get_username (args->user));
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_HAS_TASKS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” still owns %u task. Delete it too, or give it to another user.",
                                "“%s” still owns %u tasks. Delete them too, or give them to another user.",
                                n_tasks),
                   shown, n_tasks);
      return FALSE;
    }
  if (rc == SQLITE_OK)
    rc = run_ops (self, change, first);
  return !_roster_store_op_failed (self, rc, error);
}

gboolean
roster_store_delete_user (RosterStore       *self,
                          RosterUser        *user,
                          RosterDeleteUser   mode,
                          RosterUser        *heir,
                          GError           **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .user = user, .other = heir, .mode = mode };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_user_is_live (self, user, error))
    return FALSE;

  if (mode == ROSTER_DELETE_USER_MOVE_TASKS)
    {
      if (heir == NULL || heir == user)
        {
          g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_NO_OWNER,
                       _("Choose another user to give the tasks to."));
          return FALSE;
        }
      if (!_roster_store_user_is_live (self, heir, error))
        return FALSE;
    }

  label = _roster_store_describe (self, N_("Delete user “%s”"), roster_user_get_username (user), NULL);
  return _roster_store_run_change (self, label, build_delete_user, &args, error);
}

/* ------------------------------------------------------------------------ */
/* Categories                                                                */

static gboolean
build_create_category (RosterStore   *self,
                       RosterChange  *change,
                       gpointer       data,
                       GError       **error)
{
  RosterBuildArgs *args = data;
  RosterCategoryRecord *row = g_new0 (RosterCategoryRecord, 1);
  int rc;

  row->name = g_strdup (args->text);
  row->color = g_strdup (args->color);
  rc = _roster_store_run_new_op (self, change, ROSTER_OP_INSERT, ROSTER_TABLE_CATEGORY, row, NULL);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, FALSE, args->text);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

/**
 * roster_store_create_category:
 *
 * Returns: (transfer full): the new category, or NULL with @error set.
 */
RosterCategory *
roster_store_create_category (RosterStore  *self,
                              const char   *name,
                              const char   *color,
                              GError      **error)
{
  g_autofree char *label = NULL;
  g_autofree char *lower = NULL;
  RosterBuildArgs args = { .text = name };
  RosterCategoryRecord *row;
  RosterCategory *category;

  g_return_val_if_fail (ROSTER_IS_STORE (self), NULL);

  if (color == NULL)
    color = ROSTER_DEFAULT_COLOR;
  if (!_roster_check_text (name, ROSTER_TEXT_CATEGORY, error) || !check_color (color, error))
    return NULL;

  lower = g_ascii_strdown (color, -1);
  args.color = lower;
  label = _roster_store_describe (self, N_("Add tag “%s”"), name, NULL);
  if (!_roster_store_run_change (self, label, build_create_category, &args, error))
    return NULL;

  row = _roster_store_last_inserted_row (self, self->batch ? self->batch : g_queue_peek_head (&self->undo),
                                         ROSTER_TABLE_CATEGORY);
  g_assert (row != NULL);
  category = _roster_store_lookup_category (self, row->id);
  if (category == NULL)
    category = _roster_store_add_category (self, row);
  return g_object_ref (category);
}

typedef struct
{
  RosterCategory *category;
  const char     *name;
  const char     *color;
} CategoryEdit;

static gboolean
build_edit_category (RosterStore   *self,
                     RosterChange  *change,
                     gpointer       data,
                     GError       **error)
{
  CategoryEdit *edit = data;
  RosterCategoryRecord *old = _roster_store_read_row (self, ROSTER_TABLE_CATEGORY,
                                                   roster_category_get_id (edit->category), error);
  RosterCategoryRecord *new;
  int rc;

  if (old == NULL)
    return FALSE;

  new = g_new0 (RosterCategoryRecord, 1);
  new->id = old->id;
  new->name = g_strdup (edit->name ? edit->name : old->name);
  new->color = g_strdup (edit->color ? edit->color : old->color);

  if (g_strcmp0 (old->name, new->name) == 0 && g_strcmp0 (old->color, new->color) == 0)
    {
      roster_category_record_clear (old);
      roster_category_record_clear (new);
      g_free (old);
      g_free (new);
      return TRUE;
    }

  rc = _roster_store_run_new_op (self, change, ROSTER_OP_UPDATE, ROSTER_TABLE_CATEGORY, old, new);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      duplicate_error (error, FALSE, edit->name);
      return FALSE;
    }
  return !_roster_store_op_failed (self, rc, error);
}

gboolean
roster_store_rename_category (RosterStore     *self,
                              RosterCategory  *category,
                              const char      *name,
                              GError         **error)
{
  g_autofree char *label = NULL;
  CategoryEdit edit = { category, name, NULL };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_category_is_live (self, category, error) ||
      !_roster_check_text (name, ROSTER_TEXT_CATEGORY, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Rename tag “%s”"), roster_category_get_name (category), NULL);
  return _roster_store_run_change (self, label, build_edit_category, &edit, error);
}

gboolean
roster_store_set_category_color (RosterStore     *self,
                                 RosterCategory  *category,
                                 const char      *color,
                                 GError         **error)
{
  g_autofree char *label = NULL;
  g_autofree char *lower = NULL;
  CategoryEdit edit = { category, NULL, NULL };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_category_is_live (self, category, error) || !check_color (color, error))
    return FALSE;

  edit.color = lower = g_ascii_strdown (color, -1);
  label = _roster_store_describe (self, N_("Change the colour of tag “%s”"),
                                  roster_category_get_name (category), NULL);
  return _roster_store_run_change (self, label, build_edit_category, &edit, error);
}

static gboolean
build_delete_category (RosterStore   *self,
                       RosterChange  *change,
                       gpointer       data,
                       GError       **error)
{
  RosterBuildArgs *args = data;
  gint64 category_id = roster_category_get_id (args->category);

  return _roster_store_delete_links (self, change, FALSE, category_id, error) &&
         _roster_store_delete_row (self, change, ROSTER_TABLE_CATEGORY, category_id, error);
}

gboolean
roster_store_delete_category (RosterStore     *self,
                              RosterCategory  *category,
                              GError         **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .category = category };

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  if (!_roster_store_category_is_live (self, category, error))
    return FALSE;

  label = _roster_store_describe (self, N_("Delete tag “%s”"), roster_category_get_name (category), NULL);
  return _roster_store_run_change (self, label, build_delete_category, &args, error);
}

/* ------------------------------------------------------------------------ */
/* Tags                                                                      */

static gboolean
build_link (RosterStore   *self,
            RosterChange  *change,
            gpointer       data,
            GError       **error)
{
  RosterBuildArgs *args = data;
  gint64 task_id = roster_task_get_id (args->task);
  gint64 category_id = roster_category_get_id (args->category);
  gboolean tag = args->number != 0;
  int rc;

  /* No look first: the link's primary key says whether it is there already
   * (then the insert fails and nothing was done), and a delete that finds
   * nothing changes nothing. Either way there is nothing to record. */
  rc = _roster_store_run_new_link (self, change, tag ? ROSTER_OP_INSERT : ROSTER_OP_DELETE, task_id, category_id);
  if ((tag && rc == SQLITE_CONSTRAINT_PRIMARYKEY) || (!tag && rc == SQLITE_NOTFOUND))
    return TRUE;
  return !_roster_store_op_failed (self, rc, error);
}

static gboolean
link_task (RosterStore     *self,
           RosterTask      *task,
           RosterCategory  *category,
           gboolean         tag,
           GError         **error)
{
  g_autofree char *label = NULL;
  RosterBuildArgs args = { .task = task, .category = category, .number = tag };

  if (!_roster_store_task_is_live (self, task, error) || !_roster_store_category_is_live (self, category, error))
    return FALSE;

  label = tag ? _roster_store_describe (self, N_("Tag “%s” with “%s”"), roster_task_get_title (task),
                                        roster_category_get_name (category))
              : _roster_store_describe (self, N_("Remove tag “%s” from “%s”"),
                                        roster_category_get_name (category), roster_task_get_title (task));
  return _roster_store_run_change (self, label, build_link, &args, error);
}

gboolean
roster_store_tag_task (RosterStore     *self,
                       RosterTask      *task,
                       RosterCategory  *category,
                       GError         **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return link_task (self, task, category, TRUE, error);
}

gboolean
roster_store_untag_task (RosterStore     *self,
                         RosterTask      *task,
                         RosterCategory  *category,
                         GError         **error)
{
  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);

  return link_task (self, task, category, FALSE, error);
}

/* ------------------------------------------------------------------------ */
/* Batches                                                                   */

void
roster_store_begin_batch (RosterStore *self,
                          const char  *label)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ROSTER_IS_STORE (self));
  g_return_if_fail (self->batch == NULL);

  self->batch = roster_change_new (label);
  self->batch_positions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->batch_broken = FALSE;
  _roster_store_end_read (self);
  if (!_roster_store_check_writable (self, &error) || !_roster_store_exec (self, "BEGIN IMMEDIATE", &error))
    {
      self->batch_error = g_steal_pointer (&error);
      return;
    }
  /* A batch writes much: with the reading cache it would write out and read
   * back the same pages (twice the time for 100,000 tasks). The cache is
   * given back when the batch ends. */
  _roster_store_exec (self, "PRAGMA cache_size = -" G_STRINGIFY (ROSTER_CACHE_SIZE_KIB), NULL);
}

/* After a batch, the connection reads again: its cache back to the small
 * one, and the memory of the big one returned. */
static void
end_batch_cache (RosterStore *self)
{
  _roster_store_exec (self, "PRAGMA cache_size = -" G_STRINGIFY (ROSTER_READ_CACHE_SIZE_KIB), NULL);
  sqlite3_db_release_memory (self->db);
}

void
roster_store_rollback_batch (RosterStore *self)
{
  RosterChange *batch;

  g_return_if_fail (ROSTER_IS_STORE (self));
  g_return_if_fail (self->batch != NULL);

  batch = g_steal_pointer (&self->batch);
  g_clear_pointer (&self->batch_positions, g_hash_table_unref);
  g_clear_error (&self->batch_error);
  _roster_store_rollback (self);
  end_batch_cache (self);
  roster_change_free (batch);
  /* Objects and lists read during the batch saw rows that never were, and
   * objects it created stand for rows that are gone: read them all again. */
  _roster_store_refresh_objects (self);
  _roster_store_reload_all_lists (self);
}

gboolean
roster_store_commit_batch (RosterStore  *self,
                           GError      **error)
{
  return _roster_store_commit_batch_full (self, TRUE, error);
}

gboolean
_roster_store_commit_batch_full (RosterStore  *self,
                                 gboolean      undoable,
                                 GError      **error)
{
  RosterChange *batch;

  g_return_val_if_fail (ROSTER_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->batch != NULL, FALSE);

  if (self->batch_error != NULL || self->batch_broken)
    {
      if (self->batch_error != NULL)
        g_propagate_error (error, g_steal_pointer (&self->batch_error));
      else
        g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_FAILED,
                     _("A change in the batch failed and could not be taken back; nothing was saved."));
      roster_store_rollback_batch (self);
      return FALSE;
    }

  if (!_roster_store_exec (self, "COMMIT", error))
    {
      roster_store_rollback_batch (self);
      return FALSE;
    }

  batch = g_steal_pointer (&self->batch);
  g_clear_pointer (&self->batch_positions, g_hash_table_unref);
  end_batch_cache (self);
  if (batch->ops->len == 0)
    {
      roster_change_free (batch);
      return TRUE;
    }

  _roster_store_reflect (self, batch, TRUE, FALSE);
  if (undoable)
    {
      _roster_store_push_undo (self, batch);
      return TRUE;
    }
  /* Like another program's commit: the steps kept would undo it. */
  roster_change_free (batch);
  _roster_store_forget_history (self);
  return TRUE;
}
