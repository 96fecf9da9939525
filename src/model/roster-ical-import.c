/* roster-ical-import.c: .ics files into a store (RosterIcalImport).
 *
 * Reading a file (roster-ical-read.c) parses it with libical, maps each
 * VTODO to Roster's fields (roster-ical-map.c) and keeps its text, and
 * touches no store; running the import (roster_ical_import_run()) writes the
 * items into the store as one batch, through the store's private functions
 * for it (roster-store-ical.c). Files read beforehand
 * (roster_ical_import_add_bytes(), in any thread) are written first; files
 * queued are read during the run, in a thread of its own, and handed over in
 * parcels as they are read, so that reading (one core) and writing (the
 * other) overlap: the import takes about as long as the longer of the two,
 * not their sum. A file refused then, or an error writing, stops both and
 * rolls the batch back.
 *
 * What is refused, and what is only skipped: a file that is not UTF-8, not
 * iCalendar, or cut short adds nothing; in a good file, a VTODO libical could
 * not read whole (a line that is no property, a value that is no value: the
 * X-LIC-ERROR properties libical puts in its place) is skipped and named, and
 * a VEVENT is skipped and counted. A recurring VTODO's overrides (the same
 * UID, with a RECURRENCE-ID) are kept with their series, one task.
 */
#define G_LOG_DOMAIN "roster-ical"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-ical-private.h"
#include "roster-store-ical.h"

/* A file queued to be read while the import runs. */
typedef struct
{
  GFile  *file;    /* or NULL */
  GBytes *bytes;   /* or NULL */
  char   *name;
} Source;

struct _RosterIcalImport
{
  GObject    parent_instance;

  GPtrArray *items;        /* RosterIcalItem: read, and once run, written */
  GPtrArray *queued;       /* Source */
  GPtrArray *unreadable;   /* char *: one sentence each */
  guint      n_events;
  guint      n_imported;
  guint      n_updated;
  gboolean   ran;
};

G_DEFINE_FINAL_TYPE (RosterIcalImport, roster_ical_import, G_TYPE_OBJECT)

static void
source_free (gpointer data)
{
  Source *source = data;

  g_clear_object (&source->file);
  g_clear_pointer (&source->bytes, g_bytes_unref);
  g_free (source->name);
  g_free (source);
}

/* ------------------------------------------------------------------------ */
/* Reading a file now                                                        */

static gboolean
add_item (RosterIcalItem *item,
          gpointer        data)
{
  g_ptr_array_add (data, item);
  return TRUE;
}

gboolean
roster_ical_import_add_bytes (RosterIcalImport  *self,
                              GBytes            *bytes,
                              const char        *name,
                              GError           **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (_roster_ical_item_free);
  g_autoptr(GPtrArray) unreadable = g_ptr_array_new_with_free_func (g_free);
  guint n_events = 0;
  gsize length;
  const char *data;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  data = g_bytes_get_data (bytes, &length);
  if (!_roster_ical_read (data, length, name, add_item, items, &n_events, unreadable, error))
    return FALSE;

  g_ptr_array_extend_and_steal (self->items, g_steal_pointer (&items));
  g_ptr_array_extend_and_steal (self->unreadable, g_steal_pointer (&unreadable));
  self->n_events += n_events;
  return TRUE;
}

/* @file's name in messages. */
static char *
name_of (GFile *file)
{
  char *name = g_file_get_basename (file);

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_free (name);
      name = g_file_get_parse_name (file);
    }
  return name;
}

gboolean
roster_ical_import_add_file (RosterIcalImport  *self,
                             GFile             *file,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return FALSE;
  name = name_of (file);
  return roster_ical_import_add_bytes (self, bytes, name, error);
}

guint
roster_ical_import_get_n_todos (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->items->len;
}

/* ------------------------------------------------------------------------ */
/* Reading files while the import runs                                       */

