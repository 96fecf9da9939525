/* roster-sync-schema.h: the tables and triggers of CalDAV sync, as one
 * migration of migrations[] (roster-schema.c). Kept here, beside the module
 * that reads them (roster-sync-state.h says what each row means), so that
 * the schema file gains one line.
 *
 * How an edit reaches the outbox: every trigger below runs inside the
 * statement that changed the row, so the outbox row commits or rolls back
 * with the edit itself, whoever made it. One row per task (kind 0) or list
 * (kind 1): a second edit only bumps its seq (coalescing), and the engine
 * may drop the row only while seq is still what it sent
 * (roster_sync_state_finish()). The triggers exist only while an account is
 * set up (roster_sync_state_set_account() makes them in the file, in the
 * transaction that adds the account; forgetting it drops them), so a file
 * that does not sync pays nothing for them; and they write nothing while
 * the engine applies what the server sent (the account's applying = 1, set
 * only inside that transaction).
 *
 * A deleted task that the server knows becomes a tombstone (its href, ETag
 * and list) until the server confirms the DELETE; a deleted user's list row
 * stays, with user_id NULL, until the server confirms deleting the list.
 * The sync rows of a task go with it whoever deletes it.
 */
#pragma once

/* The outbox's kinds. */
#define ROSTER_SYNC_KIND_TASK 0
#define ROSTER_SYNC_KIND_LIST 1

/* Whether an edit now goes to the outbox (the triggers' WHEN). */
#define ROSTER_SYNC_QUEUES "EXISTS (SELECT 1 FROM roster_sync_account WHERE applying = 0)"

/* Queues (or bumps) the outbox row of one object. */
#define ROSTER_SYNC_QUEUE(kind, id) \
  "  INSERT INTO roster_sync_outbox (kind, object_id) VALUES (" kind ", " id ")\n" \
  "    ON CONFLICT (kind, object_id) DO UPDATE SET seq = seq + 1;\n"

#define ROSTER_SYNC_SCHEMA_SQL \
  "CREATE TABLE roster_sync_account (\n" \
  "  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),\n" \
  "  server_url TEXT NOT NULL,\n" \
  "  username TEXT NOT NULL,\n" \
  "  principal_href TEXT,\n" \
  "  home_href TEXT,\n" \
  "  last_sync TEXT,\n" \
  "  applying INTEGER NOT NULL DEFAULT 0);\n" \
  "CREATE TABLE roster_sync_list (\n" \
  "  id INTEGER NOT NULL PRIMARY KEY,\n" \
  "  user_id INTEGER UNIQUE,\n" \
  "  href TEXT NOT NULL UNIQUE,\n" \
  "  display_name TEXT,\n" \
  "  sync_token TEXT,\n" \
  "  ctag TEXT);\n" \
  "CREATE TABLE roster_sync_task (\n" \
  "  task_id INTEGER NOT NULL PRIMARY KEY,\n" \
  "  uid TEXT NOT NULL,\n" \
  "  href TEXT NOT NULL UNIQUE,\n" \
  "  list_href TEXT NOT NULL,\n" \
  "  etag TEXT,\n" \
  "  base TEXT);\n" \
  "CREATE TABLE roster_sync_outbox (\n" \
  "  id INTEGER NOT NULL PRIMARY KEY,\n" \
  "  kind INTEGER NOT NULL,\n" \
  "  object_id INTEGER NOT NULL,\n" \
  "  seq INTEGER NOT NULL DEFAULT 1,\n" \
  "  UNIQUE (kind, object_id));\n" \
  "CREATE TABLE roster_sync_tombstone (\n" \
  "  href TEXT NOT NULL PRIMARY KEY,\n" \
  "  uid TEXT NOT NULL,\n" \
  "  list_href TEXT NOT NULL,\n" \
  "  etag TEXT,\n" \
  "  base TEXT);\n"

/* Made when an account is set up and dropped with it: a file that does
 * not sync pays nothing on its inserts (a trigger costs even when its WHEN
 * is false). */
#define ROSTER_SYNC_TRIGGERS_SQL \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_task_insert AFTER INSERT ON task WHEN " ROSTER_SYNC_QUEUES " BEGIN\n" \
  ROSTER_SYNC_QUEUE ("0", "NEW.id") \
  "END;\n" \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_task_update AFTER UPDATE ON task WHEN " ROSTER_SYNC_QUEUES " BEGIN\n" \
  ROSTER_SYNC_QUEUE ("0", "NEW.id") \
  "END;\n" \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_task_delete AFTER DELETE ON task BEGIN\n" \
  "  INSERT OR REPLACE INTO roster_sync_tombstone (href, uid, list_href, etag, base)\n" \
  "    SELECT href, uid, list_href, etag, base FROM roster_sync_task\n" \
  "    WHERE task_id = OLD.id AND " ROSTER_SYNC_QUEUES ";\n" \
  "  DELETE FROM roster_sync_task WHERE task_id = OLD.id;\n" \
  "END;\n" \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_link_insert AFTER INSERT ON taskcategorylink WHEN " ROSTER_SYNC_QUEUES " BEGIN\n" \
  ROSTER_SYNC_QUEUE ("0", "NEW.task_id") \
  "END;\n" \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_link_delete AFTER DELETE ON taskcategorylink WHEN " ROSTER_SYNC_QUEUES " BEGIN\n" \
  ROSTER_SYNC_QUEUE ("0", "OLD.task_id") \
  "END;\n" \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_link_update AFTER UPDATE ON taskcategorylink WHEN " ROSTER_SYNC_QUEUES " BEGIN\n" \
  ROSTER_SYNC_QUEUE ("0", "OLD.task_id") \
  ROSTER_SYNC_QUEUE ("0", "NEW.task_id") \
  "END;\n" \
  /* A renamed tag is in the CATEGORIES of each of its tasks. */ \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_category_update AFTER UPDATE OF name ON category\n" \
  "  WHEN OLD.name IS NOT NEW.name AND " ROSTER_SYNC_QUEUES " BEGIN\n" \
  "  INSERT INTO roster_sync_outbox (kind, object_id)\n" \
  "    SELECT 0, task_id FROM taskcategorylink WHERE category_id = NEW.id\n" \
  "    ON CONFLICT (kind, object_id) DO UPDATE SET seq = seq + 1;\n" \
  "END;\n" \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_user_insert AFTER INSERT ON user WHEN " ROSTER_SYNC_QUEUES " BEGIN\n" \
  ROSTER_SYNC_QUEUE ("1", "NEW.id") \
  "END;\n" \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_user_update AFTER UPDATE OF username ON user WHEN " ROSTER_SYNC_QUEUES " BEGIN\n" \
  ROSTER_SYNC_QUEUE ("1", "NEW.id") \
  "END;\n" \
  /* The list stays, owned by nobody, until the server deletes it: a user \
   * made later (even with the same id) gets a list of its own. */ \
  "CREATE TRIGGER IF NOT EXISTS roster_sync_user_delete AFTER DELETE ON user BEGIN\n" \
  "  UPDATE roster_sync_list SET user_id = NULL WHERE user_id = OLD.id;\n" \
  "END;\n"

#define ROSTER_SYNC_DROP_TRIGGERS_SQL \
  "DROP TRIGGER IF EXISTS roster_sync_task_insert;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_task_update;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_task_delete;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_link_insert;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_link_delete;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_link_update;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_category_update;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_user_insert;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_user_update;\n" \
  "DROP TRIGGER IF EXISTS roster_sync_user_delete;\n"
