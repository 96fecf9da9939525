/* test-random.c: long random sequences of operations, checked against a model.
 *
 * Every operation goes to the store and to a plain in-memory reference model of
 * what the store promises (structs in sorted arrays, nothing clever). After each
 * step the objects, live lists and counts the step touched are compared; every
 * FULL_CHECK_EVERY steps, after every reopening and at the end, everything is,
 * including the rows of the file read through a second SQLite connection.
 * Undo and redo are operations like the others: the reference keeps its own
 * history as a stack of snapshots. Batches too: inside one only the answers
 * are compared, everything it touched at its commit or rollback.
 *
 * A difference fails the test with the seed and the shortest sequence found
 * that still fails (chunks of operations are dropped while the failure stays),
 * printed in words.
 *
 * ROSTER_RANDOM_SEED=N replays a seed (otherwise it comes from g_test's own
 * --seed); ROSTER_RANDOM_STEPS=N changes the length of the run;
 * ROSTER_RANDOM_BATCHES=0 leaves batches out.
 */
#define G_LOG_DOMAIN "test-random"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <malloc.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "roster-model.h"
#include "roster-test-util.h"

#define DEFAULT_STEPS 100000
#define FULL_CHECK_EVERY 1000
/* roster-store.c keeps this many changes for undo (MAX_UNDO). */
#define HISTORY_DEPTH 1000
/* Deleted objects kept to try operations on them. */
#define GRAVE_SIZE 4
/* Time given to shrinking a failing sequence. */
#define SHRINK_SECONDS 60

#define OK (-1)

/* ------------------------------------------------------------------------ */
/* The reference model                                                       */

/* Every record starts with its id; arrays are sorted by it. @gen tells two
 * lives of one id apart (SQLite hands out a deleted id again). */
typedef struct
{
  gint64      id;
  guint64     gen;
  const char *name;
} RefUser;

typedef struct
{
  gint64      id;
  guint64     gen;
  const char *title;
  gint64      owner;
  gint64      order;   /* rank in the owner's list; only the order counts */
  gboolean    done;
  const char *notes;
  const char *due;     /* "YYYY-MM-DD" or NULL */
} RefTask;

typedef struct
{
  gint64      id;
  guint64     gen;
  const char *name;
  const char *color;
} RefCategory;

typedef struct
{
  gint64 task;
  gint64 category;
} RefLink;

typedef enum
{
  KIND_USER,
  KIND_TASK,
  KIND_CATEGORY,
  N_KINDS
} Kind;

typedef struct
{
  GArray *arrays[N_KINDS];   /* RefUser, RefTask, RefCategory */
  GArray *links;             /* RefLink, sorted by task then category */
} Model;

/* Strings are interned for the whole run: equal text, equal pointer. */
static GStringChunk *pool;
static GHashTable *collate_keys;   /* interned name → collate key */

static const char *
intern (const char *text)
{
  return text ? g_string_chunk_insert_const (pool, text) : NULL;
}

static const char *
collate_key (const char *name)
{
  char *key = g_hash_table_lookup (collate_keys, name);

  if (key == NULL)
    {
      key = g_utf8_collate_key (name, -1);
      g_hash_table_insert (collate_keys, (gpointer) name, key);
    }
  return key;
}

static const gsize record_size[N_KINDS] = { sizeof (RefUser), sizeof (RefTask), sizeof (RefCategory) };

static Model *
model_new (void)
{
  Model *m = g_new0 (Model, 1);

  for (guint k = 0; k < N_KINDS; k++)
    m->arrays[k] = g_array_new (FALSE, TRUE, record_size[k]);
  m->links = g_array_new (FALSE, TRUE, sizeof (RefLink));
  return m;
}

static GArray *
array_copy (GArray *a)
{
  GArray *copy = g_array_sized_new (FALSE, TRUE, g_array_get_element_size (a), a->len);

  g_array_append_vals (copy, a->data, a->len);
  return copy;
}

static Model *
model_copy (const Model *m)
{
  Model *copy = g_new0 (Model, 1);

  for (guint k = 0; k < N_KINDS; k++)
    copy->arrays[k] = array_copy (m->arrays[k]);
  copy->links = array_copy (m->links);
  return copy;
}

static void
model_free (gpointer data)
{
  Model *m = data;

  for (guint k = 0; k < N_KINDS; k++)
    g_array_unref (m->arrays[k]);
  g_array_unref (m->links);
  g_free (m);
}

#define USERS(m) ((m)->arrays[KIND_USER])
#define TASKS(m) ((m)->arrays[KIND_TASK])
#define CATEGORIES(m) ((m)->arrays[KIND_CATEGORY])
#define RECORD_ID(a, i) (*(gint64 *) ((a)->data + (gsize) (i) * g_array_get_element_size (a)))

static guint
lower_bound (GArray *a,
             gint64  id)
{
  guint lo = 0, hi = a->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (RECORD_ID (a, mid) < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gpointer
find (GArray *a,
      gint64  id)
{
  guint i = lower_bound (a, id);

  if (i < a->len && RECORD_ID (a, i) == id)
    return a->data + (gsize) i * g_array_get_element_size (a);
  return NULL;
}

static void
insert_record (GArray        *a,
               gconstpointer  record)
{
  g_array_insert_vals (a, lower_bound (a, *(const gint64 *) record), record, 1);
}

static void
remove_record (GArray *a,
               gint64  id)
{
  guint i = lower_bound (a, id);

  if (i < a->len && RECORD_ID (a, i) == id)
    g_array_remove_index (a, i);
}

static guint64
gen_of (Model  *m,
        Kind    kind,
        gint64  id)
{
  gpointer record = find (m->arrays[kind], id);

  return record ? ((RefUser *) record)->gen : 0;   /* gen sits at the same place in all three */
}

static int
compare_links (gconstpointer a,
               gconstpointer b)
{
  const RefLink *x = a, *y = b;

  if (x->task != y->task)
    return x->task < y->task ? -1 : 1;
  if (x->category != y->category)
    return x->category < y->category ? -1 : 1;
  return 0;
}

static guint
link_index (Model  *m,
            gint64  task,
            gint64  category,
            gboolean *found)
{
  RefLink key = { task, category };
  guint lo = 0, hi = m->links->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_links (&g_array_index (m->links, RefLink, mid), &key) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = lo < m->links->len && compare_links (&g_array_index (m->links, RefLink, lo), &key) == 0;
  return lo;
}

static void
remove_links (Model    *m,
              gint64    task,
              gint64    category)
{
  for (guint i = m->links->len; i > 0; i--)
    {
      RefLink *l = &g_array_index (m->links, RefLink, i - 1);

      if ((task != 0 && l->task == task) || (category != 0 && l->category == category))
        g_array_remove_index (m->links, i - 1);
    }
}

static int
compare_task_order (gconstpointer a,
                    gconstpointer b)
{
  const RefTask *x = *(RefTask * const *) a, *y = *(RefTask * const *) b;

  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* (transfer container) The user's tasks, in list order. */
static GPtrArray *
owned_tasks (Model  *m,
             gint64  owner)
{
  GPtrArray *tasks = g_ptr_array_new ();

  for (guint i = 0; i < TASKS (m)->len; i++)
    if (g_array_index (TASKS (m), RefTask, i).owner == owner)
      g_ptr_array_add (tasks, &g_array_index (TASKS (m), RefTask, i));
  g_ptr_array_sort (tasks, compare_task_order);
  return tasks;
}

static GArray *
expected_user_tasks (Model  *m,
                     gint64  owner)
{
  g_autoptr(GPtrArray) tasks = owned_tasks (m, owner);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < tasks->len; i++)
    g_array_append_val (ids, ((RefTask *) g_ptr_array_index (tasks, i))->id);
  return ids;
}

static gint64
next_order (Model  *m,
            gint64  owner)
{
  gint64 order = 0;

  for (guint i = 0; i < TASKS (m)->len; i++)
    {
      RefTask *t = &g_array_index (TASKS (m), RefTask, i);
      if (t->owner == owner && t->order >= order)
        order = t->order + 1;
    }
  return order;
}

/* Names sort by collate key, then id. */
typedef struct
{
  const char *key;
  gint64      id;
} NameEntry;

static int
compare_name_entries (gconstpointer a,
                      gconstpointer b)
{
  const NameEntry *x = a, *y = b;
  int cmp = strcmp (x->key, y->key);

  if (cmp != 0)
    return cmp;
  return x->id < y->id ? -1 : x->id > y->id;
}

static GArray *
sorted_ids (GArray *entries)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_sort (entries, compare_name_entries);
  for (guint i = 0; i < entries->len; i++)
    g_array_append_val (ids, g_array_index (entries, NameEntry, i).id);
  return ids;
}

static GArray *
expected_named (Model *m,
                Kind   kind)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (NameEntry));
  GArray *a = m->arrays[kind];

  for (guint i = 0; i < a->len; i++)
    {
      const char *name = kind == KIND_USER ? g_array_index (a, RefUser, i).name
                                           : g_array_index (a, RefCategory, i).name;
      NameEntry e = { collate_key (name), RECORD_ID (a, i) };
      g_array_append_val (entries, e);
    }
  return sorted_ids (entries);
}

static GArray *
expected_task_categories (Model  *m,
                          gint64  task)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (NameEntry));

  for (guint i = 0; i < m->links->len; i++)
    {
      RefLink *l = &g_array_index (m->links, RefLink, i);
      if (l->task == task)
        {
          RefCategory *c = find (CATEGORIES (m), l->category);
          NameEntry e = { collate_key (c->name), c->id };
          g_array_append_val (entries, e);
        }
    }
  return sorted_ids (entries);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The tasks of a category, by id: the order the store's tag lists have. */
static GArray *
expected_category_tasks (Model  *m,
                         gint64  category)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < m->links->len; i++)
    if (g_array_index (m->links, RefLink, i).category == category)
      g_array_append_val (ids, g_array_index (m->links, RefLink, i).task);
  g_array_sort (ids, compare_ids);
  return ids;
}

static gboolean
same_user (const RefUser *a, const RefUser *b)
{
  return a->gen == b->gen && a->name == b->name;
}

static gboolean
same_task (const RefTask *a, const RefTask *b)
{
  return a->gen == b->gen && a->title == b->title && a->owner == b->owner && a->order == b->order &&
         a->done == b->done && a->notes == b->notes && a->due == b->due;
}

static gboolean
same_category (const RefCategory *a, const RefCategory *b)
{
  return a->gen == b->gen && a->name == b->name && a->color == b->color;
}

static gboolean
same_record (Kind kind, gconstpointer a, gconstpointer b)
{
  if (a == NULL || b == NULL)
    return a == b;
  switch (kind)
    {
    case KIND_USER:
      return same_user (a, b);
    case KIND_TASK:
      return same_task (a, b);
    case KIND_CATEGORY:
    default:
      return same_category (a, b);
    }
}

static gboolean
model_equal (Model *a,
             Model *b)
{
  for (guint k = 0; k < N_KINDS; k++)
    {
      if (a->arrays[k]->len != b->arrays[k]->len)
        return FALSE;
      for (guint i = 0; i < a->arrays[k]->len; i++)
        {
          gsize size = record_size[k];
          if (RECORD_ID (a->arrays[k], i) != RECORD_ID (b->arrays[k], i) ||
              !same_record (k, a->arrays[k]->data + i * size, b->arrays[k]->data + i * size))
            return FALSE;
        }
    }
  return a->links->len == b->links->len &&
         (a->links->len == 0 ||
          memcmp (a->links->data, b->links->data, a->links->len * sizeof (RefLink)) == 0);
}

