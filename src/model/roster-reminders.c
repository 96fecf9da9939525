/* roster-reminders.c: when open tasks with a due time fall due (see
 * roster-reminders.h).
 *
 * Scheduling: after each check, the store gives the next moment after
 * "checked" (one seek in the index of open dated tasks,
 * roster-store-reminders.c) and a timer is set for it. The timer is never
 * longer than POLL_SECONDS: a computer that slept, a clock set by hand or
 * another program's writes (roster_store_refresh() on each tick) are noticed
 * within that, while a task changed in the store itself re-arms at once (the
 * store's "changed", and "today" for the day rolling over). A check gives the
 * tasks whose moment is in (checked, now] and moves "checked" to now. Moments
 * are local wall-clock strings, so a due time stays the same time of day
 * whatever the zone's offset, and a wall-clock hour that comes twice (clocks
 * going back) reminds once.
 */
#define G_LOG_DOMAIN "roster-reminders"

#include <stdio.h>

#include "roster-reminders.h"
#include "roster-store-private.h"

/* The longest the timer waits before looking again. */
#define POLL_SECONDS 15

struct _RosterReminders
{
  GObject      parent_instance;

  RosterStore *store;
  char        *checked;     /* "YYYY-MM-DD HH:MM", or "" */
  char        *next;        /* the next moment after it, or NULL */
  GDateTime   *fixed_now;   /* the tests' clock, or NULL */
  gboolean     started;
  guint        timeout;
  guint        idle;        /* checks once a change is reflected */
};

G_DEFINE_FINAL_TYPE (RosterReminders, roster_reminders, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHECKED,
  N_PROPS
};

