/* roster-user.c: a person who owns tasks.
 *
 * One RosterUser exists per `user` row while the store is open. Its properties
 * change only when the store commits a change; the task counts are read from
 * the file the first time somebody asks and kept current by the store after.
 */
#define G_LOG_DOMAIN "roster-user"

#include "roster-store-private.h"
#include "roster-user.h"

struct _RosterUser
{
  GObject      parent_instance;

  RosterStore *store;     /* not owned; NULL once the store is gone */
  gint64       id;
  char        *username;
  char        *sort_key;
  int          n_tasks;   /* -1 until first read */
  int          n_open;
};

G_DEFINE_FINAL_TYPE (RosterUser, roster_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USERNAME,
  PROP_N_TASKS,
  PROP_N_OPEN_TASKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
roster_user_finalize (GObject *object)
{
  RosterUser *self = ROSTER_USER (object);

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->sort_key, g_free);

  G_OBJECT_CLASS (roster_user_parent_class)->finalize (object);
}

static void
roster_user_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RosterUser *self = ROSTER_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_N_TASKS:
      g_value_set_uint (value, roster_user_get_n_tasks (self));
      break;
    case PROP_N_OPEN_TASKS:
      g_value_set_uint (value, roster_user_get_n_open_tasks (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_class_init (RosterUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = roster_user_finalize;
  object_class->get_property = roster_user_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TASKS] =
    g_param_spec_uint ("n-tasks", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_OPEN_TASKS] =
    g_param_spec_uint ("n-open-tasks", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_user_init (RosterUser *self)
{
  self->n_tasks = -1;
  self->n_open = -1;
}

RosterUser *
_roster_user_new (RosterStore         *store,
                  const RosterUserRecord *row)
{
  RosterUser *self = g_object_new (ROSTER_TYPE_USER, NULL);

  self->store = store;
  self->id = row->id;
  self->username = g_strdup (row->username);
  self->sort_key = g_utf8_collate_key (row->username, -1);

  return self;
}

void
_roster_user_apply_row (RosterUser          *self,
                        const RosterUserRecord *row)
{
  g_return_if_fail (ROSTER_IS_USER (self));

  if (g_strcmp0 (self->username, row->username) != 0)
    {
      g_free (self->username);
      g_free (self->sort_key);
      self->username = g_strdup (row->username);
      self->sort_key = g_utf8_collate_key (row->username, -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
    }
}

const char *
_roster_user_get_sort_key (RosterUser *self)
{
  return self->sort_key;
}

static void
ensure_counts (RosterUser *self)
{
  guint n_tasks, n_open;

  if (self->n_tasks >= 0 || self->store == NULL)
    return;

  if (_roster_store_count_user_tasks (self->store, self->id, &n_tasks, &n_open))
    {
      self->n_tasks = (int) n_tasks;
      self->n_open = (int) n_open;
    }
}

void
_roster_user_adjust_counts (RosterUser *self,
                            int         d_tasks,
                            int         d_open)
{
  if (self->n_tasks < 0)
    return;

  if (d_tasks != 0)
    {
      self->n_tasks = MAX (0, self->n_tasks + d_tasks);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TASKS]);
    }
  if (d_open != 0)
    {
      self->n_open = MAX (0, self->n_open + d_open);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN_TASKS]);
    }
}

void
_roster_user_forget_counts (RosterUser *self)
{
  if (self->n_tasks < 0)
    return;

  self->n_tasks = self->n_open = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TASKS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN_TASKS]);
}

void
_roster_user_detach (RosterUser *self)
{
  self->store = NULL;
}

gint64
roster_user_get_id (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), 0);

  return self->id;
}

const char *
roster_user_get_username (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), NULL);

  return self->username;
}

/**
 * roster_user_get_n_tasks:
 *
 * Returns: how many tasks the user owns.
 */
guint
roster_user_get_n_tasks (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), 0);

  ensure_counts (self);
  return MAX (self->n_tasks, 0);
}

/**
 * roster_user_get_n_open_tasks:
 *
 * Returns: how many of the user's tasks are not done.
 */
guint
roster_user_get_n_open_tasks (RosterUser *self)
{
  g_return_val_if_fail (ROSTER_IS_USER (self), 0);

  ensure_counts (self);
  return MAX (self->n_open, 0);
}