/* ------------------------------------------------------------------------ */
/* Operations                                                                */

typedef enum
{
  OP_CREATE_USER,
  OP_RENAME_USER,
  OP_DELETE_USER,
  OP_CREATE_TASK,
  OP_SET_TITLE,
  OP_SET_DONE,
  OP_SET_NOTES,
  OP_SET_DUE,
  OP_MOVE_TASK,
  OP_REORDER_TASK,
  OP_DELETE_TASK,
  OP_CREATE_CATEGORY,
  OP_RENAME_CATEGORY,
  OP_SET_COLOR,
  OP_DELETE_CATEGORY,
  OP_TAG,
  OP_UNTAG,
  OP_UNDO,
  OP_REDO,
  OP_REOPEN,
  OP_BEGIN_BATCH,
  OP_END_BATCH,
  N_OPS
} OpKind;

/* What each operation works on; -1 for nothing. */
static const struct {
  const char *name;
  int         first;
  int         second;
} op_info[N_OPS] = {
  [OP_CREATE_USER] = { "create user", -1, -1 },
  [OP_RENAME_USER] = { "rename user", KIND_USER, -1 },
  [OP_DELETE_USER] = { "delete user", KIND_USER, KIND_USER },
  [OP_CREATE_TASK] = { "create task", KIND_USER, -1 },
  [OP_SET_TITLE] = { "set title", KIND_TASK, -1 },
  [OP_SET_DONE] = { "set done", KIND_TASK, -1 },
  [OP_SET_NOTES] = { "set notes", KIND_TASK, -1 },
  [OP_SET_DUE] = { "set due date", KIND_TASK, -1 },
  [OP_MOVE_TASK] = { "move task", KIND_TASK, KIND_USER },
  [OP_REORDER_TASK] = { "reorder task", KIND_TASK, -1 },
  [OP_DELETE_TASK] = { "delete task", KIND_TASK, -1 },
  [OP_CREATE_CATEGORY] = { "create category", -1, -1 },
  [OP_RENAME_CATEGORY] = { "rename category", KIND_CATEGORY, -1 },
  [OP_SET_COLOR] = { "set colour", KIND_CATEGORY, -1 },
  [OP_DELETE_CATEGORY] = { "delete category", KIND_CATEGORY, -1 },
  [OP_TAG] = { "tag", KIND_TASK, KIND_CATEGORY },
  [OP_UNTAG] = { "untag", KIND_TASK, KIND_CATEGORY },
  [OP_UNDO] = { "undo", -1, -1 },
  [OP_REDO] = { "redo", -1, -1 },
  [OP_REOPEN] = { "close and reopen the file", -1, -1 },
  [OP_BEGIN_BATCH] = { "begin batch", -1, -1 },
  [OP_END_BATCH] = { "end batch", -1, -1 },
};

/* An operation names its objects by picks (an index into the reference's
 * objects, modulo their number), so that any subsequence still makes sense,
 * and remembers the ids they led to the first time: a shrunk sequence keeps
 * to those objects while they exist. */
typedef struct
{
  OpKind      kind;
  guint32     a;       /* pick of the first object */
  guint32     b;       /* pick of the second object; delete mode */
  guint32     c;       /* index, date, done, null owner/heir */
  guint8      stale;   /* bit 0, 1: the first, second object is a deleted one */
  const char *text;
  const char *text2;   /* a colour */
  gint64      id1;     /* the objects first picked, 0 before it ran */
  gint64      id2;
} Op;

typedef struct
{
  GObject *object;   /* owned; NULL when there is none */
  gint64   id;
  guint64  gen;
  gboolean live;     /* the reference holds this very object */
} Operand;

static const char *
code_name (int code)
{
  static const char * const names[] = {
    "EMPTY", "INVALID_UTF8", "INVALID", "DUPLICATE", "NO_OWNER", "HAS_TASKS", "NOT_FOUND",
    "NOTHING_TO_UNDO", "NEWER_VERSION", "NOT_ROSTER", "NOT_A_DATABASE", "READ_ONLY", "BUSY",
    "DISK_FULL", "FAILED",
  };

  if (code == OK)
    return "ok";
  if (code >= 0 && code < (int) G_N_ELEMENTS (names))
    return names[code];
  return code == -2 ? "failure without an error" : "an error outside ROSTER_ERROR";
}

/* The date an operation sets, in a zone of its own; NULL clears. */
static GDateTime *
op_date (guint32  c,
         char   **text)
{
  static const int offsets[] = { 0, 14 * 3600, -12 * 3600, 5 * 3600 + 1800, -(3 * 3600 + 1800) };
  g_autoptr(GTimeZone) tz = NULL;
  int year, month, day, hour;

  *text = NULL;
  if (c % 8 == 0)
    return NULL;
  year = 1990 + c % 60;
  if (c % 97 == 1)
    year = 9999;
  else if (c % 89 == 1)
    year = 1000;
  month = 1 + (c / 60) % 12;
  day = 1 + (c / 720) % 28;
  hour = (c / 20160) % 24;
  tz = g_time_zone_new_offset (offsets[(c / 7) % G_N_ELEMENTS (offsets)]);
  *text = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
  return g_date_time_new (tz, year, month, day, hour, 30, 0);
}

/* Text as C would write it; valid UTF-8 beyond ASCII is left as it is. */
static char *
escape (const char *text)
{
  static char high[129];

  if (high[0] == 0)
    for (guint i = 0; i < 128; i++)
      high[i] = (char) (0x80 + i);
  return g_strescape (text, g_utf8_validate (text, -1, NULL) ? high : "");
}

static char *
shown (const char *text)
{
  if (text == NULL)
    return g_strdup ("NULL");
  if (strlen (text) > 60)
    {
      g_autofree char *head = g_strndup (text, 40);
      g_autofree char *escaped = escape (head);
      return g_strdup_printf ("\"%s…\" (%zu bytes)", escaped, strlen (text));
    }
  {
    g_autofree char *escaped = escape (text);
    return g_strdup_printf ("\"%s\"", escaped);
  }
}

static const char *kind_name[] = { "user", "task", "category" };

static char *
describe_operand (const Operand *o,
                  int            kind)
{
  if (o->object == NULL)
    return g_strdup ("NULL");
  return g_strdup_printf ("%s %" G_GINT64_FORMAT "%s", kind_name[kind], o->id,
                          o->live ? "" : " (deleted object)");
}

static char *
describe (const Op      *op,
          const Operand *x,
          const Operand *y)
{
  g_autofree char *first = op_info[op->kind].first >= 0 ? describe_operand (x, op_info[op->kind].first) : NULL;
  g_autofree char *second = op_info[op->kind].second >= 0 ? describe_operand (y, op_info[op->kind].second) : NULL;
  g_autofree char *text = shown (op->text);
  g_autofree char *text2 = shown (op->text2);

  switch (op->kind)
    {
    case OP_CREATE_USER:
      return g_strdup_printf ("create user %s", text);
    case OP_RENAME_USER:
    case OP_SET_TITLE:
    case OP_SET_NOTES:
    case OP_RENAME_CATEGORY:
      return g_strdup_printf ("%s of %s to %s", op_info[op->kind].name, first, text);
    case OP_DELETE_USER:
      {
        static const char * const modes[] = { "ONLY", "AND_TASKS", "MOVE_TASKS" };
        if (op->b % 3 == ROSTER_DELETE_USER_MOVE_TASKS)
          return g_strdup_printf ("delete %s, MOVE_TASKS to %s", first, second);
        return g_strdup_printf ("delete %s, %s", first, modes[op->b % 3]);
      }
    case OP_CREATE_TASK:
      return g_strdup_printf ("create task %s for %s", text, first);
    case OP_SET_DONE:
      return g_strdup_printf ("set %s done = %s", first, op->c % 2 ? "TRUE" : "FALSE");
    case OP_SET_DUE:
      {
        g_autofree char *date = NULL;
        g_autoptr(GDateTime) dt = op_date (op->c, &date);
        g_autofree char *full = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M %:z") : NULL;
        return g_strdup_printf ("set due date of %s to %s", first, full ? full : "NULL");
      }
    case OP_MOVE_TASK:
      return g_strdup_printf ("move %s to %s", first, second);
    case OP_REORDER_TASK:
      return g_strdup_printf ("reorder %s to index %u", first, op->c);
    case OP_CREATE_CATEGORY:
      return g_strdup_printf ("create category %s colour %s", text, text2);
    case OP_SET_COLOR:
      return g_strdup_printf ("set colour of %s to %s", first, text2);
    case OP_TAG:
    case OP_UNTAG:
      return g_strdup_printf ("%s %s with %s", op_info[op->kind].name, first, second);
    case OP_DELETE_TASK:
    case OP_DELETE_CATEGORY:
      return g_strdup_printf ("delete %s", first);
    case OP_END_BATCH:
      return g_strdup (op->c % 5 == 0 ? "roll the batch back" : "commit the batch");
    case OP_UNDO:
    case OP_REDO:
    case OP_REOPEN:
    default:
      return g_strdup (op_info[op->kind].name);
    }
}

/* ------------------------------------------------------------------------ */
/* Random operations                                                         */

static const char * const name_pieces[] = {
  "ada", "Ada", "ADA", "bob", "émile", "e\xcc\x81mile", "zoë", "Zoe", "ß", "ss", "李",
  "ω", "🙂", "x", " ada", "ada ", "a\xe2\x80\x8b" "da", "o'brien", "'); DROP TABLE user;--",
  "%s%n", "שלום", "\xd8\xa7\xd9\x84", "a\tb",
};
static const char * const blanks[] = {
  "", " ", "\t", "\n \r", "\xe3\x80\x80", "\xc2\xa0", "\xe2\x80\xa8 ",
};
static const char * const invalid_utf8[] = {
  "\xff", "ada\xc3", "\xc0\xaf", "\xed\xa0\x80", "ok\xf5\x80\x80\x80", "\xe2\x82", "bad \xff\xfe",
};
static const char * const bad_colors[] = {
  "red", "#12345", "#12345g", "", "#1234567", "3584e4", "#\xff\xff\xff\xff\xff\xff",
};

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static const char *
random_name (GRand *rand)
{
  int dice = g_rand_int_range (rand, 0, 100);

  if (dice < 6)
    return intern (PICK (rand, blanks));
  if (dice < 10)
    return intern (PICK (rand, invalid_utf8));
  if (dice < 55)
    return intern (PICK (rand, name_pieces));
  {
    g_autofree char *name = g_strconcat (PICK (rand, name_pieces), dice % 2 ? " " : "",
                                         PICK (rand, name_pieces), NULL);
    return intern (name);
  }
}

static const char *
random_title (GRand *rand)
{
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      g_autofree char *title = g_strdup_printf ("task %d", g_rand_int_range (rand, 0, 40));
      return intern (title);
    }
  return random_name (rand);
}

