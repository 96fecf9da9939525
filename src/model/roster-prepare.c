/* roster-prepare.c: preparing a file for this version of Roster in a worker
 * thread, with progress and cancelling. See roster-prepare.h.
 *
 * The worker runs the same steps as the synchronous open (roster-schema.c,
 * roster-schema.h) on a connection of its own; a RosterPrepareMeter watches
 * that connection. How far it got is an estimate of the work done against
 * the work the file needs, step by step:
 *
 * - each step's share of the whole is what it took on the benchmark's
 *   million-task file (bench/README.md); every step is a pass or two over
 *   the same tables, so the shares hold for other sizes;
 * - within a step, the meter counts what SQLite does: the pages it reads
 *   for the soundness check (every page, then the tables again), the
 *   progress handler's calls (one per TICK_OPS virtual machine steps) for
 *   the foreign-key check and the migration, each expected in proportion to
 *   the tasks and the links the file holds, and the pages copied for the
 *   backup. Sorting an index counts nothing, so the bar rests meanwhile.
 *
 * The fraction never goes down and ends at 1. The progress handler also
 * stops SQLite once the caller cancels; the migration then rolls back.
 */
#define G_LOG_DOMAIN "roster-prepare"

#include "roster-prepare.h"
#include "roster-schema.h"
#include "roster-store-private.h"

/* Virtual machine steps between two calls of the progress handler. */
#define TICK_OPS 1000

/* Each step's share: the milliseconds it took on the million-task file
 * (G_MESSAGES_DEBUG=roster-prepare prints them, with what the meter counted). */
static const double step_cost[ROSTER_PREPARE_N_STEPS] = {
  [ROSTER_PREPARE_CHECK] = 400,
  [ROSTER_PREPARE_PROBLEMS] = 550,
  [ROSTER_PREPARE_BACKUP] = 300,
  [ROSTER_PREPARE_MIGRATE] = 0,      /* the sum of migration_cost[].ms */
  [ROSTER_PREPARE_FINISH] = 130,
};

/* The soundness check reads every page, then the tables once more. */
#define CHECK_PAGE_READS 1.6

/* The foreign-key check: progress handler calls per task and per link. */
static const double problems_ticks[2] = { 0.008, 0.008 };

/* What each migration (migrations[] in roster-schema.c) costs: its share in
 * milliseconds, and the progress handler calls per task and per link.
 * Append one with each migration. */
static const struct {
  double ms;
  double per_task;
  double per_link;
} migration_cost[] = {
  { 1850, 0.010, 0.010 },   /* two indexes: tasks by owner, links by tag */
  { 1100, 0.029, 0.007 },   /* counts, Find's list of tasks to index */
  { 900, 0.027, 0.000 },    /* roster_ical: a UID for every task, then its index */
  { 15, 0.000, 0.000 },     /* due time, priority, repeat: three columns, no row rewritten (13.5 ms) */
  { 200, 0.010, 0.000 },    /* the index of open dated tasks (Plan views) */
  { 1, 0.000, 0.000 },      /* the sync tables and their triggers: empty, nothing read */
  { 1, 0.000, 0.000 },      /* an import's own UIDs and counts: a table, two triggers, no rows */
  { 60, 0.010, 0.000 },     /* the index of open tasks with a due time (reminders) */
  { 1, 0.000, 0.000 },      /* the sync lease: an empty table */
  { 1, 0.000, 0.000 },      /* what the sync's PUTs carry until answered: an empty table */
};
G_STATIC_ASSERT (G_N_ELEMENTS (migration_cost) == ROSTER_SCHEMA_VERSION);

