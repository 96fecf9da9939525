/* roster-edit.c: one edit of RosterEditQueue, as data: copying it, comparing
 * it with another, and making it in the store. */
#define G_LOG_DOMAIN "roster-edit"

#include <glib/gi18n-lib.h>

#include "roster-edit.h"
#include "roster-recurrence.h"
#include "roster-store-private.h"

/* The colours new tags get in turn. */
static const char *category_palette[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac", "#986a44", "#77767b",
};

RosterEdit *
_roster_edit_copy (const RosterEdit *edit)
{
  RosterEdit *copy = g_new0 (RosterEdit, 1);

  *copy = *edit;
  copy->task = edit->task != NULL ? g_object_ref (edit->task) : NULL;
  copy->user = edit->user != NULL ? g_object_ref (edit->user) : NULL;
  copy->heir = edit->heir != NULL ? g_object_ref (edit->heir) : NULL;
  copy->category = edit->category != NULL ? g_object_ref (edit->category) : NULL;
  copy->text = g_strdup (edit->text);
  copy->due_date = edit->due_date != NULL ? g_date_time_ref (edit->due_date) : NULL;
  return copy;
}

void
_roster_edit_free (RosterEdit *edit)
{
  g_clear_object (&edit->task);
  g_clear_object (&edit->user);
  g_clear_object (&edit->heir);
  g_clear_object (&edit->category);
  g_free (edit->text);
  g_clear_pointer (&edit->due_date, g_date_time_unref);
  g_free (edit);
}

gboolean
_roster_edit_is_valid (const RosterEdit *edit)
{
  /* Which of the objects the kind takes. */
  gboolean task = FALSE, user = FALSE, category = FALSE;

  switch (edit->kind)
    {
    case ROSTER_EDIT_CREATE_USER:
    case ROSTER_EDIT_CREATE_CATEGORY:
      break;
    case ROSTER_EDIT_CREATE_TASK:
    case ROSTER_EDIT_RENAME_USER:
    case ROSTER_EDIT_DELETE_USER:
      user = TRUE;
      break;
    case ROSTER_EDIT_SET_TASK_DONE:
    case ROSTER_EDIT_REORDER_TASK:
    case ROSTER_EDIT_DELETE_TASK:
    case ROSTER_EDIT_SET_TASK_TITLE:
    case ROSTER_EDIT_SET_TASK_NOTES:
    case ROSTER_EDIT_SET_TASK_DUE_DATE:
    case ROSTER_EDIT_SET_TASK_DUE_TIME:
    case ROSTER_EDIT_SET_TASK_PRIORITY:
    case ROSTER_EDIT_SET_TASK_RECURRENCE:
    case ROSTER_EDIT_CREATE_CATEGORY_FOR_TASK:
      task = TRUE;
      break;
    case ROSTER_EDIT_MOVE_TASK:
    case ROSTER_EDIT_MOVE_TASK_TO:
      task = user = TRUE;
      break;
    case ROSTER_EDIT_DELETE_CATEGORY:
    case ROSTER_EDIT_SET_CATEGORY_COLOR:
    case ROSTER_EDIT_RENAME_CATEGORY:
      category = TRUE;
      break;
    case ROSTER_EDIT_SET_TASK_TAGGED:
      task = category = TRUE;
      break;
    default:
      return FALSE;
    }

  return (!task || ROSTER_IS_TASK (edit->task)) && (!user || ROSTER_IS_USER (edit->user)) &&
         (!category || ROSTER_IS_CATEGORY (edit->category)) &&
         (edit->heir == NULL || ROSTER_IS_USER (edit->heir));
}

/* When @edit's text is a title or a name, which may not be blank: what the
 * store says of a blank one. NULL otherwise. */
static const char *
describe_blank (const RosterEdit *edit)
{
  switch (edit->kind)
    {
    case ROSTER_EDIT_CREATE_TASK:
    case ROSTER_EDIT_SET_TASK_TITLE:
      return _("A task needs a title.");
    case ROSTER_EDIT_CREATE_USER:
    case ROSTER_EDIT_RENAME_USER:
      return _("A username cannot be empty.");
    case ROSTER_EDIT_CREATE_CATEGORY:
    case ROSTER_EDIT_RENAME_CATEGORY:
    case ROSTER_EDIT_CREATE_CATEGORY_FOR_TASK:
      return _("A tag name cannot be empty.");
    default:
      return NULL;
    }
}

