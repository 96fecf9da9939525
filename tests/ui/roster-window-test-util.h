/* roster-window-test-util.h: what the window's widget tests (test-window-*.c)
 * share: a window on a file in a temporary folder of its own, and ways to act
 * on it and read it as a person would: its actions, typing into its fields,
 * the widgets of its template, the accessors of roster-window-private.h;
 * never the window's struct. The names are short: the tests read better so,
 * and only these programs link this library.
 *
 * Every test starts from the settings' defaults (a 960 × 640 window, no last
 * user), whatever an earlier test of the same program left in them: a test
 * that needs another size sets it itself. */
#pragma once

#include <sqlite3.h>

#include "roster-ui-test-util.h"
#include "roster-window-private.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;
  char         *path;
  RosterWindow *window;
  RosterStore  *store;
} Fixture;

void     setup          (Fixture       *f,
                         gconstpointer  data);
void     teardown       (Fixture       *f,
                         gconstpointer  data);
/* Opens f->path in a new window, and waits until its lists are whole. */
void     open_window    (Fixture       *f);
/* The size the next window opens at (in the settings). */
void     set_window_size (int           width,
                          int           height);

/* A test with the window open on a new file. */
#define ADD_TEST(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
/* A test that makes its file first, then calls open_window() itself. */
#define ADD_TEST_OWN_FILE(path, func) g_test_add (path, Fixture, GINT_TO_POINTER (1), setup, func, teardown)

/* The window's widgets, by their ids in ui/roster-window.ui, and the
 * sidebar's, by theirs in ui/roster-sidebar.ui. */
gpointer            window_part        (RosterWindow *window,
                                        const char   *id);
gpointer            sidebar_part       (RosterWindow *window,
                                        const char   *id);
/* The selection of the sidebar's "user_list" or "tag_list". */
GtkSingleSelection *sidebar_selection  (RosterWindow *window,
                                        const char   *list);
/* The entry under the task list, for a new task. */
GtkEntry           *add_entry          (Fixture      *f);
/* The details pane (once made). */
RosterTaskDetails  *details_pane       (Fixture      *f);

/* Acting */
void        activate          (Fixture    *f,
                               const char *action);
void        type_and_enter    (GtkEntry   *entry,
                               const char *text);
RosterUser *add_user          (Fixture    *f,
                               const char *name);
GListModel *user_tasks        (Fixture    *f,
                               RosterUser *user);
RosterTask *select_first_task (Fixture    *f);
/* Types @text into Find and waits for its search; returns the results. */
GListModel *search            (Fixture    *f,
                               const char *text);
/* With ROSTER_WINDOW_SCREENSHOTS=DIR, saves DIR/window-NAME.png. */
void        save_screenshot   (Fixture    *f,
                               const char *name);

/* Reading what is shown */
guint             count_rows        (GtkListView *list);
guint             count_task_rows   (RosterWindow *window);
GtkWidget        *find_descendant   (GtkWidget   *widget,
                                     GType        type,
                                     const char  *label);
GtkWidget        *find_chip         (GtkWidget   *row,
                                     const char  *name);
AdwMessageDialog *find_dialog       (void);
GtkEditable      *find_entry        (Fixture     *f);
gboolean          focus_is_in       (Fixture     *f,
                                     GtkWidget   *widget);

/* The file locked by another program, and the edits that wait for it */
sqlite3         *lock_file          (Fixture    *f);
void             unlock_file        (sqlite3    *db);
RosterEditQueue *edits              (Fixture    *f);
guint            count_waiting      (Fixture    *f);
void             wait_until_saved   (Fixture    *f);
void             assert_waiting     (Fixture    *f,
                                     GtkWidget  *widget,
                                     guint       n_waiting);
/* What a second connection to the file counts: the file, not the store. */
gint64           count_in_file      (Fixture    *f,
                                     const char *sql,
                                     gint64      id);

G_END_DECLS