struct _RosterPrepareMeter
{
  GCancellable       *cancellable;
  sqlite3            *db;
  /* From _plan(): each step's share of the whole and where it starts, and
   * the size of the file. */
  double              share[ROSTER_PREPARE_N_STEPS];
  double              start[ROSTER_PREPARE_N_STEPS];
  gint64              version;
  gint64              pages;
  gint64              tasks;
  gint64              links;
  /* The step running, what it counts from where, and how much it expects. */
  RosterPrepareStep   step;
  gboolean            by_pages;
  gint64              base;
  double              expected;
  gint64              ticks;
  gint64              step_began;     /* g_get_monotonic_time () */
  gint64              step_pages;
  gint64              step_ticks;
  /* The highest fraction so far, and how to tell it (worker thread). */
  double              done;
  void              (*report) (RosterPrepareMeter *meter,
                               double              fraction);
};

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gint64
pages_read (RosterPrepareMeter *meter)
{
  int current = 0, highest = 0;

  sqlite3_db_status (meter->db, SQLITE_DBSTATUS_CACHE_MISS, &current, &highest, FALSE);
  return current;
}

static void
meter_update (RosterPrepareMeter *meter,
              double              fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction <= meter->done)
    return;
  meter->done = fraction;
  if (meter->report != NULL)
    meter->report (meter, fraction);
}

static double
migration_ticks (RosterPrepareMeter *meter,
                 gint64              v)
{
  return migration_cost[v].per_task * meter->tasks + migration_cost[v].per_link * meter->links;
}

/* The migrations run one after the other, each at its own pace: @ticks
 * into them, how much of their time has gone by. */
static double
migrations_fraction (RosterPrepareMeter *meter,
                     double              ticks)
{
  double total = 0, done = 0;

  for (gint64 v = meter->version; v < ROSTER_SCHEMA_VERSION; v++)
    total += migration_cost[v].ms;
  for (gint64 v = meter->version; v < ROSTER_SCHEMA_VERSION && ticks > 0; v++)
    {
      double expected = migration_ticks (meter, v);

      done += migration_cost[v].ms * (expected > 0 ? MIN (ticks / expected, 1.0) : 1.0);
      ticks -= expected;
    }
  return total > 0 ? done / total : 0;
}

/* How much of the step running is done, as the meter sees it. */
static double
step_fraction (RosterPrepareMeter *meter)
{
  gint64 count;

  if (meter->expected <= 0)
    return 0;
  count = meter->by_pages ? pages_read (meter) : meter->ticks;
  if (meter->step == ROSTER_PREPARE_MIGRATE)
    return migrations_fraction (meter, count - meter->base);
  return (count - meter->base) / meter->expected;
}

static int
meter_tick_cb (gpointer data)
{
  RosterPrepareMeter *meter = data;
  RosterPrepareStep step = meter->step;

  meter->ticks++;
  meter_update (meter, meter->start[step] + meter->share[step] * MIN (step_fraction (meter), 1.0));
  /* Non-zero interrupts SQLite: the step fails, and the migration rolls back. */
  return step != ROSTER_PREPARE_FINISH && g_cancellable_is_cancelled (meter->cancellable);
}

void
_roster_prepare_meter_plan (RosterPrepareMeter *meter,
                            sqlite3            *db,
                            guint               steps,
                            gint64              version)
{
  double cost[ROSTER_PREPARE_N_STEPS];
  double total = 0, start = 0;

  if (meter == NULL)
    return;

  meter->db = db;
  meter->version = version;
  meter->pages = query_int (db, "PRAGMA page_count");
  if ((steps & (1 << ROSTER_PREPARE_MIGRATE)) != 0)
    {
      /* Ids count up from 1 in the seed's tables: the largest is about how
       * many rows there are, found without reading them. */
      meter->tasks = query_int (db, "SELECT max(rowid) FROM task");
      meter->links = query_int (db, "SELECT max(rowid) FROM taskcategorylink");
    }

  for (guint step = 0; step < ROSTER_PREPARE_N_STEPS; step++)
    {
      cost[step] = 0;
      if ((steps & (1 << step)) == 0)
        continue;
      cost[step] = step_cost[step];
      if (step == ROSTER_PREPARE_MIGRATE)
        for (gint64 v = version; v < ROSTER_SCHEMA_VERSION; v++)
          cost[step] += migration_cost[v].ms;
      total += cost[step];
    }
  for (guint step = 0; step < ROSTER_PREPARE_N_STEPS; step++)
    {
      meter->share[step] = total > 0 ? cost[step] / total : 0;
      meter->start[step] = start;
      start += meter->share[step];
    }

  if (steps != 0)
    sqlite3_progress_handler (db, TICK_OPS, meter_tick_cb, meter);
}