enum {
  DUE,
  MISSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
moment_from_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

static GDateTime *
time_from_moment (const char *moment)
{
  int y, mo, d, h, mi;

  if (moment == NULL || sscanf (moment, "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi) != 5)
    return NULL;
  return g_date_time_new_local (y, mo, d, h, mi, 0);
}

static GDateTime *
dup_now (RosterReminders *self)
{
  if (self->fixed_now != NULL)
    return g_date_time_to_local (self->fixed_now);
  return g_date_time_new_now_local ();
}

static void
set_checked (RosterReminders *self,
             const char      *checked)
{
  if (g_strcmp0 (self->checked, checked) == 0)
    return;
  g_free (self->checked);
  self->checked = g_strdup (checked);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKED]);
}

static void check (RosterReminders *self,
                   gboolean         missed);

static gboolean
tick_cb (gpointer data)
{
  RosterReminders *self = data;

  self->timeout = 0;
  /* Another program's writes (the command line, a second window). */
  roster_store_refresh (self->store);
  check (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
arm (RosterReminders *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) next = NULL;
  gint64 ms = POLL_SECONDS * 1000;

  g_clear_pointer (&self->next, g_free);
  g_clear_handle_id (&self->timeout, g_source_remove);
  self->next = _roster_store_next_reminder (self->store, self->checked);
  if (self->fixed_now != NULL)
    return;

  now = dup_now (self);
  if ((next = time_from_moment (self->next)) != NULL)
    /* A little after the moment, so that the clock reads it when we look. */
    ms = CLAMP (g_date_time_difference (next, now) / 1000 + 50, 50, ms);
  self->timeout = g_timeout_add ((guint) ms, tick_cb, self);
}

static void
check (RosterReminders *self,
       gboolean         missed)
{
  g_autoptr(GDateTime) now = dup_now (self);
  g_autofree char *until = moment_from_time (now);
  g_autofree char *after = g_strdup (self->checked);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  if (after[0] == '\0' || strcmp (until, after) <= 0)
    {
      /* The first run ever, or a clock that went back: nothing new is due. */
      if (after[0] == '\0')
        set_checked (self, until);
      arm (self);
      return;
    }

  tasks = _roster_store_read_reminders (self->store, after, until, ROSTER_REMINDERS_MAX, &error);
  if (tasks == NULL)
    {
      /* Looked at again on the next tick. */
      g_debug ("No reminders from %s: %s", roster_store_get_path (self->store), error->message);
      arm (self);
      return;
    }
  /* Before the signals: a handler may change the store (Mark as Done). */
  set_checked (self, until);
  arm (self);

  if (missed && tasks->len > 0)
    g_signal_emit (self, signals[MISSED], 0, tasks);
  else if (!missed)
    for (guint i = 0; i < tasks->len; i++)
      g_signal_emit (self, signals[DUE], 0, g_ptr_array_index (tasks, i));
}

static gboolean
changed_idle_cb (gpointer data)
{
  RosterReminders *self = data;

  self->idle = 0;
  check (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* A change may have brought a moment nearer (or taken the next one away). */
static void
on_store_changed_cb (RosterReminders *self)
{
  if (self->started && self->idle == 0)
    self->idle = g_idle_add (changed_idle_cb, self);
}

static void
roster_reminders_dispose (GObject *object)
{
  RosterReminders *self = ROSTER_REMINDERS (object);

  g_clear_handle_id (&self->timeout, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (roster_reminders_parent_class)->dispose (object);
}

static void
roster_reminders_finalize (GObject *object)
{
  RosterReminders *self = ROSTER_REMINDERS (object);

  g_free (self->checked);
  g_free (self->next);
  g_clear_pointer (&self->fixed_now, g_date_time_unref);
  G_OBJECT_CLASS (roster_reminders_parent_class)->finalize (object);
}

static void
roster_reminders_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RosterReminders *self = ROSTER_REMINDERS (object);

  switch (prop_id)
    {
    case PROP_CHECKED:
      g_value_set_string (value, self->checked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_reminders_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RosterReminders *self = ROSTER_REMINDERS (object);

  switch (prop_id)
    {
    case PROP_CHECKED:
      roster_reminders_set_checked (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_reminders_class_init (RosterRemindersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_reminders_dispose;
  object_class->finalize = roster_reminders_finalize;
  object_class->get_property = roster_reminders_get_property;
  object_class->set_property = roster_reminders_set_property;

  properties[PROP_CHECKED] =
    g_param_spec_string ("checked", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterReminders::due:
   * @task: a task whose moment has just come
   */
  signals[DUE] = g_signal_new ("due", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, ROSTER_TYPE_TASK);
  /**
   * RosterReminders::missed:
   * @tasks: (element-type RosterTask): the tasks whose moment passed while
   *   nothing ran, by moment
   */
  signals[MISSED] = g_signal_new ("missed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
roster_reminders_init (RosterReminders *self)
{
  self->checked = g_strdup ("");
}

RosterReminders *
roster_reminders_new (RosterStore *store)
{
  RosterReminders *self;

  g_return_val_if_fail (ROSTER_IS_STORE (store), NULL);

  self = g_object_new (ROSTER_TYPE_REMINDERS, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  /* The day rolling over: a computer that slept through midnight. */
  g_signal_connect_swapped (store, "notify::today", G_CALLBACK (on_store_changed_cb), self);
  return self;
}

RosterStore *
roster_reminders_get_store (RosterReminders *self)
{
  g_return_val_if_fail (ROSTER_IS_REMINDERS (self), NULL);

  return self->store;
}

const char *
roster_reminders_get_checked (RosterReminders *self)
{
  g_return_val_if_fail (ROSTER_IS_REMINDERS (self), NULL);

  return self->checked;
}

/**
 * roster_reminders_set_checked:
 * @checked: (nullable): "YYYY-MM-DD HH:MM", local wall-clock time; NULL or
 *   "" for none
 *
 * What a check starts from; anything else counts as none.
 */
void
roster_reminders_set_checked (RosterReminders *self,
                              const char      *checked)
{
  g_autoptr(GDateTime) time = NULL;

  g_return_if_fail (ROSTER_IS_REMINDERS (self));

  time = time_from_moment (checked);
  set_checked (self, time != NULL ? checked : "");
}

void
roster_reminders_start (RosterReminders *self)
{
  g_return_if_fail (ROSTER_IS_REMINDERS (self));

  if (self->started)
    return;
  self->started = TRUE;
  check (self, TRUE);
}

void
roster_reminders_check (RosterReminders *self)
{
  g_return_if_fail (ROSTER_IS_REMINDERS (self));

  if (self->started)
    check (self, FALSE);
}

void
roster_reminders_set_now (RosterReminders *self,
                          GDateTime       *now)
{
  g_return_if_fail (ROSTER_IS_REMINDERS (self));

  g_clear_pointer (&self->fixed_now, g_date_time_unref);
  if (now != NULL)
    self->fixed_now = g_date_time_ref (now);
  roster_reminders_check (self);
}

GDateTime *
roster_reminders_dup_next (RosterReminders *self)
{
  g_return_val_if_fail (ROSTER_IS_REMINDERS (self), NULL);

  return time_from_moment (self->next);
}
