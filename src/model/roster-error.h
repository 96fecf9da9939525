/* roster-error.h: the one error domain of Roster's model layer.
 *
 * Every failure the store reports is a GError in ROSTER_ERROR; the UI turns the
 * code into words for a person and keeps what they typed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ROSTER_ERROR (roster_error_quark ())

/**
 * RosterError:
 * @ROSTER_ERROR_EMPTY: a username, title or category name is empty or only white space
 * @ROSTER_ERROR_INVALID_UTF8: a string is not valid UTF-8
 * @ROSTER_ERROR_INVALID: some other value is malformed (a colour, a date, an index)
 * @ROSTER_ERROR_DUPLICATE: a username or category name is already taken
 * @ROSTER_ERROR_NO_OWNER: a task was given no owner, or an owner that no longer exists
 * @ROSTER_ERROR_HAS_TASKS: a user who still owns tasks was asked to be deleted alone
 * @ROSTER_ERROR_NOT_FOUND: the object was deleted (or never stored)
 * @ROSTER_ERROR_NOTHING_TO_UNDO: undo or redo with an empty history
 * @ROSTER_ERROR_NEWER_VERSION: the file was written by a newer Roster
 * @ROSTER_ERROR_NOT_ROSTER: the file is a database, but not one Roster can use
 * @ROSTER_ERROR_NOT_A_DATABASE: the file is damaged or not a database at all
 * @ROSTER_ERROR_READ_ONLY: the file or its folder cannot be written
 * @ROSTER_ERROR_BUSY: another program holds the file locked
 * @ROSTER_ERROR_DISK_FULL: there is no room left to write
 * @ROSTER_ERROR_FAILED: any other database failure
 * @ROSTER_ERROR_NEEDS_PREPARING: opened with %ROSTER_OPEN_IF_READY, the file
 *   must first be prepared for this version (migrated, or switched to WAL)
 */
typedef enum
{
  ROSTER_ERROR_EMPTY,
  ROSTER_ERROR_INVALID_UTF8,
  ROSTER_ERROR_INVALID,
  ROSTER_ERROR_DUPLICATE,
  ROSTER_ERROR_NO_OWNER,
  ROSTER_ERROR_HAS_TASKS,
  ROSTER_ERROR_NOT_FOUND,
  ROSTER_ERROR_NOTHING_TO_UNDO,
  ROSTER_ERROR_NEWER_VERSION,
  ROSTER_ERROR_NOT_ROSTER,
  ROSTER_ERROR_NOT_A_DATABASE,
  ROSTER_ERROR_READ_ONLY,
  ROSTER_ERROR_BUSY,
  ROSTER_ERROR_DISK_FULL,
  ROSTER_ERROR_FAILED,
  ROSTER_ERROR_NEEDS_PREPARING,
} RosterError;

GQuark roster_error_quark (void);

G_END_DECLS