static const char *
random_notes (GRand *rand)
{
  int dice = g_rand_int_range (rand, 0, 100);

  if (dice < 10)
    return NULL;
  if (dice < 25)
    return intern ("");
  if (dice < 30)
    return intern (PICK (rand, invalid_utf8));
  if (dice < 33)
    {
      GString *big = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 100, 1000);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (big, "%s\n", PICK (rand, name_pieces));
      {
        const char *interned = intern (big->str);
        g_string_free (big, TRUE);
        return interned;
      }
    }
  if (dice < 40)
    return intern (PICK (rand, blanks));
  {
    g_autofree char *notes = g_strconcat (PICK (rand, name_pieces), "\n", PICK (rand, name_pieces), NULL);
    return intern (notes);
  }
}

static const char *
random_color (GRand   *rand,
              gboolean allow_null)
{
  int dice = g_rand_int_range (rand, 0, 100);

  if (dice < 10)
    return allow_null ? NULL : intern ("#3584e4");
  if (dice < 20)
    return intern (PICK (rand, bad_colors));
  {
    static const char * const palette[] = { "#3584e4", "#E01B24", "#e01b24", "#33d17a", "#000000", "#FfFfFf" };
    return intern (PICK (rand, palette));
  }
}

/* ROSTER_RANDOM_BATCHES=0 leaves batches out. */
static gboolean batches = TRUE;

static void
random_op (GRand    *rand,
           Model    *m,
           OpKind    last,
           gboolean  in_batch,
           Op       *op)
{
  guint n_users = USERS (m)->len, n_tasks = TASKS (m)->len, n_categories = CATEGORIES (m)->len;
  guint weights[N_OPS] = { 0 };
  guint total = 0, dice;

  weights[OP_CREATE_USER] = n_users < 3 ? 30 : n_users > 10 ? 1 : 5;
  weights[OP_RENAME_USER] = 4;
  weights[OP_DELETE_USER] = n_users > 8 ? 8 : 2;
  weights[OP_CREATE_TASK] = n_tasks < 20 ? 25 : n_tasks > 80 ? 2 : 10;
  weights[OP_SET_TITLE] = 5;
  weights[OP_SET_DONE] = 5;
  weights[OP_SET_NOTES] = 4;
  weights[OP_SET_DUE] = 4;
  weights[OP_MOVE_TASK] = 6;
  weights[OP_REORDER_TASK] = 8;
  weights[OP_DELETE_TASK] = n_tasks > 60 ? 10 : 3;
  weights[OP_CREATE_CATEGORY] = n_categories < 3 ? 20 : n_categories > 10 ? 1 : 4;
  weights[OP_RENAME_CATEGORY] = 3;
  weights[OP_SET_COLOR] = 3;
  weights[OP_DELETE_CATEGORY] = n_categories > 8 ? 6 : 1;
  weights[OP_TAG] = 12;
  weights[OP_UNTAG] = 6;
  /* A batch holds ten changes or so, no undo or redo. */
  weights[OP_UNDO] = in_batch ? 0 : 10;
  weights[OP_REDO] = in_batch ? 0 : 6;
  weights[OP_BEGIN_BATCH] = in_batch || !batches ? 0 : 1;
  weights[OP_END_BATCH] = in_batch ? 15 : 0;
  for (guint i = 0; i < N_OPS; i++)
    total += weights[i];

  memset (op, 0, sizeof *op);
  /* A few reopenings per run. */
  if (!in_batch && g_rand_int_range (rand, 0, 15000) == 0)
    {
      op->kind = OP_REOPEN;
      return;
    }
  dice = g_rand_int_range (rand, 0, total);
  for (op->kind = 0; dice >= weights[op->kind]; op->kind++)
    dice -= weights[op->kind];
  /* Undo and redo come in runs, to walk far into the history and back. */
  if (!in_batch && (last == OP_UNDO || last == OP_REDO) && g_rand_int_range (rand, 0, 100) < 70)
    op->kind = g_rand_boolean (rand) ? OP_UNDO : OP_REDO;

  op->a = g_rand_int (rand);
  op->b = g_rand_int (rand);
  op->c = g_rand_int (rand);
  /* Deleted objects, outside batches: inside one, the store sees a deletion
   * only at the commit. */
  if (!in_batch && g_rand_int_range (rand, 0, 100) < 3)
    op->stale |= 1;
  if (!in_batch && g_rand_int_range (rand, 0, 100) < 3)
    op->stale |= 2;

  switch (op->kind)
    {
    case OP_CREATE_USER:
    case OP_RENAME_USER:
    case OP_CREATE_CATEGORY:
    case OP_RENAME_CATEGORY:
      op->text = random_name (rand);
      break;
    case OP_CREATE_TASK:
    case OP_SET_TITLE:
      op->text = random_title (rand);
      break;
    case OP_SET_NOTES:
      op->text = random_notes (rand);
      break;
    case OP_REORDER_TASK:
      op->c = g_rand_int_range (rand, 0, 50) == 0 ? G_MAXUINT32 : (guint32) g_rand_int_range (rand, 0, 12);
      break;
    default:
      break;
    }
  if (op->kind == OP_CREATE_CATEGORY || op->kind == OP_SET_COLOR)
    op->text2 = random_color (rand, op->kind == OP_CREATE_CATEGORY);
}

/* ------------------------------------------------------------------------ */
/* Checking a value against the rules                                        */

static int
text_error (const char *text,
            gboolean    may_be_blank)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    return ROSTER_ERROR_INVALID_UTF8;
  if (may_be_blank)
    return OK;
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return OK;
  return ROSTER_ERROR_EMPTY;
}

static gboolean
color_valid (const char *color)
{
  if (color == NULL || strlen (color) != 7 || color[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

static gboolean
name_taken (GArray     *a,
            Kind        kind,
            const char *name,
            gint64      except)
{
  for (guint i = 0; i < a->len; i++)
    {
      const char *other = kind == KIND_USER ? g_array_index (a, RefUser, i).name
                                            : g_array_index (a, RefCategory, i).name;
      if (other == name && RECORD_ID (a, i) != except)
        return TRUE;
    }
  return FALSE;
}

/* Applies @op to the reference; returns what the store must answer. Changes
 * @m only on success. @new_id is the id the store gave a created row. */
static int
reference_apply (Model         *m,
                 const Op      *op,
                 const Operand *x,
                 const Operand *y,
                 gint64         new_id,
                 guint64        gen)
{
  int e;

  switch (op->kind)
    {
    case OP_CREATE_USER:
      {
        RefUser u = { new_id, gen, op->text };

        if ((e = text_error (op->text, FALSE)) != OK)
          return e;
        if (name_taken (USERS (m), KIND_USER, op->text, 0))
          return ROSTER_ERROR_DUPLICATE;
        if (new_id <= 0 || find (USERS (m), new_id))
          return -4;
        insert_record (USERS (m), &u);
        return OK;
      }

    case OP_RENAME_USER:
      if (!x->live)
        return ROSTER_ERROR_NOT_FOUND;
      if ((e = text_error (op->text, FALSE)) != OK)
        return e;
      if (name_taken (USERS (m), KIND_USER, op->text, x->id))
        return ROSTER_ERROR_DUPLICATE;
      ((RefUser *) find (USERS (m), x->id))->name = op->text;
      return OK;

    case OP_DELETE_USER:
      {
        RosterDeleteUser mode = op->b % 3;
        g_autoptr(GPtrArray) tasks = NULL;

        if (!x->live)
          return ROSTER_ERROR_NOT_FOUND;
        if (mode == ROSTER_DELETE_USER_MOVE_TASKS)
          {
            if (y->object == NULL || y->object == x->object)
              return ROSTER_ERROR_NO_OWNER;
            if (!y->live)
              return ROSTER_ERROR_NOT_FOUND;
          }
        tasks = owned_tasks (m, x->id);
        if (mode == ROSTER_DELETE_USER_ONLY && tasks->len > 0)
          return ROSTER_ERROR_HAS_TASKS;
        if (mode == ROSTER_DELETE_USER_AND_TASKS)
          {
            g_autoptr(GArray) ids = expected_user_tasks (m, x->id);
            g_clear_pointer (&tasks, g_ptr_array_unref);
            for (guint i = 0; i < ids->len; i++)
              {
                remove_links (m, g_array_index (ids, gint64, i), 0);
                remove_record (TASKS (m), g_array_index (ids, gint64, i));
              }
          }
        else if (mode == ROSTER_DELETE_USER_MOVE_TASKS)
          {
            gint64 order = next_order (m, y->id);
            for (guint i = 0; i < tasks->len; i++)
              {
                RefTask *t = g_ptr_array_index (tasks, i);
                t->owner = y->id;
                t->order = order++;
              }
          }
        remove_record (USERS (m), x->id);
        return OK;
      }

    case OP_CREATE_TASK:
      {
        RefTask t = { new_id, gen, op->text, 0, 0, FALSE, intern (""), NULL };

        if (x->object == NULL || !x->live)
          return ROSTER_ERROR_NO_OWNER;
        if ((e = text_error (op->text, FALSE)) != OK)
          return e;
        if (new_id <= 0 || find (TASKS (m), new_id))
          return -4;
        t.owner = x->id;
        t.order = next_order (m, x->id);
        insert_record (TASKS (m), &t);
        return OK;
      }

    case OP_SET_TITLE:
    case OP_SET_DONE:
    case OP_SET_NOTES:
    case OP_SET_DUE:
    case OP_REORDER_TASK:
    case OP_DELETE_TASK:
      {
        RefTask *t;

        if (!x->live)
          return ROSTER_ERROR_NOT_FOUND;
        t = find (TASKS (m), x->id);
        if (op->kind == OP_SET_TITLE)
          {
            if ((e = text_error (op->text, FALSE)) != OK)
              return e;
            t->title = op->text;
          }
        else if (op->kind == OP_SET_DONE)
          t->done = op->c % 2;
        else if (op->kind == OP_SET_NOTES)
          {
            if ((e = text_error (op->text, TRUE)) != OK)
              return e;
            t->notes = op->text ? op->text : intern ("");
          }
        else if (op->kind == OP_SET_DUE)
          {
            g_autofree char *date = NULL;
            g_autoptr(GDateTime) dt = op_date (op->c, &date);
            t->due = intern (date);
          }
        else if (op->kind == OP_REORDER_TASK)
          {
            g_autoptr(GPtrArray) tasks = owned_tasks (m, t->owner);
            guint to = MIN (op->c, tasks->len - 1);

            /* Already there: nothing changes, not even the ranks. */
            if (g_ptr_array_index (tasks, to) == t)
              return OK;
            g_ptr_array_remove (tasks, t);
            g_ptr_array_insert (tasks, to, t);
            for (guint i = 0; i < tasks->len; i++)
              ((RefTask *) g_ptr_array_index (tasks, i))->order = i;
          }
        else
          {
            remove_links (m, x->id, 0);
            remove_record (TASKS (m), x->id);
          }
        return OK;
      }

    case OP_MOVE_TASK:
      {
        RefTask *t;

        if (y->object == NULL)
          return ROSTER_ERROR_NO_OWNER;
        if (!y->live || !x->live)
          return ROSTER_ERROR_NOT_FOUND;
        t = find (TASKS (m), x->id);
        if (t->owner != y->id)
          {
            t->order = next_order (m, y->id);
            t->owner = y->id;
          }
        return OK;
      }

    case OP_CREATE_CATEGORY:
      {
        g_autofree char *lower = NULL;
        RefCategory c = { new_id, gen, op->text, NULL };

        if ((e = text_error (op->text, FALSE)) != OK)
          return e;
        if (op->text2 != NULL && !color_valid (op->text2))
          return ROSTER_ERROR_INVALID;
        if (name_taken (CATEGORIES (m), KIND_CATEGORY, op->text, 0))
          return ROSTER_ERROR_DUPLICATE;
        if (new_id <= 0 || find (CATEGORIES (m), new_id))
          return -4;
        lower = g_ascii_strdown (op->text2 ? op->text2 : ROSTER_DEFAULT_COLOR, -1);
        c.color = intern (lower);
        insert_record (CATEGORIES (m), &c);
        return OK;
      }

    case OP_RENAME_CATEGORY:
      if (!x->live)
        return ROSTER_ERROR_NOT_FOUND;
      if ((e = text_error (op->text, FALSE)) != OK)
        return e;
      if (name_taken (CATEGORIES (m), KIND_CATEGORY, op->text, x->id))
        return ROSTER_ERROR_DUPLICATE;
      ((RefCategory *) find (CATEGORIES (m), x->id))->name = op->text;
      return OK;

    case OP_SET_COLOR:
      {
        g_autofree char *lower = NULL;

        if (!x->live)
          return ROSTER_ERROR_NOT_FOUND;
        if (!color_valid (op->text2))
          return ROSTER_ERROR_INVALID;
        lower = g_ascii_strdown (op->text2, -1);
        ((RefCategory *) find (CATEGORIES (m), x->id))->color = intern (lower);
        return OK;
      }

    case OP_DELETE_CATEGORY:
      if (!x->live)
        return ROSTER_ERROR_NOT_FOUND;
      remove_links (m, 0, x->id);
      remove_record (CATEGORIES (m), x->id);
      return OK;

    case OP_TAG:
    case OP_UNTAG:
      {
        RefLink l = { x->id, y->id };
        gboolean found;
        guint i;

        if (!x->live || !y->live)
          return ROSTER_ERROR_NOT_FOUND;
        i = link_index (m, x->id, y->id, &found);
        if (op->kind == OP_TAG && !found)
          g_array_insert_val (m->links, i, l);
        else if (op->kind == OP_UNTAG && found)
          g_array_remove_index (m->links, i);
        return OK;
      }

    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------ */
/* A run: the store, the reference and what watches the store                */

/* Follows a live list through its items-changed alone, as a view would. */
typedef struct
{
  GListModel *model;
  GArray     *ids;
  char       *broken;
} Mirror;

typedef struct
{
  gint64   id;
  guint64  gen;
  GObject *object;
} Grave;

typedef struct
{
  char        *path;
  RosterStore *store;
  Model       *model;
  GPtrArray   *undo;         /* Model *, most recent last */
  GPtrArray   *redo;
  guint64      next_gen;
  GArray      *graves[N_KINDS];
  Mirror      *users_mirror;
  Mirror      *categories_mirror;
  GHashTable  *mirrors[N_KINDS];   /* id → Mirror: user's tasks, task's categories, category's tasks */
  gboolean     verbose;
  guint        step;
  Model       *batch_start;   /* the reference when the open batch began */
  gboolean     batch_changed;
  guint        outcomes[N_OPS][2];   /* succeeded, refused */
  guint        skipped;
  guint        full_checks;
} Run;

static gint64
object_id (gpointer object)
{
  if (ROSTER_IS_USER (object))
    return roster_user_get_id (object);
  if (ROSTER_IS_TASK (object))
    return roster_task_get_id (object);
  return roster_category_get_id (object);
}

static GArray *
list_ids (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      gint64 id = item ? object_id (item) : -1;
      g_array_append_val (ids, id);
    }
  return ids;
}

static void
on_mirror_items_changed (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Mirror     *mirror)
{
  if (mirror->broken != NULL)
    return;
  if (position + removed > mirror->ids->len)
    {
      mirror->broken = g_strdup_printf ("items-changed (%u, %u, %u) on a list of %u",
                                        position, removed, added, mirror->ids->len);
      return;
    }
  g_array_remove_range (mirror->ids, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, position + i);
      gint64 id = item ? object_id (item) : -1;
      g_array_insert_val (mirror->ids, MIN (position + i, mirror->ids->len), id);
    }
}

static Mirror *
mirror_new (GListModel *model)
{
  Mirror *mirror = g_new0 (Mirror, 1);

  mirror->model = model;
  mirror->ids = list_ids (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_mirror_items_changed), mirror);
  return mirror;
}

static void
mirror_free (gpointer data)
{
  Mirror *mirror = data;

  if (mirror == NULL)
    return;
  g_signal_handlers_disconnect_by_data (mirror->model, mirror);
  g_object_unref (mirror->model);
  g_array_unref (mirror->ids);
  g_free (mirror->broken);
  g_free (mirror);
}

static gboolean
ids_equal (GArray *a,
           GArray *b)
{
  /* memcmp() may not be given the NULL data of an empty array. */
  return a->len == b->len && (a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (gint64)) == 0);
}

static char *
ids_text (GArray *ids)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? " " : "", g_array_index (ids, gint64, i));
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

