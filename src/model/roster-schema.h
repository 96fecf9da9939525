/* roster-schema.h: the steps of opening a file (private to the model layer).
 *
 * roster-schema.c opens a file in two parts: _roster_schema_check() asks
 * only read-only questions (is it a Roster file, which version, which journal
 * mode) and refuses what Roster may not use; _roster_schema_prepare() then
 * does what must be written before the store can use the file: the
 * soundness check, the backup, the migration and the switch to WAL. The
 * synchronous open (roster_store_open_full) runs both at once; for a file
 * that needs preparing, roster-prepare.c runs them in a worker thread with a
 * connection of its own, and a RosterPrepareMeter turns the work done into
 * progress and stops it when it is cancelled.
 */
#pragma once

#include <sqlite3.h>

#include "roster-store.h"

G_BEGIN_DECLS

/* A file being opened: what the read-only questions found. */
typedef struct
{
  char      *path;
  char      *display;     /* the path for a person */
  sqlite3   *db;
  gint64     version;     /* PRAGMA user_version */
  gboolean   create;      /* empty: gets the seed's DDL, then the migrations */
  gboolean   read_only;   /* asked for, or all SQLite could do */
} RosterSchemaFile;

void      _roster_schema_file_clear      (RosterSchemaFile   *file);

/* Opens @path and asks it the read-only questions (creating it first when
 * missing, unless read-only). A file Roster refuses is left as it was. */
gboolean  _roster_schema_check           (const char         *path,
                                          RosterOpenFlags     flags,
                                          RosterSchemaFile   *file,
                                          GError            **error);
/* Whether the store could not use @file before something is written to it
 * (a migration, or the switch to WAL), which may take a while. */
gboolean  _roster_schema_needs_preparing (RosterSchemaFile   *file);

/* The steps of preparing a file, in order; each one may be left out. */
typedef enum
{
  ROSTER_PREPARE_CHECK,      /* PRAGMA quick_check: every page read */
  ROSTER_PREPARE_PROBLEMS,   /* PRAGMA foreign_key_check: every row read */
  ROSTER_PREPARE_BACKUP,     /* the copy made before the migration */
  ROSTER_PREPARE_MIGRATE,    /* the migrations, one transaction */
  ROSTER_PREPARE_FINISH,     /* COMMIT and the switch to WAL: no longer cancelled */
  ROSTER_PREPARE_N_STEPS
} RosterPrepareStep;

typedef struct _RosterPrepareMeter RosterPrepareMeter;

/* Writes what @file needs (see above) and leaves @file->db ready for the
 * store. Rows that break a foreign key are added to @problems. @meter may be
 * NULL (the synchronous open). On failure or when cancelled, the file is
 * left byte-for-byte as it was (only a backup may have been written). */
gboolean  _roster_schema_prepare         (RosterSchemaFile   *file,
                                          GPtrArray          *problems,
                                          RosterPrepareMeter *meter,
                                          GError            **error);

/* roster-prepare.c: the meter. Every function accepts a NULL meter.
 * _plan() is given the steps that will run (a bit mask of 1 << step) and the
 * connection, which it watches from then on (a progress handler); _begin()
 * starts a step; _set() gives the fraction of a step done where the meter
 * cannot count it itself (the backup). */
void      _roster_prepare_meter_plan     (RosterPrepareMeter *meter,
                                          sqlite3            *db,
                                          guint               steps,
                                          gint64              version);
void      _roster_prepare_meter_begin    (RosterPrepareMeter *meter,
                                          RosterPrepareStep   step);
void      _roster_prepare_meter_set      (RosterPrepareMeter *meter,
                                          double              fraction);
/* TRUE, with G_IO_ERROR_CANCELLED in @error, once the caller cancelled. */
gboolean  _roster_prepare_meter_cancelled (RosterPrepareMeter *meter,
                                           GError            **error);

G_END_DECLS