void
_roster_prepare_meter_begin (RosterPrepareMeter *meter,
                             RosterPrepareStep   step)
{
  if (meter == NULL)
    return;

  /* What the step took, to set the costs above again:
   * G_MESSAGES_DEBUG=roster-prepare. */
  if (meter->step_began != 0)
    g_debug ("step %d: %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT " ticks, %" G_GINT64_FORMAT
             " pages read (file: %" G_GINT64_FORMAT " pages, %" G_GINT64_FORMAT " tasks, %"
             G_GINT64_FORMAT " links)",
             meter->step, (g_get_monotonic_time () - meter->step_began) / 1000,
             meter->ticks - meter->step_ticks, pages_read (meter) - meter->step_pages,
             meter->pages, meter->tasks, meter->links);
  meter->step_began = g_get_monotonic_time ();
  meter->step_pages = pages_read (meter);
  meter->step_ticks = meter->ticks;

  meter_update (meter, meter->start[step]);
  meter->step = step;
  meter->by_pages = step == ROSTER_PREPARE_CHECK;
  meter->base = meter->by_pages ? pages_read (meter) : meter->ticks;
  switch (step)
    {
    case ROSTER_PREPARE_CHECK:
      meter->expected = CHECK_PAGE_READS * meter->pages;
      break;
    case ROSTER_PREPARE_PROBLEMS:
      meter->expected = problems_ticks[0] * meter->tasks + problems_ticks[1] * meter->links;
      break;
    case ROSTER_PREPARE_MIGRATE:
      meter->expected = 0;
      for (gint64 v = meter->version; v < ROSTER_SCHEMA_VERSION; v++)
        meter->expected += migration_ticks (meter, v);
      break;
    case ROSTER_PREPARE_BACKUP:
    case ROSTER_PREPARE_FINISH:
    case ROSTER_PREPARE_N_STEPS:
    default:
      meter->expected = 0;
      break;
    }
}

void
_roster_prepare_meter_set (RosterPrepareMeter *meter,
                           double              fraction)
{
  if (meter == NULL)
    return;

  meter_update (meter, meter->start[meter->step] + meter->share[meter->step] * CLAMP (fraction, 0.0, 1.0));
}