#define CHECK(cond, ...) \
  G_STMT_START { if (!(cond)) return g_strdup_printf (__VA_ARGS__); } G_STMT_END
#define TRY(expr) \
  G_STMT_START { char *_m = (expr); if (_m != NULL) return _m; } G_STMT_END

static char *
check_ids (const char *what,
           gint64      id,
           GArray     *actual,
           GArray     *expected)
{
  if (!ids_equal (actual, expected))
    {
      g_autofree char *a = ids_text (actual);
      g_autofree char *e = ids_text (expected);
      return g_strdup_printf ("%s %" G_GINT64_FORMAT ": the store has %s, the reference %s", what, id, a, e);
    }
  return NULL;
}

static char *
check_mirror (Mirror     *mirror,
              const char *what,
              gint64      id,
              GArray     *expected)
{
  CHECK (mirror->broken == NULL, "%s %" G_GINT64_FORMAT ": %s", what, id, mirror->broken);
  CHECK (g_list_model_get_n_items (mirror->model) == mirror->ids->len,
         "%s %" G_GINT64_FORMAT ": items-changed left %u items, the list has %u",
         what, id, mirror->ids->len, g_list_model_get_n_items (mirror->model));
  if (expected != NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s (followed through items-changed) of", what);
      TRY (check_ids (why, id, mirror->ids, expected));
    }
  return NULL;
}

static GListModel *
get_list (Run    *r,
          Kind    kind,
          gint64  id)
{
  g_autoptr(GError) error = NULL;

  if (kind == KIND_USER)
    {
      g_autoptr(RosterUser) u = roster_store_get_user (r->store, id, &error);
      return u ? roster_store_list_user_tasks (r->store, u) : NULL;
    }
  if (kind == KIND_TASK)
    {
      g_autoptr(RosterTask) t = roster_store_get_task (r->store, id, &error);
      return t ? roster_store_list_task_categories (r->store, t) : NULL;
    }
  {
    g_autoptr(RosterCategory) c = roster_store_get_category (r->store, id, &error);
    return c ? roster_store_list_category_tasks (r->store, c) : NULL;
  }
}

/* Only some tasks have their tag list watched: the others are read fresh. */
static gboolean
mirrored (Kind   kind,
          gint64 id)
{
  return kind != KIND_TASK || id % 3 != 0;
}

/* Watches the lists of objects that appeared, drops those of objects that
 * went (after checking that their lists emptied). */
static char *
sync_mirrors (Run *r)
{
  for (guint k = 0; k < N_KINDS; k++)
    {
      GHashTableIter iter;
      gpointer key, value;
      GArray *a = r->model->arrays[k];

      g_hash_table_iter_init (&iter, r->mirrors[k]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (find (a, *(gint64 *) key) == NULL)
          {
            Mirror *mirror = value;
            g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (gint64));

            TRY (check_mirror (mirror, "list of the deleted", *(gint64 *) key, none));
            g_hash_table_iter_remove (&iter);
          }

      for (guint i = 0; i < a->len; i++)
        {
          gint64 id = RECORD_ID (a, i);

          if (mirrored (k, id) && !g_hash_table_contains (r->mirrors[k], &id))
            {
              GListModel *list = get_list (r, k, id);

              CHECK (list != NULL, "the store has no %s %" G_GINT64_FORMAT, kind_name[k], id);
              g_hash_table_insert (r->mirrors[k], g_memdup2 (&id, sizeof id), mirror_new (list));
            }
        }
    }
  return NULL;
}

static char *
check_user (Run    *r,
            gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterUser) u = roster_store_get_user (r->store, id, &error);
  RefUser *ref = find (USERS (r->model), id);
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) actual = NULL;
  g_autoptr(GListModel) list = NULL;
  guint open = 0;

  if (ref == NULL)
    {
      CHECK (u == NULL, "user %" G_GINT64_FORMAT " is gone from the reference but not from the store", id);
      return NULL;
    }
  CHECK (u != NULL, "the store has no user %" G_GINT64_FORMAT ": %s", id, error->message);
  CHECK (g_strcmp0 (roster_user_get_username (u), ref->name) == 0,
         "user %" G_GINT64_FORMAT " is called “%s” in the store, “%s” in the reference",
         id, roster_user_get_username (u), ref->name);

  expected = expected_user_tasks (r->model, id);
  for (guint i = 0; i < expected->len; i++)
    open += !((RefTask *) find (TASKS (r->model), g_array_index (expected, gint64, i)))->done;
  CHECK (roster_user_get_n_tasks (u) == expected->len,
         "user %" G_GINT64_FORMAT ": n-tasks is %u, the reference has %u",
         id, roster_user_get_n_tasks (u), expected->len);
  CHECK (roster_user_get_n_open_tasks (u) == open,
         "user %" G_GINT64_FORMAT ": n-open-tasks is %u, the reference has %u",
         id, roster_user_get_n_open_tasks (u), open);

  TRY (check_mirror (g_hash_table_lookup (r->mirrors[KIND_USER], &id), "task list of user", id, expected));
  list = roster_store_list_user_tasks (r->store, u);
  actual = list_ids (list);
  TRY (check_ids ("task list of user", id, actual, expected));
  return NULL;
}

