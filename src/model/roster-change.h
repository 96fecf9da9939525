/* roster-change.h: one undoable change, as the row operations it made.
 *
 * Every mutation of the store is recorded as a list of row operations (insert
 * this row, delete that one, update this one from old to new values). Run
 * forwards they do or redo the change; run backwards, in reverse order, they
 * undo it exactly, with the same ids. The same list tells the store which
 * objects and lists to update once the transaction has committed.
 */
#pragma once

#include "roster-store-private.h"

G_BEGIN_DECLS

typedef enum
{
  ROSTER_OP_INSERT,
  ROSTER_OP_DELETE,
  ROSTER_OP_UPDATE,
} RosterOpKind;

typedef enum
{
  ROSTER_TABLE_USER,
  ROSTER_TABLE_TASK,
  ROSTER_TABLE_CATEGORY,
  ROSTER_TABLE_LINK,
  /* A task's UID and last VTODO (roster_ical). A child of its task, as a
   * link is: recorded after the task's insert and before its delete. */
  ROSTER_TABLE_ICAL,
} RosterTable;

typedef struct
{
  guint8   kind;     /* RosterOpKind */
  guint8   table;    /* RosterTable */
  /* The object of a deleted row, kept so that undo brings back the same pointer. */
  GObject *object;
  union {
    struct { gint64 task_id, category_id; } link;
    /* Insert and delete: @a is the row. Update: @a the old values, @b the new. */
    struct { gpointer a, b; } rows;
  } u;
} RosterOp;

typedef struct
{
  char   *label;
  GArray *ops;       /* RosterOp */
} RosterChange;

RosterChange *roster_change_new     (const char   *label);
void          roster_change_free    (RosterChange *change);
/* Takes ownership of the rows. Returns the new op's index. */
guint         roster_change_add     (RosterChange *change,
                                     RosterOpKind  kind,
                                     RosterTable   table,
                                     gpointer      a,
                                     gpointer      b);
guint         roster_change_add_link (RosterChange *change,
                                      RosterOpKind  kind,
                                      gint64        task_id,
                                      gint64        category_id);

/* What an op does when run in @forward direction (undo runs it backwards). */
RosterOpKind  roster_op_effective_kind (const RosterOp *op,
                                        gboolean        forward);
/* The row as it is after the op ran in @forward direction (before, for a delete). */
gpointer      roster_op_effective_row  (const RosterOp *op,
                                        gboolean        forward);
gpointer      roster_op_previous_row   (const RosterOp *op,
                                        gboolean        forward);

/* Runs one op against the database; an insert of a row whose id is 0 stores the
 * id SQLite chose in the row. Returns an SQLite result code. */
int           roster_op_execute     (sqlite3      *db,
                                     GHashTable   *statements,
                                     RosterOp     *op,
                                     gboolean      forward);

/* An empty cache for roster_statement(), one per connection; free it before
 * the connection closes. */
GHashTable   *roster_statement_cache_new (void);
/* A cached prepared statement, reset and with no bindings. */
sqlite3_stmt *roster_statement      (sqlite3      *db,
                                     GHashTable   *statements,
                                     const char   *sql);

G_END_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterChange, roster_change_free)