/* It sets one thing to a value: whether a task is done, a title, a name… */
static gboolean
is_setter (const RosterEdit *edit)
{
  switch (edit->kind)
    {
    case ROSTER_EDIT_SET_TASK_DONE:
    case ROSTER_EDIT_SET_CATEGORY_COLOR:
    case ROSTER_EDIT_SET_TASK_TITLE:
    case ROSTER_EDIT_SET_TASK_NOTES:
    case ROSTER_EDIT_SET_TASK_DUE_DATE:
    case ROSTER_EDIT_SET_TASK_DUE_TIME:
    case ROSTER_EDIT_SET_TASK_PRIORITY:
    case ROSTER_EDIT_SET_TASK_RECURRENCE:
    case ROSTER_EDIT_SET_TASK_TAGGED:
    case ROSTER_EDIT_RENAME_USER:
    case ROSTER_EDIT_RENAME_CATEGORY:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
_roster_edit_is_deletion (const RosterEdit *edit)
{
  return edit->kind == ROSTER_EDIT_DELETE_TASK || edit->kind == ROSTER_EDIT_DELETE_USER ||
         edit->kind == ROSTER_EDIT_DELETE_CATEGORY;
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

gboolean
_roster_edit_sets_same_thing (const RosterEdit *a,
                              const RosterEdit *b)
{
  return is_setter (a) && a->kind == b->kind && a->task == b->task && a->user == b->user &&
         a->category == b->category;
}

gboolean
_roster_edit_same_value (const RosterEdit *a,
                         const RosterEdit *b)
{
  return a->flag == b->flag && g_strcmp0 (a->text, b->text) == 0 && same_day (a->due_date, b->due_date) &&
         a->priority == b->priority;
}

gboolean
_roster_edit_check_text (const RosterEdit  *edit,
                         GError           **error)
{
  const char *message = describe_blank (edit);

  if (edit->kind == ROSTER_EDIT_SET_TASK_RECURRENCE)
    {
      g_autofree char *rule = roster_recurrence_normalize (edit->text, error);
      return rule != NULL;
    }
  if (edit->kind == ROSTER_EDIT_SET_TASK_DUE_TIME && edit->text != NULL)
    return _roster_time_check (edit->text, error);
  if (message == NULL || !_roster_text_is_blank (edit->text))
    return TRUE;
  g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_EMPTY, message);
  return FALSE;
}

/* Ends the batch of an edit made of two changes (one undo step): saves it
 * when both were made (@ok), takes it back otherwise. */
static gboolean
end_batch (RosterStore  *store,
           gboolean      ok,
           GError      **error)
{
  if (!ok)
    {
      roster_store_rollback_batch (store);
      return FALSE;
    }
  return roster_store_commit_batch (store, error);
}

gboolean
_roster_edit_run (const RosterEdit  *edit,
                  RosterStore       *store,
                  GObject          **created,
                  GError           **error)
{
  gpointer object = NULL;
  gboolean ok = FALSE;

  switch (edit->kind)
    {
    case ROSTER_EDIT_CREATE_TASK:
      ok = (object = roster_store_create_task (store, edit->user, edit->text, error)) != NULL;
      break;
    case ROSTER_EDIT_CREATE_USER:
      ok = (object = roster_store_create_user (store, edit->text, error)) != NULL;
      break;
    case ROSTER_EDIT_CREATE_CATEGORY:
      {
        g_autoptr(GListModel) categories = roster_store_list_categories (store);
        guint n = g_list_model_get_n_items (categories);
        const char *color = category_palette[n % G_N_ELEMENTS (category_palette)];

        ok = (object = roster_store_create_category (store, edit->text, color, error)) != NULL;
      }
      break;
    case ROSTER_EDIT_SET_TASK_DONE:
      ok = roster_store_set_task_done (store, edit->task, edit->flag, error);
      break;
    case ROSTER_EDIT_MOVE_TASK:
      ok = roster_store_move_task (store, edit->task, edit->user, error);
      break;
    case ROSTER_EDIT_REORDER_TASK:
      ok = roster_store_reorder_task (store, edit->task, edit->index, error);
      break;
    case ROSTER_EDIT_MOVE_TASK_TO:
      roster_store_begin_batch (store, _("Move Task"));
      ok = end_batch (store,
                      roster_store_move_task (store, edit->task, edit->user, error) &&
                      roster_store_reorder_task (store, edit->task, edit->index, error),
                      error);
      break;
    case ROSTER_EDIT_DELETE_TASK:
      ok = roster_store_delete_task (store, edit->task, error);
      break;
    case ROSTER_EDIT_DELETE_USER:
      ok = roster_store_delete_user (store, edit->user, edit->mode, edit->heir, error);
      break;
    case ROSTER_EDIT_DELETE_CATEGORY:
      ok = roster_store_delete_category (store, edit->category, error);
      break;
    case ROSTER_EDIT_SET_CATEGORY_COLOR:
      ok = roster_store_set_category_color (store, edit->category, edit->text, error);
      break;
    case ROSTER_EDIT_SET_TASK_TITLE:
      ok = roster_store_set_task_title (store, edit->task, edit->text, error);
      break;
    case ROSTER_EDIT_SET_TASK_NOTES:
      ok = roster_store_set_task_notes (store, edit->task, edit->text, error);
      break;
    case ROSTER_EDIT_SET_TASK_DUE_DATE:
      ok = roster_store_set_task_due_date (store, edit->task, edit->due_date, error);
      break;
    case ROSTER_EDIT_SET_TASK_DUE_TIME:
      ok = roster_store_set_task_due_time (store, edit->task, edit->text, error);
      break;
    case ROSTER_EDIT_SET_TASK_PRIORITY:
      ok = roster_store_set_task_priority (store, edit->task, edit->priority, error);
      break;
    case ROSTER_EDIT_SET_TASK_RECURRENCE:
      ok = roster_store_set_task_recurrence (store, edit->task, edit->text, error);
      break;
    case ROSTER_EDIT_SET_TASK_TAGGED:
      if (edit->flag)
        ok = roster_store_tag_task (store, edit->task, edit->category, error);
      else
        ok = roster_store_untag_task (store, edit->task, edit->category, error);
      break;
    case ROSTER_EDIT_RENAME_USER:
      ok = roster_store_rename_user (store, edit->user, edit->text, error);
      break;
    case ROSTER_EDIT_RENAME_CATEGORY:
      ok = roster_store_rename_category (store, edit->category, edit->text, error);
      break;
    case ROSTER_EDIT_CREATE_CATEGORY_FOR_TASK:
      roster_store_begin_batch (store, _("Add Tag"));
      object = roster_store_create_category (store, edit->text, NULL, error);
      ok = end_batch (store, object != NULL && roster_store_tag_task (store, edit->task, object, error),
                      error);
      if (!ok)
        g_clear_object (&object);
      break;
    default:
      g_assert_not_reached ();
    }

  if (created != NULL)
    *created = object;
  else
    g_clear_object (&object);
  return ok;
}

/* While a new title, name, date… waited, the widgets showed it as asked.
 * Refused for good, it is not in the file: a notify of what it would have
 * changed makes them show the file's value again. */
void
_roster_edit_show_file_value (const RosterEdit *edit)
{
  GObject *object = G_OBJECT (edit->task);
  const char *property;

  switch (edit->kind)
    {
    case ROSTER_EDIT_SET_TASK_DONE:
      property = "done";
      break;
    case ROSTER_EDIT_SET_TASK_TITLE:
      property = "title";
      break;
    case ROSTER_EDIT_SET_TASK_NOTES:
      property = "notes";
      break;
    case ROSTER_EDIT_SET_TASK_DUE_DATE:
      property = "due-date";
      break;
    case ROSTER_EDIT_SET_TASK_DUE_TIME:
      property = "due-time";
      break;
    case ROSTER_EDIT_SET_TASK_PRIORITY:
      property = "priority";
      break;
    case ROSTER_EDIT_SET_TASK_RECURRENCE:
      property = "recurrence";
      break;
    case ROSTER_EDIT_MOVE_TASK:
      property = "owner";
      break;
    case ROSTER_EDIT_RENAME_USER:
      object = G_OBJECT (edit->user);
      property = "username";
      break;
    case ROSTER_EDIT_RENAME_CATEGORY:
      object = G_OBJECT (edit->category);
      property = "name";
      break;
    default:
      return;
    }
  g_object_notify (object, property);
}