static char *
check_task (Run    *r,
            gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterTask) t = roster_store_get_task (r->store, id, &error);
  RefTask *ref = find (TASKS (r->model), id);
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) actual = NULL;
  g_autoptr(GListModel) list = NULL;
  GDateTime *due;
  g_autofree char *due_text = NULL;

  if (ref == NULL)
    {
      CHECK (t == NULL, "task %" G_GINT64_FORMAT " is gone from the reference but not from the store", id);
      return NULL;
    }
  CHECK (t != NULL, "the store has no task %" G_GINT64_FORMAT ": %s", id, error->message);
  CHECK (g_strcmp0 (roster_task_get_title (t), ref->title) == 0,
         "task %" G_GINT64_FORMAT " has title “%s” in the store, “%s” in the reference",
         id, roster_task_get_title (t), ref->title);
  CHECK (roster_task_get_owner_id (t) == ref->owner,
         "task %" G_GINT64_FORMAT " belongs to user %" G_GINT64_FORMAT " in the store, %" G_GINT64_FORMAT " in the reference",
         id, roster_task_get_owner_id (t), ref->owner);
  {
    g_autoptr(RosterUser) owner = roster_store_get_user (r->store, ref->owner, NULL);
    CHECK (roster_task_get_owner (t) == owner, "task %" G_GINT64_FORMAT ": its owner object is not user %" G_GINT64_FORMAT "'s",
           id, ref->owner);
  }
  CHECK (roster_task_get_done (t) == ref->done, "task %" G_GINT64_FORMAT ": done is %d in the store, %d in the reference",
         id, roster_task_get_done (t), ref->done);
  CHECK (g_strcmp0 (roster_task_get_notes (t), ref->notes) == 0,
         "task %" G_GINT64_FORMAT ": the notes differ (store %zu bytes, reference %zu)", id,
         strlen (roster_task_get_notes (t) ? roster_task_get_notes (t) : ""), strlen (ref->notes));
  due = roster_task_get_due_date (t);
  if (due != NULL)
    due_text = g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (due), g_date_time_get_month (due),
                                g_date_time_get_day_of_month (due));
  CHECK (g_strcmp0 (due_text, ref->due) == 0, "task %" G_GINT64_FORMAT ": due date %s in the store, %s in the reference",
         id, due_text ? due_text : "NULL", ref->due ? ref->due : "NULL");

  expected = expected_task_categories (r->model, id);
  if (mirrored (KIND_TASK, id))
    TRY (check_mirror (g_hash_table_lookup (r->mirrors[KIND_TASK], &id), "tag list of task", id, expected));
  list = roster_store_list_task_categories (r->store, t);
  actual = list_ids (list);
  TRY (check_ids ("tag list of task", id, actual, expected));
  return NULL;
}

/* A category's tasks: the reference's set, oldest (lowest id) first, as a
 * tag gathers tasks from every user. */
static char *
check_category_tasks (Run        *r,
                      const char *what,
                      gint64      id,
                      GArray     *actual,
                      GArray     *expected)
{
  TRY (check_ids (what, id, actual, expected));
  return NULL;
}

static char *
check_category (Run    *r,
                gint64  id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterCategory) c = roster_store_get_category (r->store, id, &error);
  RefCategory *ref = find (CATEGORIES (r->model), id);
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) actual = NULL;
  g_autoptr(GListModel) list = NULL;
  Mirror *mirror;

  if (ref == NULL)
    {
      CHECK (c == NULL, "category %" G_GINT64_FORMAT " is gone from the reference but not from the store", id);
      return NULL;
    }
  CHECK (c != NULL, "the store has no category %" G_GINT64_FORMAT ": %s", id, error->message);
  CHECK (g_strcmp0 (roster_category_get_name (c), ref->name) == 0,
         "category %" G_GINT64_FORMAT " is called “%s” in the store, “%s” in the reference",
         id, roster_category_get_name (c), ref->name);
  CHECK (g_strcmp0 (roster_category_get_color (c), ref->color) == 0,
         "category %" G_GINT64_FORMAT " has colour %s in the store, %s in the reference",
         id, roster_category_get_color (c), ref->color);

  expected = expected_category_tasks (r->model, id);
  CHECK (roster_category_get_n_tasks (c) == expected->len,
         "category %" G_GINT64_FORMAT ": n-tasks is %u, the reference has %u",
         id, roster_category_get_n_tasks (c), expected->len);
  mirror = g_hash_table_lookup (r->mirrors[KIND_CATEGORY], &id);
  TRY (check_mirror (mirror, "task list of category", id, NULL));
  TRY (check_category_tasks (r, "task list (followed through items-changed) of category", id, mirror->ids, expected));
  list = roster_store_list_category_tasks (r->store, c);
  actual = list_ids (list);
  TRY (check_category_tasks (r, "task list of category", id, actual, expected));
  return NULL;
}

static char *
check_history (Run *r)
{
  CHECK (roster_store_get_can_undo (r->store) == (r->undo->len > 0),
         "can-undo is %d, the reference has %u steps to undo", roster_store_get_can_undo (r->store), r->undo->len);
  CHECK (roster_store_get_can_redo (r->store) == (r->redo->len > 0),
         "can-redo is %d, the reference has %u steps to redo", roster_store_get_can_redo (r->store), r->redo->len);
  return NULL;
}

static char *
check_top_lists (Run *r)
{
  g_autoptr(GArray) users = expected_named (r->model, KIND_USER);
  g_autoptr(GArray) categories = expected_named (r->model, KIND_CATEGORY);
  g_autoptr(GArray) actual_users = NULL;
  g_autoptr(GArray) actual_categories = NULL;
  g_autoptr(GListModel) user_list = roster_store_list_users (r->store);
  g_autoptr(GListModel) category_list = roster_store_list_categories (r->store);

  TRY (check_mirror (r->users_mirror, "user list", 0, users));
  TRY (check_mirror (r->categories_mirror, "category list", 0, categories));
  actual_users = list_ids (user_list);
  actual_categories = list_ids (category_list);
  TRY (check_ids ("user list", 0, actual_users, users));
  TRY (check_ids ("category list", 0, actual_categories, categories));
  return NULL;
}

/* The rows of the file, read through a connection of its own. */
static char *
check_file (Run *r)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  GString *file = g_string_new (NULL);
  GString *ref = g_string_new (NULL);
  Model *m = r->model;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (r->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  sqlite3_prepare_v2 (db, "SELECT id, username FROM user ORDER BY id", -1, &s, NULL);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (file, "user %s|%s\n", sqlite3_column_text (s, 0), sqlite3_column_text (s, 1));
  sqlite3_finalize (s);
  for (guint i = 0; i < USERS (m)->len; i++)
    {
      RefUser *u = &g_array_index (USERS (m), RefUser, i);
      g_string_append_printf (ref, "user %" G_GINT64_FORMAT "|%s\n", u->id, u->name);
    }

  sqlite3_prepare_v2 (db, "SELECT id, title, owner_id, done, notes, due_date FROM task ORDER BY id", -1, &s, NULL);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (file, "task %s|%s|%s|%s|%s|%s\n", sqlite3_column_text (s, 0),
                            sqlite3_column_text (s, 1), sqlite3_column_text (s, 2), sqlite3_column_text (s, 3),
                            sqlite3_column_text (s, 4),
                            sqlite3_column_text (s, 5) ? (const char *) sqlite3_column_text (s, 5) : "NULL");
  sqlite3_finalize (s);
  for (guint i = 0; i < TASKS (m)->len; i++)
    {
      RefTask *t = &g_array_index (TASKS (m), RefTask, i);
      g_string_append_printf (ref, "task %" G_GINT64_FORMAT "|%s|%" G_GINT64_FORMAT "|%d|%s|%s\n", t->id,
                              t->title, t->owner, t->done, t->notes, t->due ? t->due : "NULL");
    }

  sqlite3_prepare_v2 (db, "SELECT owner_id, group_concat(id, ' ') FROM "
                          "(SELECT owner_id, id FROM task ORDER BY owner_id, position, id) GROUP BY owner_id",
                      -1, &s, NULL);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (file, "order %s|%s\n", sqlite3_column_text (s, 0), sqlite3_column_text (s, 1));
  sqlite3_finalize (s);
  for (guint i = 0; i < USERS (m)->len; i++)
    {
      gint64 id = g_array_index (USERS (m), RefUser, i).id;
      g_autoptr(GArray) tasks = expected_user_tasks (m, id);

      if (tasks->len == 0)
        continue;
      g_string_append_printf (ref, "order %" G_GINT64_FORMAT "|", id);
      for (guint j = 0; j < tasks->len; j++)
        g_string_append_printf (ref, "%s%" G_GINT64_FORMAT, j ? " " : "", g_array_index (tasks, gint64, j));
      g_string_append_c (ref, '\n');
    }

  sqlite3_prepare_v2 (db, "SELECT id, name, color FROM category ORDER BY id", -1, &s, NULL);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (file, "category %s|%s|%s\n", sqlite3_column_text (s, 0),
                            sqlite3_column_text (s, 1), sqlite3_column_text (s, 2));
  sqlite3_finalize (s);
  for (guint i = 0; i < CATEGORIES (m)->len; i++)
    {
      RefCategory *c = &g_array_index (CATEGORIES (m), RefCategory, i);
      g_string_append_printf (ref, "category %" G_GINT64_FORMAT "|%s|%s\n", c->id, c->name, c->color);
    }

  sqlite3_prepare_v2 (db, "SELECT task_id, category_id FROM taskcategorylink ORDER BY task_id, category_id",
                      -1, &s, NULL);
  while (sqlite3_step (s) == SQLITE_ROW)
    g_string_append_printf (file, "link %s|%s\n", sqlite3_column_text (s, 0), sqlite3_column_text (s, 1));
  sqlite3_finalize (s);
  for (guint i = 0; i < m->links->len; i++)
    {
      RefLink *l = &g_array_index (m->links, RefLink, i);
      g_string_append_printf (ref, "link %" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "\n", l->task, l->category);
    }
  sqlite3_close (db);

  if (!g_str_equal (file->str, ref->str))
    {
      /* Name the first line that differs. */
      g_auto(GStrv) a = g_strsplit (file->str, "\n", -1);
      g_auto(GStrv) b = g_strsplit (ref->str, "\n", -1);
      guint i = 0;

      while (a[i] && b[i] && g_str_equal (a[i], b[i]))
        i++;
      message = g_strdup_printf ("the file differs from the reference: file has “%s”, reference “%s”",
                                 a[i] ? a[i] : "(end)", b[i] ? b[i] : "(end)");
    }
  g_string_free (file, TRUE);
  g_string_free (ref, TRUE);
  return message;
}

static char *
check_all (Run *r)
{
  r->full_checks++;
  TRY (check_top_lists (r));
  for (guint k = 0; k < N_KINDS; k++)
    for (guint i = 0; i < r->model->arrays[k]->len; i++)
      {
        gint64 id = RECORD_ID (r->model->arrays[k], i);
        TRY (k == KIND_USER ? check_user (r, id) : k == KIND_TASK ? check_task (r, id) : check_category (r, id));
      }
  /* Undo brings back the very object a deleted row had. */
  for (guint k = 0; k < N_KINDS; k++)
    for (guint i = 0; i < r->graves[k]->len; i++)
      {
        Grave *g = &g_array_index (r->graves[k], Grave, i);
        g_autoptr(GObject) now = NULL;

        if (gen_of (r->model, k, g->id) != g->gen)
          continue;
        now = k == KIND_USER ? G_OBJECT (roster_store_get_user (r->store, g->id, NULL))
            : k == KIND_TASK ? G_OBJECT (roster_store_get_task (r->store, g->id, NULL))
            : G_OBJECT (roster_store_get_category (r->store, g->id, NULL));
        CHECK (now == g->object, "%s %" G_GINT64_FORMAT " came back as another object", kind_name[k], g->id);
      }
  TRY (check_history (r));
  TRY (check_file (r));
  return NULL;
}

/* Compares what changed between two states of the reference: the records
 * that differ and every object whose lists they show in. */