gboolean
_roster_prepare_meter_cancelled (RosterPrepareMeter  *meter,
                                 GError             **error)
{
  return meter != NULL && g_cancellable_set_error_if_cancelled (meter->cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* The worker                                                                */

typedef struct
{
  RosterPrepareMeter  meter;          /* first: the meter's report finds the rest */
  GTask              *task;           /* alive while the worker runs */
  char               *path;
  RosterOpenFlags     flags;
  GMainContext       *context;        /* the caller's */
  RosterProgressFunc  progress;
  gpointer            progress_data;
  /* Set by the worker, in ten-thousandths; whether a report is on its way. */
  gint                reported;
  gint                report_pending;
  /* Main thread: what progress() was last given; the caller has the result. */
  gint                shown;
  gboolean            finished;
  /* The worker's result */
  GPtrArray          *problems;
  gboolean            read_only;
} Opening;

static void
opening_free (Opening *opening)
{
  g_clear_object (&opening->meter.cancellable);
  g_free (opening->path);
  g_main_context_unref (opening->context);
  g_ptr_array_unref (opening->problems);
  g_free (opening);
}

/* In the caller's main context: hands on the latest fraction. */
static void
show_progress (Opening *opening)
{
  int reported = g_atomic_int_get (&opening->reported);

  if (opening->finished || opening->progress == NULL || reported <= opening->shown)
    return;
  opening->shown = reported;
  opening->progress (reported / 10000.0, opening->progress_data);
}

static gboolean
show_progress_cb (gpointer data)
{
  Opening *opening = g_task_get_task_data (data);

  /* First: a fraction the worker sets from now on brings a report of its own. */
  g_atomic_int_set (&opening->report_pending, FALSE);
  show_progress (opening);
  return G_SOURCE_REMOVE;
}

/* In the worker: at most one report waits in the caller's main context. */
static void
report_cb (RosterPrepareMeter *meter,
           double              fraction)
{
  Opening *opening = (Opening *) meter;
  int value = (int) (fraction * 10000);

  if (value <= g_atomic_int_get (&opening->reported))
    return;
  g_atomic_int_set (&opening->reported, value);
  /* A source, not g_main_context_invoke(): that runs the function at once,
   * in this thread, whenever the caller's context is free to acquire (its
   * thread busy elsewhere), and the caller's callback touches widgets. */
  if (opening->progress != NULL && g_atomic_int_compare_and_exchange (&opening->report_pending, FALSE, TRUE))
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, show_progress_cb, g_object_ref (opening->task), g_object_unref);
      g_source_attach (source, opening->context);
    }
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Opening *opening = data;
  RosterSchemaFile file = { 0 };
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (cancellable, &error) &&
      _roster_schema_check (opening->path, opening->flags & ~ROSTER_OPEN_IF_READY, &file, &error) &&
      _roster_schema_prepare (&file, opening->problems, &opening->meter, &error))
    {
      opening->read_only = file.read_only;
      meter_update (&opening->meter, 1.0);
    }
  /* Closing the worker's connection ends its use of the file (and of WAL). */
  _roster_schema_file_clear (&file);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * roster_store_open_async:
 * @path: the database file; created (with its folder) when missing
 * @flags: how to open it (%ROSTER_OPEN_IF_READY is left out)
 * @cancellable: (nullable): stops the preparing; the file is then left as
 *   it was, and the result is %G_IO_ERROR_CANCELLED. Once the migration is
 *   being committed it is no longer stopped.
 * @progress: (nullable): told how far the preparing got, in the caller's
 *   main context, never after @callback
 * @progress_data: for @progress; must live until @callback is called
 * @callback: called in the caller's main context when done
 * @user_data: for @callback
 *
 * Prepares @path for this version of Roster in a worker thread with a
 * connection of its own (the soundness check, the foreign-key check, the
 * backup, the migration, the switch to WAL: what roster_store_open_full()
 * would do on the calling thread), then opens it. A file Roster refuses
 * fails as with roster_store_open_full(), with the same errors, and is
 * left untouched.
 */
void
roster_store_open_async (const char          *path,
                         RosterOpenFlags      flags,
                         GCancellable        *cancellable,
                         RosterProgressFunc   progress,
                         gpointer             progress_data,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Opening *opening;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, roster_store_open_async);
  /* A migration that committed before the cancel arrived is a success. */
  g_task_set_check_cancellable (task, FALSE);

  opening = g_new0 (Opening, 1);
  opening->meter.cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  opening->meter.report = report_cb;
  opening->task = task;
  opening->path = g_strdup (path);
  opening->flags = flags & ~ROSTER_OPEN_IF_READY;
  opening->context = g_main_context_ref_thread_default ();
  opening->progress = progress;
  opening->progress_data = progress_data;
  opening->problems = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, opening, (GDestroyNotify) opening_free);

  g_task_run_in_thread (task, open_thread);
}

/**
 * roster_store_open_finish:
 * @result: the result given to the callback
 *
 * Opens the store the worker prepared (quickly: there is nothing left to
 * write). Before it returns, the progress function has been given 1.
 *
 * Returns: (transfer full): the store, or NULL with @error set.
 */
RosterStore *
roster_store_open_finish (GAsyncResult  *result,
                          GError       **error)
{
  Opening *opening;
  RosterStore *store;
  GPtrArray *problems;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, roster_store_open_async), NULL);

  opening = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      opening->finished = TRUE;
      return NULL;
    }
  show_progress (opening);
  opening->finished = TRUE;

  store = roster_store_open_full (opening->path,
                                  opening->flags | (opening->read_only ? ROSTER_OPEN_READ_ONLY : 0),
                                  error);
  if (store == NULL)
    return NULL;

  /* Found as the file arrived, before its migration: the store says them
   * as if it had migrated the file itself. */
  problems = roster_store_get_problems (store);
  for (guint i = 0; i < opening->problems->len; i++)
    g_ptr_array_add (problems, g_strdup (g_ptr_array_index (opening->problems, i)));
  return store;
}