void
roster_ical_import_queue_file (RosterIcalImport *self,
                               GFile            *file)
{
  Source *source = g_new0 (Source, 1);

  g_return_if_fail (ROSTER_IS_ICAL_IMPORT (self));
  g_return_if_fail (G_IS_FILE (file));

  source->file = g_object_ref (file);
  source->name = name_of (file);
  g_ptr_array_add (self->queued, source);
}

void
roster_ical_import_queue_bytes (RosterIcalImport *self,
                                GBytes           *bytes,
                                const char       *name)
{
  Source *source = g_new0 (Source, 1);

  g_return_if_fail (ROSTER_IS_ICAL_IMPORT (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (name != NULL);

  source->bytes = g_bytes_ref (bytes);
  source->name = g_strdup (name);
  g_ptr_array_add (self->queued, source);
}

/* The reading thread and the writer: the reader hands the items over in
 * parcels (a queue's lock and wake-up for each of 10,000 items cost more
 * than the parcels' wait), the last parcel empty. */
#define PARCEL_SIZE 64

typedef struct
{
  GPtrArray   *sources;      /* Source (borrowed: the import outlives the thread) */
  GAsyncQueue *queue;        /* GPtrArray of RosterIcalItem */
  GPtrArray   *parcel;       /* being filled */
  gboolean     started;      /* the first parcel went */
  gint         stop;         /* set by the writer: read no further */
  GError      *error;        /* why a file was refused */
  guint        n_events;
  GPtrArray   *unreadable;
} Pipe;

static void
send_parcel (Pipe *pipe)
{
  g_async_queue_push (pipe->queue, pipe->parcel);
  pipe->parcel = g_ptr_array_new_with_free_func (_roster_ical_item_free);
}

static gboolean
pass_item (RosterIcalItem *item,
           gpointer        data)
{
  Pipe *pipe = data;

  if (g_atomic_int_get (&pipe->stop))
    {
      _roster_ical_item_free (item);
      return FALSE;
    }
  g_ptr_array_add (pipe->parcel, item);
  /* The first to-do at once, so that the writing starts. */
  if (pipe->parcel->len >= PARCEL_SIZE || !pipe->started)
    {
      pipe->started = TRUE;
      send_parcel (pipe);
    }
  return TRUE;
}

static gpointer
read_thread (gpointer data)
{
  Pipe *pipe = data;

  for (guint i = 0; i < pipe->sources->len && pipe->error == NULL; i++)
    {
      Source *source = g_ptr_array_index (pipe->sources, i);
      g_autoptr(GBytes) bytes = source->bytes ? g_bytes_ref (source->bytes) : NULL;
      gsize length;
      const char *text;

      if (bytes == NULL)
        bytes = g_file_load_bytes (source->file, NULL, NULL, &pipe->error);
      if (bytes == NULL)
        break;
      text = g_bytes_get_data (bytes, &length);
      _roster_ical_read (text, length, source->name, pass_item, pipe, &pipe->n_events, pipe->unreadable,
                         &pipe->error);
    }
  if (pipe->parcel->len > 0)
    send_parcel (pipe);
  /* The end. */
  send_parcel (pipe);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Writing into the store                                                    */

typedef struct
{
  RosterStore      *store;
  const char       *username;
  GHashTable       *users;        /* name → gint64 * */
  GHashTable       *categories;   /* name → gint64 * */
  GHashTable       *written;      /* UID → the last RosterIcalItem written with it */
  GHashTable       *added;        /* tag id → links added (see RosterIcalPut) */
  RosterIcalImport *import;
  guint             n_updated;
} Run;

static gpointer
id_new (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static gint64
user_id (Run         *run,
         const char  *name,
         GError     **error)
{
  gint64 *id = g_hash_table_lookup (run->users, name);
  g_autoptr(RosterUser) user = NULL;

  if (id != NULL)
    return *id;
  user = roster_store_find_user (run->store, name);
  if (user == NULL)
    user = roster_store_create_user (run->store, name, error);
  if (user == NULL)
    return 0;
  g_hash_table_insert (run->users, g_strdup (name), id_new (roster_user_get_id (user)));
  return roster_user_get_id (user);
}

static gint64
category_id (Run         *run,
             const char  *name,
             GError     **error)
{
  gint64 *id = g_hash_table_lookup (run->categories, name);
  g_autoptr(RosterCategory) category = NULL;

  if (id != NULL)
    return *id;
  category = roster_store_find_category (run->store, name);
  if (category == NULL)
    category = roster_store_create_category (run->store, name, NULL, error);
  if (category == NULL)
    return 0;
  /* Its count is the import's to keep until the end (schema version 4). */
  if (!_roster_store_ical_count_row (run->store, roster_category_get_id (category), error))
    return 0;
  g_hash_table_insert (run->categories, g_strdup (name), id_new (roster_category_get_id (category)));
  return roster_category_get_id (category);
}

static gboolean
write_item (Run             *run,
            RosterIcalItem  *item,
            gboolean        *updated,
            GError         **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_sized_new (item->fields.tags->len);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;
  RosterIcalPut put = { 0 };
  gint64 owner_id = 0;

  put.task_id = _roster_store_ical_find_task (run->store, item->uid, &owner_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *updated = put.task_id != 0;

  if (run->username != NULL)
    owner_id = user_id (run, run->username, error);
  else if (put.task_id == 0)
    owner_id = user_id (run, item->calendar ? item->calendar : _("Imported"), error);
  if (owner_id == 0)
    return FALSE;

  /* The names are the item's: this array only sorts them. */
  g_ptr_array_extend (names, item->fields.tags, NULL, NULL);
  g_ptr_array_sort (names, _roster_ical_compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      gint64 id = category_id (run, g_ptr_array_index (names, i), error);

      if (id == 0)
        return FALSE;
      g_array_append_val (ids, id);
    }

  put.owner_id = owner_id;
  put.uid = item->uid;
  put.title = item->fields.title ? item->fields.title : _roster_ical_untitled ();
  put.notes = item->fields.notes;
  put.done = item->fields.done;
  put.due_date = item->fields.due_date;
  put.due_time = item->fields.due_time;
  put.priority = item->fields.priority;
  put.recurrence = item->fields.recurrence;
  put.has_position = item->fields.has_position;
  put.position = item->fields.position;
  put.category_ids = (const gint64 *) ids->data;
  put.tag_names = (const char * const *) names->pdata;
  put.n_tags = names->len;
  put.vtodo = item->vtodo;
  put.vtimezones = item->vtimezones;
  put.digest = item->digest;
  put.added = run->added;
  return _roster_store_ical_put (run->store, &put, error);
}

/* The VTIMEZONEs of @a and of @b, each once: each is a run of whole
 * VTIMEZONEs, as libical writes them. */
static char *
join_zones (const char *a,
            const char *b)
{
  g_auto(GStrv) zones = NULL;
  GString *out;

  if (a == NULL || b == NULL)
    return g_strdup (a != NULL ? a : b);
  out = g_string_new (a);
  zones = g_strsplit (b, "BEGIN:VTIMEZONE", -1);
  for (guint i = 1; zones[i] != NULL; i++)
    {
      g_autofree char *zone = g_strconcat ("BEGIN:VTIMEZONE", zones[i], NULL);

      if (strstr (a, zone) == NULL)
        g_string_append (out, zone);
    }
  return g_string_free (out, FALSE);
}

/* Adds @late, a VTODO of a series whose earlier VTODOs @item was written
 * with, to @item: the series first, its overrides after it. */
static void
merge (RosterIcalItem *item,
       RosterIcalItem *late)
{
  char *vtodo, *vtimezones;

  if (late->has_series)
    {
      RosterIcalFields fields = item->fields;
      char *digest = item->digest;

      /* The series' fields are the task's. */
      item->fields = late->fields;
      late->fields = fields;
      item->digest = late->digest;
      late->digest = digest;
      item->has_series = TRUE;
      vtodo = g_strconcat (late->vtodo, item->vtodo, NULL);
    }
  else
    vtodo = g_strconcat (item->vtodo, late->vtodo, NULL);
  g_free (item->vtodo);
  item->vtodo = vtodo;
  vtimezones = join_zones (item->vtimezones, late->vtimezones);
  g_free (item->vtimezones);
  item->vtimezones = vtimezones;
}

/* Writes @item (taken): a new task, an update of the task with its UID, or
 * a late VTODO of a series written already, rewriting that task. */
static gboolean
take_item (Run             *run,
           RosterIcalItem  *item,
           GError         **error)
{
  RosterIcalItem *earlier = item->late ? g_hash_table_lookup (run->written, item->uid) : NULL;
  gboolean updated = FALSE;

  /* A second series with the same UID is a task of its own: it updates the
   * first one's. */
  if (earlier != NULL && !(item->has_series && earlier->has_series))
    {
      merge (earlier, item);
      _roster_ical_item_free (item);
      return write_item (run, earlier, &updated, error);
    }

  g_ptr_array_add (run->import->items, item);
  g_hash_table_insert (run->written, item->uid, item);
  if (!write_item (run, item, &updated, error))
    return FALSE;
  run->n_updated += updated;
  return TRUE;
}

/* Writes the items of @pipe as they come, until its last parcel. */
static gboolean
take_parcels (Run        *run,
              Pipe       *pipe,
              GError    **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) parcel = g_async_queue_pop (pipe->queue);

      if (parcel->len == 0)
        return TRUE;
      while (parcel->len > 0)
        if (!take_item (run, g_ptr_array_steal_index (parcel, 0), error))
          return FALSE;
    }
}

/* Starts reading the queued files in a thread of their own. */
static Pipe *
pipe_start (RosterIcalImport *self,
            GThread         **thread)
{
  Pipe *pipe = g_new0 (Pipe, 1);

  pipe->sources = self->queued;
  pipe->queue = g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref);
  pipe->parcel = g_ptr_array_new_with_free_func (_roster_ical_item_free);
  pipe->unreadable = g_ptr_array_new_with_free_func (g_free);
  *thread = g_thread_new ("roster-ical-read", read_thread, pipe);
  return pipe;
}

/* Stops the reading (if @stop), waits for it, and says whether a file was
 * refused. */
static gboolean
pipe_finish (RosterIcalImport  *self,
             Pipe              *pipe,
             GThread           *thread,
             gboolean           stop,
             GError           **error)
{
  gboolean ok;

  if (stop)
    {
      g_atomic_int_set (&pipe->stop, 1);
      /* Its parcels until the last, so that it never waits. */
      for (;;)
        {
          g_autoptr(GPtrArray) parcel = g_async_queue_pop (pipe->queue);

          if (parcel->len == 0)
            break;
        }
    }
  g_thread_join (thread);

  ok = pipe->error == NULL;
  if (!ok && !stop)
    g_propagate_error (error, g_steal_pointer (&pipe->error));
  g_clear_error (&pipe->error);
  self->n_events += pipe->n_events;
  g_ptr_array_extend_and_steal (self->unreadable, g_steal_pointer (&pipe->unreadable));
  g_async_queue_unref (pipe->queue);
  g_ptr_array_unref (pipe->parcel);
  g_free (pipe);
  return ok;
}

gboolean
roster_ical_import_run (RosterIcalImport  *self,
                        RosterStore       *store,
                        const char        *username,
                        GError           **error)
{
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) written = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) added = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autofree gpointer *read = NULL;
  gsize n_read = 0;
  Run run = { store, username, users, categories, written, added, self, 0 };
  GThread *thread = NULL;
  Pipe *pipe = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), FALSE);
  g_return_val_if_fail (ROSTER_IS_STORE (store), FALSE);
  g_return_val_if_fail (!self->ran, FALSE);

  self->ran = TRUE;
  /* The queued files are read while the ones read already are written. */
  if (self->queued->len > 0)
    pipe = pipe_start (self, &thread);

  /* From here on, the items written. */
  read = g_ptr_array_steal (self->items, &n_read);
  g_ptr_array_unref (self->items);
  self->items = g_ptr_array_new_with_free_func (_roster_ical_item_free);

  roster_store_begin_batch (store, _("Import"));
  /* The tasks get their VTODOs' UIDs, not the trigger's first. */
  ok = _roster_store_ical_supply_uids (store, TRUE, NULL, error);
  for (gsize i = 0; i < n_read; i++)
    {
      /* Each is taken, written or not. */
      if (ok)
        ok = take_item (&run, read[i], error);
      else
        _roster_ical_item_free (read[i]);
    }
  if (ok && pipe != NULL)
    ok = take_parcels (&run, pipe, error);
  if (pipe != NULL)
    ok = pipe_finish (self, pipe, thread, !ok, ok ? error : NULL) && ok;
  ok = ok && _roster_store_ical_supply_uids (store, FALSE, added, error);
  if (!ok)
    {
      roster_store_rollback_batch (store);
      return FALSE;
    }
  if (!roster_store_commit_batch (store, error))
    return FALSE;

  self->n_imported = self->items->len;
  self->n_updated = run.n_updated;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* What happened                                                             */