static char *
check_touched (Run   *r,
               Model *before,
               const Operand *x,
               const Operand *y,
               OpKind kind)
{
  GHashTable *touched[N_KINDS];
  Model *after = r->model;
  GHashTableIter iter;
  gpointer key;
  char *message = NULL;

  for (guint k = 0; k < N_KINDS; k++)
    touched[k] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
#define TOUCH(k, id) G_STMT_START { gint64 _id = (id); \
    if (_id > 0) g_hash_table_add (touched[k], g_memdup2 (&_id, sizeof _id)); } G_STMT_END

  /* The operands, so that a failed operation is seen to change nothing. */
  if (op_info[kind].first >= 0 && x->object != NULL)
    TOUCH (op_info[kind].first, x->id);
  if (op_info[kind].second >= 0 && y->object != NULL)
    TOUCH (op_info[kind].second, y->id);

  for (guint k = 0; k < N_KINDS; k++)
    {
      GArray *a = before->arrays[k], *b = after->arrays[k];
      guint i = 0, j = 0;

      while (i < a->len || j < b->len)
        {
          gint64 ia = i < a->len ? RECORD_ID (a, i) : G_MAXINT64;
          gint64 jb = j < b->len ? RECORD_ID (b, j) : G_MAXINT64;
          gconstpointer ra = ia <= jb ? a->data + i * record_size[k] : NULL;
          gconstpointer rb = jb <= ia ? b->data + j * record_size[k] : NULL;
          gint64 id = MIN (ia, jb);

          if (!same_record (k, ra, rb))
            {
              TOUCH (k, id);
              if (k == KIND_TASK)
                {
                  if (ra)
                    TOUCH (KIND_USER, ((const RefTask *) ra)->owner);
                  if (rb)
                    TOUCH (KIND_USER, ((const RefTask *) rb)->owner);
                  for (guint l = 0; l < before->links->len; l++)
                    if (g_array_index (before->links, RefLink, l).task == id)
                      TOUCH (KIND_CATEGORY, g_array_index (before->links, RefLink, l).category);
                  for (guint l = 0; l < after->links->len; l++)
                    if (g_array_index (after->links, RefLink, l).task == id)
                      TOUCH (KIND_CATEGORY, g_array_index (after->links, RefLink, l).category);
                }
              else if (k == KIND_CATEGORY)
                for (guint l = 0; l < after->links->len; l++)
                  if (g_array_index (after->links, RefLink, l).category == id)
                    TOUCH (KIND_TASK, g_array_index (after->links, RefLink, l).task);
            }
          if (ia <= jb)
            i++;
          if (jb <= ia)
            j++;
        }
    }
  {
    GArray *a = before->links, *b = after->links;
    guint i = 0, j = 0;

    while (i < a->len || j < b->len)
      {
        int cmp = i >= a->len ? 1 : j >= b->len ? -1
                : compare_links (&g_array_index (a, RefLink, i), &g_array_index (b, RefLink, j));
        RefLink *l = cmp <= 0 ? &g_array_index (a, RefLink, i) : &g_array_index (b, RefLink, j);

        if (cmp != 0)
          {
            TOUCH (KIND_TASK, l->task);
            TOUCH (KIND_CATEGORY, l->category);
          }
        if (cmp <= 0)
          i++;
        if (cmp >= 0)
          j++;
      }
  }
#undef TOUCH

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_hash_table_iter_init (&iter, touched[k]);
      while (message == NULL && g_hash_table_iter_next (&iter, &key, NULL))
        {
          gint64 id = *(gint64 *) key;
          message = k == KIND_USER ? check_user (r, id) : k == KIND_TASK ? check_task (r, id) : check_category (r, id);
        }
    }
  for (guint k = 0; k < N_KINDS; k++)
    g_hash_table_unref (touched[k]);
  return message;
}

static void
graves_clear (Run *r)
{
  for (guint k = 0; k < N_KINDS; k++)
    {
      for (guint i = 0; i < r->graves[k]->len; i++)
        g_object_unref (g_array_index (r->graves[k], Grave, i).object);
      g_array_set_size (r->graves[k], 0);
    }
}

static void
bury (Run     *r,
      Kind     kind,
      gint64   id,
      guint64  gen,
      GObject *object)
{
  Grave g = { id, gen, g_object_ref (object) };

  if (r->graves[kind]->len == GRAVE_SIZE)
    {
      g_object_unref (g_array_index (r->graves[kind], Grave, 0).object);
      g_array_remove_index (r->graves[kind], 0);
    }
  g_array_append_val (r->graves[kind], g);
}

static char *
open_store (Run *r)
{
  g_autoptr(GError) error = NULL;

  r->store = roster_store_open (r->path, &error);
  CHECK (r->store != NULL, "cannot open the file: %s", error->message);
  r->users_mirror = mirror_new (roster_store_list_users (r->store));
  r->categories_mirror = mirror_new (roster_store_list_categories (r->store));
  TRY (sync_mirrors (r));
  return NULL;
}

/* Drops everything that holds the store, then checks it really goes. */
static char *
close_store (Run *r)
{
  RosterStore *store = r->store;

  if (store == NULL)
    return NULL;
  graves_clear (r);
  for (guint k = 0; k < N_KINDS; k++)
    g_hash_table_remove_all (r->mirrors[k]);
  g_clear_pointer (&r->users_mirror, mirror_free);
  g_clear_pointer (&r->categories_mirror, mirror_free);
  r->store = NULL;
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_object_unref (store);
  CHECK (store == NULL, "the store is still alive after the last reference to it went");
  return NULL;
}

/* A run on a new file in @dir, which the caller makes and removes. */
static Run *
run_new (const char *dir,
         gboolean    verbose)
{
  Run *r = g_new0 (Run, 1);

  r->path = g_build_filename (dir, "roster.db", NULL);
  r->model = model_new ();
  r->undo = g_ptr_array_new_with_free_func (model_free);
  r->redo = g_ptr_array_new_with_free_func (model_free);
  r->next_gen = 1;
  for (guint k = 0; k < N_KINDS; k++)
    {
      r->graves[k] = g_array_new (FALSE, FALSE, sizeof (Grave));
      r->mirrors[k] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, mirror_free);
    }
  r->verbose = verbose;
  return r;
}

static void
run_free (Run *r)
{
  g_autofree char *ignored = close_store (r);

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_array_unref (r->graves[k]);
      g_hash_table_unref (r->mirrors[k]);
    }
  model_free (r->model);
  g_clear_pointer (&r->batch_start, model_free);
  g_ptr_array_unref (r->undo);
  g_ptr_array_unref (r->redo);
  g_free (r->path);
  g_free (r);
}

static char *
reopen (Run *r)
{
  TRY (close_store (r));
  TRY (open_store (r));
  /* A new store starts with no history. */
  g_ptr_array_set_size (r->undo, 0);
  g_ptr_array_set_size (r->redo, 0);
  return check_all (r);
}

static void
resolve (Run     *r,
         int      kind,
         guint32  pick,
         gboolean stale,
         gint64   hint,
         Operand *o)
{
  GArray *a;

  memset (o, 0, sizeof *o);
  if (kind < 0)
    return;
  if (stale && r->graves[kind]->len > 0)
    {
      Grave *g = &g_array_index (r->graves[kind], Grave, pick % r->graves[kind]->len);

      for (guint i = 0; i < r->graves[kind]->len; i++)
        if (g_array_index (r->graves[kind], Grave, i).id == hint)
          g = &g_array_index (r->graves[kind], Grave, i);

      o->object = g_object_ref (g->object);
      o->id = g->id;
      o->gen = g->gen;
      o->live = gen_of (r->model, kind, g->id) == g->gen;
      return;
    }
  a = r->model->arrays[kind];
  if (a->len == 0)
    return;
  o->id = hint > 0 && find (a, hint) ? hint : RECORD_ID (a, pick % a->len);
  o->gen = gen_of (r->model, kind, o->id);
  o->live = TRUE;
  o->object = kind == KIND_USER ? G_OBJECT (roster_store_get_user (r->store, o->id, NULL))
            : kind == KIND_TASK ? G_OBJECT (roster_store_get_task (r->store, o->id, NULL))
            : G_OBJECT (roster_store_get_category (r->store, o->id, NULL));
}

