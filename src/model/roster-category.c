/* roster-category.c: a tag that gathers tasks of every user.
 *
 * One RosterCategory exists per `category` row while the store is open. The
 * task count is read from the file on first use and kept current by the store.
 */
#define G_LOG_DOMAIN "roster-category"

#include "roster-category.h"
#include "roster-store-private.h"

struct _RosterCategory
{
  GObject      parent_instance;

  RosterStore *store;     /* not owned; NULL once the store is gone */
  gint64       id;
  char        *name;
  char        *sort_key;
  char        *color;
  int          n_tasks;   /* -1 until first read */
};

G_DEFINE_FINAL_TYPE (RosterCategory, roster_category, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_COLOR,
  PROP_N_TASKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
roster_category_finalize (GObject *object)
{
  RosterCategory *self = ROSTER_CATEGORY (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->sort_key, g_free);
  g_clear_pointer (&self->color, g_free);

  G_OBJECT_CLASS (roster_category_parent_class)->finalize (object);
}

static void
roster_category_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RosterCategory *self = ROSTER_CATEGORY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    case PROP_N_TASKS:
      g_value_set_uint (value, roster_category_get_n_tasks (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_category_class_init (RosterCategoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = roster_category_finalize;
  object_class->get_property = roster_category_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TASKS] =
    g_param_spec_uint ("n-tasks", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
roster_category_init (RosterCategory *self)
{
  self->n_tasks = -1;
}

RosterCategory *
_roster_category_new (RosterStore             *store,
                      const RosterCategoryRecord *row)
{
  RosterCategory *self = g_object_new (ROSTER_TYPE_CATEGORY, NULL);

  self->store = store;
  self->id = row->id;
  self->name = g_strdup (row->name);
  self->sort_key = g_utf8_collate_key (row->name, -1);
  self->color = g_strdup (row->color);

  return self;
}

void
_roster_category_apply_row (RosterCategory          *self,
                            const RosterCategoryRecord *row)
{
  g_return_if_fail (ROSTER_IS_CATEGORY (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (self->name, row->name) != 0)
    {
      g_free (self->name);
      g_free (self->sort_key);
      self->name = g_strdup (row->name);
      self->sort_key = g_utf8_collate_key (row->name, -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }

  if (g_strcmp0 (self->color, row->color) != 0)
    {
      g_free (self->color);
      self->color = g_strdup (row->color);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
_roster_category_get_sort_key (RosterCategory *self)
{
  return self->sort_key;
}

void
_roster_category_adjust_count (RosterCategory *self,
                               int             d_tasks)
{
  if (self->n_tasks < 0 || d_tasks == 0)
    return;

  self->n_tasks = MAX (0, self->n_tasks + d_tasks);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TASKS]);
}

void
_roster_category_forget_count (RosterCategory *self)
{
  if (self->n_tasks < 0)
    return;

  self->n_tasks = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TASKS]);
}

void
_roster_category_detach (RosterCategory *self)
{
  self->store = NULL;
}

gint64
roster_category_get_id (RosterCategory *self)
{
  g_return_val_if_fail (ROSTER_IS_CATEGORY (self), 0);

  return self->id;
}

const char *
roster_category_get_name (RosterCategory *self)
{
  g_return_val_if_fail (ROSTER_IS_CATEGORY (self), NULL);

  return self->name;
}

/**
 * roster_category_get_color:
 *
 * Returns: the tag's colour as "#rrggbb".
 */
const char *
roster_category_get_color (RosterCategory *self)
{
  g_return_val_if_fail (ROSTER_IS_CATEGORY (self), NULL);

  return self->color;
}

guint
roster_category_get_n_tasks (RosterCategory *self)
{
  g_return_val_if_fail (ROSTER_IS_CATEGORY (self), 0);

  if (self->n_tasks < 0 && self->store != NULL)
    {
      guint n;

      if (_roster_store_count_category_tasks (self->store, self->id, &n))
        self->n_tasks = (int) n;
    }

  return MAX (self->n_tasks, 0);
}