guint
roster_ical_import_get_n_imported (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->n_imported;
}

guint
roster_ical_import_get_n_updated (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->n_updated;
}

guint
roster_ical_import_get_n_events (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), 0);

  return self->n_events;
}

GPtrArray *
roster_ical_import_get_unreadable (RosterIcalImport *self)
{
  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), NULL);

  return self->unreadable;
}

static void
add_part (GString    *out,
          const char *part)
{
  if (out->len == 0)
    g_string_assign (out, part);
  else
    {
      /* Translators: joins two parts of "Imported 42 tasks; 1 could not be read". */
      g_autofree char *joined = g_strdup_printf (_("%s; %s"), out->str, part);
      g_string_assign (out, joined);
    }
}

char *
roster_ical_import_describe (RosterIcalImport *self)
{
  GString *out = g_string_new (NULL);
  g_autofree char *imported = NULL;
  guint n;

  g_return_val_if_fail (ROSTER_IS_ICAL_IMPORT (self), NULL);

  imported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u task", "Imported %u tasks",
                                           self->n_imported), self->n_imported);
  add_part (out, imported);
  if ((n = self->n_updated) > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u was already there and was updated",
                                                            "%u were already there and were updated", n), n);
      add_part (out, part);
    }
  if ((n = self->n_events) > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event was skipped",
                                                            "%u events were skipped", n), n);
      add_part (out, part);
    }
  if ((n = self->unreadable->len) > 0)
    {
      g_autofree char *part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u could not be read",
                                                            "%u could not be read", n), n);
      add_part (out, part);
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

static void
roster_ical_import_finalize (GObject *object)
{
  RosterIcalImport *self = ROSTER_ICAL_IMPORT (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_pointer (&self->unreadable, g_ptr_array_unref);

  G_OBJECT_CLASS (roster_ical_import_parent_class)->finalize (object);
}

static void
roster_ical_import_class_init (RosterIcalImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = roster_ical_import_finalize;
}

static void
roster_ical_import_init (RosterIcalImport *self)
{
  self->items = g_ptr_array_new_with_free_func (_roster_ical_item_free);
  self->queued = g_ptr_array_new_with_free_func (source_free);
  self->unreadable = g_ptr_array_new_with_free_func (g_free);
}

/**
 * roster_ical_import_new:
 *
 * Returns: (transfer full): an empty import.
 */
RosterIcalImport *
roster_ical_import_new (void)
{
  return g_object_new (ROSTER_TYPE_ICAL_IMPORT, NULL);
}