/* Runs @op on the store; returns OK or the error code, and the id of a created row. */
static int
store_apply (Run           *r,
             const Op      *op,
             const Operand *x,
             const Operand *y,
             gint64        *new_id)
{
  g_autoptr(GError) error = NULL;
  RosterStore *s = r->store;
  gboolean ok;

  switch (op->kind)
    {
    case OP_CREATE_USER:
      {
        g_autoptr(RosterUser) u = roster_store_create_user (s, op->text, &error);
        ok = u != NULL;
        *new_id = u ? roster_user_get_id (u) : 0;
      }
      break;
    case OP_RENAME_USER:
      ok = roster_store_rename_user (s, ROSTER_USER (x->object), op->text, &error);
      break;
    case OP_DELETE_USER:
      ok = roster_store_delete_user (s, ROSTER_USER (x->object), op->b % 3,
                                     ROSTER_USER (y->object), &error);
      break;
    case OP_CREATE_TASK:
      {
        g_autoptr(RosterTask) t = roster_store_create_task (s, ROSTER_USER (x->object), op->text, &error);
        ok = t != NULL;
        *new_id = t ? roster_task_get_id (t) : 0;
      }
      break;
    case OP_SET_TITLE:
      ok = roster_store_set_task_title (s, ROSTER_TASK (x->object), op->text, &error);
      break;
    case OP_SET_DONE:
      ok = roster_store_set_task_done (s, ROSTER_TASK (x->object), op->c % 2, &error);
      break;
    case OP_SET_NOTES:
      ok = roster_store_set_task_notes (s, ROSTER_TASK (x->object), op->text, &error);
      break;
    case OP_SET_DUE:
      {
        g_autofree char *date = NULL;
        g_autoptr(GDateTime) dt = op_date (op->c, &date);
        ok = roster_store_set_task_due_date (s, ROSTER_TASK (x->object), dt, &error);
      }
      break;
    case OP_MOVE_TASK:
      ok = roster_store_move_task (s, ROSTER_TASK (x->object), ROSTER_USER (y->object), &error);
      break;
    case OP_REORDER_TASK:
      ok = roster_store_reorder_task (s, ROSTER_TASK (x->object), op->c, &error);
      break;
    case OP_DELETE_TASK:
      ok = roster_store_delete_task (s, ROSTER_TASK (x->object), &error);
      break;
    case OP_CREATE_CATEGORY:
      {
        g_autoptr(RosterCategory) c = roster_store_create_category (s, op->text, op->text2, &error);
        ok = c != NULL;
        *new_id = c ? roster_category_get_id (c) : 0;
      }
      break;
    case OP_RENAME_CATEGORY:
      ok = roster_store_rename_category (s, ROSTER_CATEGORY (x->object), op->text, &error);
      break;
    case OP_SET_COLOR:
      ok = roster_store_set_category_color (s, ROSTER_CATEGORY (x->object), op->text2, &error);
      break;
    case OP_DELETE_CATEGORY:
      ok = roster_store_delete_category (s, ROSTER_CATEGORY (x->object), &error);
      break;
    case OP_TAG:
      ok = roster_store_tag_task (s, ROSTER_TASK (x->object), ROSTER_CATEGORY (y->object), &error);
      break;
    case OP_UNTAG:
      ok = roster_store_untag_task (s, ROSTER_TASK (x->object), ROSTER_CATEGORY (y->object), &error);
      break;
    case OP_UNDO:
      ok = roster_store_undo (s, &error);
      break;
    case OP_REDO:
      ok = roster_store_redo (s, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok)
    return error == NULL ? OK : -3;
  if (error == NULL)
    return -2;
  if (error->domain != ROSTER_ERROR)
    return -3;
  return error->code;
}

/* Whether the objects the operation needs exist at all: an operation on
 * nothing is skipped (it can happen in a shrunk sequence). */
static gboolean
applicable (const Op      *op,
            const Operand *x,
            const Operand *y)
{
  /* An owner or heir may be left out on purpose: one operation in 20. */
  gboolean null_second = op->c % 20 == 0 &&
                         (op->kind == OP_MOVE_TASK || op->kind == OP_DELETE_USER);
  gboolean null_first = op->c % 20 == 0 && op->kind == OP_CREATE_TASK;

  if (op_info[op->kind].first >= 0 && x->object == NULL && !null_first)
    return FALSE;
  if (op_info[op->kind].second >= 0 && y->object == NULL && !null_second &&
      !(op->kind == OP_DELETE_USER && op->b % 3 != ROSTER_DELETE_USER_MOVE_TASKS))
    return FALSE;
  return TRUE;
}

/* Everything the store shows again after a commit or rollback: the lists,
 * and the objects that differ between @before and now. */
static char *
check_after_batch (Run   *r,
                   Model *before)
{
  Operand none = { 0 };

  TRY (sync_mirrors (r));
  TRY (check_top_lists (r));
  TRY (check_touched (r, before, &none, &none, OP_END_BATCH));
  return check_history (r);
}

static char *
end_batch (Run      *r,
           gboolean  rollback)
{
  Model *start = g_steal_pointer (&r->batch_start);
  char *message = NULL;

  if (rollback)
    {
      Model *done = r->model;

      /* Nothing of the batch stays: not the rows, not the objects it made. */
      roster_store_rollback_batch (r->store);
      r->model = start;
      message = check_after_batch (r, done);
      model_free (done);
    }
  else
    {
      g_autoptr(GError) error = NULL;

      if (!roster_store_commit_batch (r->store, &error))
        message = g_strdup_printf ("the batch did not commit: %s", error ? error->message : "no error");
      /* One undo step for the whole batch, if anything in it changed something. */
      if (r->batch_changed)
        {
          g_ptr_array_add (r->undo, model_copy (start));
          if (r->undo->len > HISTORY_DEPTH)
            g_ptr_array_remove_index (r->undo, 0);
          g_ptr_array_set_size (r->redo, 0);
        }
      if (message == NULL)
        message = check_after_batch (r, start);
      model_free (start);
    }
  if (message != NULL)
    {
      g_autofree char *inner = message;
      message = g_strdup_printf ("after %s: %s", rollback ? "rolling the batch back" : "committing the batch", inner);
    }
  return message;
}

static char *
do_step (Run *r,
         Op  *op)
{
  Operand x, y;
  Model *before;
  gint64 new_id = 0;
  int actual, expected;
  char *message = NULL;
  gboolean in_batch = r->batch_start != NULL;

  /* What a shrunk sequence holds out of place is skipped. */
  if ((in_batch && (op->kind == OP_REOPEN || op->kind == OP_UNDO || op->kind == OP_REDO ||
                    op->kind == OP_BEGIN_BATCH)) ||
      (!in_batch && op->kind == OP_END_BATCH))
    {
      if (r->verbose)
        g_test_message ("  %u. %s: skipped here", r->step, op_info[op->kind].name);
      r->skipped++;
      return NULL;
    }
  if (op->kind == OP_BEGIN_BATCH || op->kind == OP_END_BATCH)
    {
      r->outcomes[op->kind][0]++;
      if (r->verbose)
        {
          Operand none = { 0 };
          g_autofree char *text = describe (op, &none, &none);
          g_test_message ("  %u. %s", r->step, text);
        }
      if (op->kind == OP_END_BATCH)
        return end_batch (r, op->c % 5 == 0);
      roster_store_begin_batch (r->store, "Random batch");
      r->batch_start = model_copy (r->model);
      r->batch_changed = FALSE;
      return NULL;
    }

  if (op->kind == OP_REOPEN)
    {
      r->outcomes[OP_REOPEN][0]++;
      if (r->verbose)
        g_test_message ("  %u. close and reopen the file", r->step);
      return reopen (r);
    }

  resolve (r, op_info[op->kind].first, op->a, op->stale & 1, op->id1, &x);
  resolve (r, op_info[op->kind].second, op->b, op->stale & 2, op->id2, &y);
  op->id1 = x.id;
  op->id2 = y.id;
  /* A live object the store does not have is a failure of its own. */
  if ((x.live && x.object == NULL) || (y.live && y.object == NULL))
    {
      message = g_strdup_printf ("the store has no %s %" G_GINT64_FORMAT,
                                 kind_name[x.live && x.object == NULL ? op_info[op->kind].first : op_info[op->kind].second],
                                 x.live && x.object == NULL ? x.id : y.id);
      goto out;
    }
  /* Left out on purpose (see applicable ()). */
  if (op->c % 20 == 0 && op->kind == OP_CREATE_TASK)
    {
      g_clear_object (&x.object);
      x.live = FALSE;
    }
  if (op->c % 20 == 0 && (op->kind == OP_MOVE_TASK || op->kind == OP_DELETE_USER))
    {
      g_clear_object (&y.object);
      y.live = FALSE;
    }
  if (!applicable (op, &x, &y))
    {
      if (r->verbose)
        {
          g_autofree char *text = describe (op, &x, &y);
          g_test_message ("  %u. %s: skipped, nothing to work on", r->step, text);
        }
      r->skipped++;
      goto out;
    }

  before = model_copy (r->model);
  actual = store_apply (r, op, &x, &y, &new_id);

  if (op->kind == OP_UNDO || op->kind == OP_REDO)
    {
      GPtrArray *from = op->kind == OP_UNDO ? r->undo : r->redo;
      GPtrArray *to = op->kind == OP_UNDO ? r->redo : r->undo;

      if (from->len == 0)
        expected = ROSTER_ERROR_NOTHING_TO_UNDO;
      else
        {
          g_ptr_array_add (to, r->model);
          r->model = g_ptr_array_steal_index (from, from->len - 1);
          expected = OK;
        }
    }
  else
    {
      expected = reference_apply (r->model, op, &x, &y, new_id, r->next_gen);
      if (new_id > 0)
        r->next_gen++;
      if (in_batch)
        r->batch_changed |= expected == OK && !model_equal (before, r->model);
      else if (expected == OK && !model_equal (before, r->model))
        {
          /* A change that changes something is one undo step and ends redo. */
          g_ptr_array_add (r->undo, model_copy (before));
          if (r->undo->len > HISTORY_DEPTH)
            g_ptr_array_remove_index (r->undo, 0);
          g_ptr_array_set_size (r->redo, 0);
        }
    }

  if (r->verbose)
    {
      g_autofree char *text = describe (op, &x, &y);
      g_test_message ("  %u. %s: %s%s%s", r->step, text, code_name (actual),
                      actual == expected ? "" : ", expected ", actual == expected ? "" : code_name (expected));
    }

  r->outcomes[op->kind][actual != OK]++;
  if (actual != expected)
    {
      g_autofree char *text = describe (op, &x, &y);
      message = g_strdup_printf ("%s: the store answered %s, the reference %s", text,
                                 code_name (actual), code_name (expected));
    }
  else if (expected == OK && !in_batch &&
           (op->kind == OP_DELETE_USER || op->kind == OP_DELETE_TASK || op->kind == OP_DELETE_CATEGORY))
    bury (r, op_info[op->kind].first, x.id, x.gen, x.object);

  /* Inside a batch, objects and lists change at the commit: only the answers count. */
  if (in_batch)
    {
      model_free (before);
      goto out;
    }

  if (message == NULL)
    message = sync_mirrors (r);
  /* Few users and categories: their lists are compared whole every step. */
  if (message == NULL)
    message = check_top_lists (r);
  if (message == NULL)
    message = check_touched (r, before, &x, &y, op->kind);
  if (message == NULL)
    message = check_history (r);
  if (message != NULL && op->kind != OP_UNDO && op->kind != OP_REDO && actual == expected)
    {
      g_autofree char *text = describe (op, &x, &y);
      g_autofree char *inner = message;
      message = g_strdup_printf ("after %s: %s", text, inner);
    }
  else if (message != NULL && actual == expected)
    {
      g_autofree char *inner = message;
      message = g_strdup_printf ("after %s: %s", op_info[op->kind].name, inner);
    }
  model_free (before);

out:
  g_clear_object (&x.object);
  g_clear_object (&y.object);
  return message;
}

/* ------------------------------------------------------------------------ */
/* Running in a child process                                                */

/* Where a child sends the operations it makes, or -1. */
static int stream_fd = -1;

static void
write_all (int            fd,
           gconstpointer  data,
           gsize          length)
{
  const char *p = data;

  while (length > 0)
    {
      gssize w = write (fd, p, length);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        _exit (4);
      p += w;
      length -= w;
    }
}

static gboolean
read_all (int      fd,
          gpointer data,
          gsize    length)
{
  char *p = data;

  while (length > 0)
    {
      gssize r = read (fd, p, length);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        return FALSE;
      p += r;
      length -= r;
    }
  return TRUE;
}

static void
write_text (int         fd,
            const char *text)
{
  gint32 length = text ? (gint32) strlen (text) : -1;

  write_all (fd, &length, sizeof length);
  if (length > 0)
    write_all (fd, text, length);
}

static gboolean
read_text (int          fd,
           const char **text)
{
  gint32 length;
  g_autofree char *buffer = NULL;

  if (!read_all (fd, &length, sizeof length))
    return FALSE;
  if (length < 0)
    {
      *text = NULL;
      return TRUE;
    }
  buffer = g_malloc (length + 1);
  if (!read_all (fd, buffer, length))
    return FALSE;
  buffer[length] = 0;
  *text = intern (buffer);
  return TRUE;
}

#define END_OF_RUN G_MAXUINT32
/* In stale: this record replaces the one before (with the ids it picked). */
#define REPLACES 0x80

static void
write_op (int       fd,
          const Op *op,
          gboolean  replaces)
{
  guint32 head[5] = { op->kind, op->a, op->b, op->c, op->stale | (replaces ? REPLACES : 0) };
  gint64 ids[2] = { op->id1, op->id2 };

  write_all (fd, head, sizeof head);
  write_all (fd, ids, sizeof ids);
  write_text (fd, op->text);
  write_text (fd, op->text2);
}

/* An operation, or the end of the run: its failure (or NULL) in text,
 * where it failed in a, a summary in text2. */
static gboolean
read_op (int  fd,
         Op  *op)
{
  guint32 head[5];
  gint64 ids[2];

  if (!read_all (fd, head, sizeof head) || !read_all (fd, ids, sizeof ids))
    return FALSE;
  memset (op, 0, sizeof *op);
  op->id1 = ids[0];
  op->id2 = ids[1];
  op->kind = head[0];
  op->a = head[1];
  op->b = head[2];
  op->c = head[3];
  op->stale = head[4];
  return read_text (fd, &op->text) && read_text (fd, &op->text2);
}

/* A critical or warning from the store is a failure like the others: noted
 * instead of aborting, so that the sequence leading to it can be shrunk. */
static char *logged;

static gboolean
on_fatal_log (const char     *domain,
              GLogLevelFlags  level,
              const char     *message,
              gpointer        data)
{
  if (logged == NULL)
    logged = g_strdup_printf ("%s logged “%s”", domain ? domain : "GLib", message);
  return FALSE;
}

/* Runs @n steps: generated from @rand (and appended to @ops), or taken from
 * @ops. Returns NULL, or what went wrong and at which step. */
static char *
run_steps (Run      *r,
           GArray   *ops,
           GRand    *rand,
           guint     n,
           guint    *failed_at)
{
  char *message = open_store (r);
  OpKind last = OP_REOPEN;
  guint since_full_check = 0;

  for (r->step = 0; message == NULL && r->step < n; r->step++)
    {
      Op *op;

      if (rand != NULL)
        {
          Op made;

          random_op (rand, r->model, last, r->batch_start != NULL, &made);
          g_array_append_val (ops, made);
          /* Sent before it runs, so that a crash in it leaves it on record;
           * and again after, with the ids it picked. */
          if (stream_fd >= 0)
            write_op (stream_fd, &made, FALSE);
          last = made.kind;
        }
      op = &g_array_index (ops, Op, r->step);

      message = do_step (r, op);
      if (rand != NULL && stream_fd >= 0)
        write_op (stream_fd, op, TRUE);
      if (logged != NULL)
        {
          g_free (message);
          message = g_steal_pointer (&logged);
        }
      if (message == NULL && r->batch_start == NULL && ++since_full_check >= FULL_CHECK_EVERY)
        {
          message = check_all (r);
          since_full_check = 0;
        }
      if (message != NULL)
        {
          *failed_at = r->step;
          return message;
        }
    }
  if (message == NULL && r->batch_start != NULL)
    message = end_batch (r, FALSE);
  if (message == NULL)
    message = reopen (r);
  *failed_at = n > 0 ? n - 1 : 0;
  return message;
}

static char *
summarize (Run    *r,
           GTimer *timer)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%u steps in %.1f s: %u users, %u tasks, %u categories, %u links at the end; "
                          "succeeded/refused:", r->step, g_timer_elapsed (timer, NULL), USERS (r->model)->len,
                          TASKS (r->model)->len, CATEGORIES (r->model)->len, r->model->links->len);
  for (guint k = 0; k < N_OPS; k++)
    g_string_append_printf (out, " %s %u/%u,", op_info[k].name, r->outcomes[k][0], r->outcomes[k][1]);
  g_string_append_printf (out, " skipped %u, full comparisons %u", r->skipped, r->full_checks);
  return g_string_free (out, FALSE);
}

/* Runs the steps in a child process, so that even a crash of the store is a
 * failure that can be shrunk. With @rand, the operations are made up as it
 * goes and come back into @ops through a pipe; otherwise @ops are replayed.
 * Returns the failure or NULL, and where it happened. */
static char *
run_isolated (GArray    *ops,
              GRand     *rand,
              guint      n,
              gboolean   verbose,
              gboolean   quiet,
              guint     *failed_at,
              char     **summary)
{
  /* Made and removed here, not in the child: a child that dies (a crash, an
   * assertion, _exit) would leave it behind. */
  g_autofree char *dir = roster_test_make_dir ("roster-random-XXXXXX");
  int fds[2];
  pid_t pid;
  char *message = NULL;
  gboolean ended = FALSE;
  int status;
  Op op;

  g_assert_cmpint (pipe (fds), ==, 0);
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      GTimer *timer = g_timer_new ();
      Run *r = run_new (dir, verbose);
      guint32 end[5] = { END_OF_RUN, 0, 0, 0, 0 };
      gint64 no_ids[2] = { 0, 0 };
      char *text, *stats;

      close (fds[0]);
      /* Freed memory filled with garbage: a use after free crashes every time. */
      mallopt (M_PERTURB, 0xa5);
      if (quiet)
        {
          int null = open ("/dev/null", O_WRONLY);
          dup2 (null, STDERR_FILENO);
        }
      stream_fd = rand ? fds[1] : -1;
      text = run_steps (r, ops, rand, n, &end[1]);
      stats = summarize (r, timer);
      run_free (r);
      write_all (fds[1], end, sizeof end);
      write_all (fds[1], no_ids, sizeof no_ids);
      write_text (fds[1], text);
      write_text (fds[1], stats);
      /* _exit () runs no cleanup: free by hand, for valgrind's leak check. */
      g_free (text);
      g_free (stats);
      g_timer_destroy (timer);
      fflush (stdout);
      _exit (0);
    }

  close (fds[1]);
  while (read_op (fds[0], &op))
    {
      if (op.kind == END_OF_RUN)
        {
          ended = TRUE;
          *failed_at = op.a;
          message = g_strdup (op.text);
          if (summary != NULL)
            *summary = g_strdup (op.text2);
          break;
        }
      if ((op.stale & REPLACES) && ops->len > 0)
        {
          op.stale &= ~REPLACES;
          g_array_index (ops, Op, ops->len - 1) = op;
        }
      else
        g_array_append_val (ops, op);
    }
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  roster_test_remove_tree (dir);

  if (!ended)
    {
      /* It died in the middle: in the last operation it was sent. */
      *failed_at = ops->len > 0 ? ops->len - 1 : 0;
      if (summary != NULL)
        *summary = g_strdup ("");
      if (WIFSIGNALED (status))
        message = g_strdup_printf ("the process died of signal %d (%s)", WTERMSIG (status),
                                   g_strsignal (WTERMSIG (status)));
      else
        message = g_strdup_printf ("the process ended with status %d", WEXITSTATUS (status));
    }
  else if (message == NULL && (!WIFEXITED (status) || WEXITSTATUS (status) != 0))
    message = g_strdup_printf ("the process ended with status %d after the run (valgrind errors?)",
                               WIFEXITED (status) ? WEXITSTATUS (status) : -1);
  return message;
}

static char *
replay (GArray   *ops,
        guint    *failed_at,
        gboolean  verbose)
{
  return run_isolated (ops, NULL, ops->len, verbose, !verbose, failed_at, NULL);
}

/* A failure without its numbers: ids and counts change as a sequence shrinks,
 * the kind of failure should not. */
static char *
signature (const char *message)
{
  GString *out = g_string_new (NULL);

  for (const char *p = message; *p; p++)
    if (!g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static gboolean
fails_the_same (GArray     *ops,
                const char *wanted,
                guint      *at)
{
  g_autofree char *message = ops->len > 0 ? replay (ops, at, FALSE) : NULL;
  g_autofree char *found = message ? signature (message) : NULL;

  return found != NULL && g_str_equal (found, wanted);
}

/* Drops chunks of operations, ever smaller, while the sequence still fails
 * the same way. Takes @best. */
static GArray *
shrink_pass (GArray     *best,
             const char *wanted,
             double      seconds,
             guint      *tries)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  guint chunk = MAX (best->len / 2, 1), last_len = 0;

  while (g_timer_elapsed (timer, NULL) < seconds)
    {
      guint start = 0;

      while (start < best->len && g_timer_elapsed (timer, NULL) < seconds)
        {
          GArray *candidate = g_array_new (FALSE, FALSE, sizeof (Op));
          guint end = MIN (start + chunk, best->len);
          guint at = 0;

          g_array_append_vals (candidate, best->data, start);
          g_array_append_vals (candidate, &g_array_index (best, Op, end), best->len - end);
          (*tries)++;
          if (fails_the_same (candidate, wanted, &at))
            {
              g_array_set_size (candidate, MIN (candidate->len, at + 1));
              g_array_unref (best);
              best = candidate;
            }
          else
            {
              g_array_unref (candidate);
              start += chunk;
            }
        }
      /* At single operations, go on while a pass still removes one. */
      if (chunk == 1 && best->len == last_len)
        break;
      last_len = best->len;
      chunk = MAX (MIN (chunk / 2, best->len / 2), 1);
    }
  return best;
}

static GArray *
forget_ids (GArray *ops)
{
  GArray *copy = array_copy (ops);

  for (guint i = 0; i < copy->len; i++)
    g_array_index (copy, Op, i).id1 = g_array_index (copy, Op, i).id2 = 0;
  return copy;
}

/* Two ways: keeping to the objects first picked, then by picks alone (which
 * can drop the operations that only made the ids line up); the shorter wins. */
static GArray *
shrink (GArray     *ops,
        guint       failed_at,
        const char *failure)
{
  g_autofree char *wanted = signature (failure);
  g_autoptr(GTimer) timer = g_timer_new ();
  GArray *best = g_array_new (FALSE, FALSE, sizeof (Op));
  GArray *other;
  guint tries = 0, at = 0;

  g_array_append_vals (best, ops->data, failed_at + 1);
  other = forget_ids (best);
  best = shrink_pass (best, wanted, SHRINK_SECONDS / 2, &tries);
  {
    GArray *shorter = forget_ids (best);

    if (fails_the_same (shorter, wanted, &at))
      {
        g_array_unref (other);
        other = shorter;
      }
    else
      g_array_unref (shorter);
  }
  if (fails_the_same (other, wanted, &at))
    {
      other = shrink_pass (other, wanted, SHRINK_SECONDS - g_timer_elapsed (timer, NULL), &tries);
      if (other->len < best->len)
        {
          g_array_unref (best);
          best = g_steal_pointer (&other);
        }
    }
  g_clear_pointer (&other, g_array_unref);
  g_test_message ("shrunk to %u operations in %u tries, %.0f s", best->len, tries, g_timer_elapsed (timer, NULL));
  return best;
}

static void
test_random_operations (void)
{
  guint32 seed = roster_test_env_number ("ROSTER_RANDOM_SEED", g_test_rand_int ());
  guint steps = roster_test_env_number ("ROSTER_RANDOM_STEPS", DEFAULT_STEPS);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) ops = g_array_new (FALSE, FALSE, sizeof (Op));
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *message = NULL;
  g_autofree char *summary = NULL;
  guint failed_at = 0;

  batches = roster_test_env_number ("ROSTER_RANDOM_BATCHES", 1) != 0;
  g_test_log_set_fatal_handler (on_fatal_log, NULL);
  pool = g_string_chunk_new (4096);
  collate_keys = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  g_test_message ("seed %u (ROSTER_RANDOM_SEED=%u to run it again), %u steps", seed, seed, steps);
  message = run_isolated (ops, rand, steps, FALSE, FALSE, &failed_at, &summary);
  g_test_message ("%s (%.1f s in all)", summary, g_timer_elapsed (timer, NULL));

  if (message != NULL)
    {
      g_autoptr(GArray) minimal = NULL;
      g_autofree char *again = NULL;
      guint at = 0;

      g_test_message ("seed %u: step %u failed: %s", seed, failed_at, message);
      minimal = shrink (ops, failed_at, message);
      g_test_message ("the shortest failing sequence found (seed %u):", seed);
      again = replay (minimal, &at, TRUE);
      g_test_message ("which fails with: %s", again ? again : "(nothing: the failure did not repeat)");
      g_test_fail_printf ("seed %u, step %u: %s; %u operations reproduce it (listed above)",
                          seed, failed_at, message, minimal->len);
    }
  g_test_log_set_fatal_handler (NULL, NULL);
  g_clear_pointer (&logged, g_free);

  g_hash_table_unref (collate_keys);
  g_string_chunk_free (pool);
}

int
main (int   argc,
      char *argv[])
{
  /* Names sort as in the application: by the locale's collation. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/random/operations", test_random_operations);

  return g_test_run ();
}
