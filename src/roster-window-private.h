/* roster-window-private.h: RosterWindow's insides, shared by the window's
 * files (roster-window.c: the class, structure and state; -selection.c,
 * -find.c, -add-task.c, -lists.c, -edits.c, -details.c, -actions.c,
 * -import.c, -open.c, -sort.c, -sync.c: see their first lines) and the
 * widget tests. Only these include it: the widgets the window holds know
 * nothing of the window. */
#pragma once

#include "roster-export-dialog.h"
#include "roster-find-bar.h"
#include "roster-messages.h"
#include "roster-sidebar.h"
#include "roster-task-details.h"
#include "roster-window.h"

G_BEGIN_DECLS

/* What F2 and Delete act on, from where the focus is. */
typedef enum
{
  ROSTER_TARGET_NONE,
  ROSTER_TARGET_USER,
  ROSTER_TARGET_TAG,
  ROSTER_TARGET_TASK,
} RosterTarget;

/* One key binding of the window. The shortcuts window (ui/roster-shortcuts.ui)
 * lists exactly these, and a test checks it. */
typedef struct
{
  const char          *accel;
  const char          *action;
  GtkPropagationPhase  phase;
  /* FALSE: let the key through while a text field has focus. */
  gboolean             in_text;
} RosterShortcut;

typedef struct _RosterWindowPreparing RosterWindowPreparing;
typedef struct _RosterWindowSync RosterWindowSync;

struct _RosterWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *path;
  RosterStore          *store;
  GError               *open_error;
  /* The file being prepared for this version (roster-window-open.c), or NULL. */
  RosterWindowPreparing *preparing;
  GSettings            *settings;
  GHashTable           *enabled_actions;

  /* The store's users and tags, which the sidebar shows (while a store is
   * open). */
  GListModel           *users;
  GListModel           *categories;
  /* Between the task list's selection and its model: a screenful of rows
   * for the first frame, then the whole list (roster-window-lists.c, "The
   * first frame"; the sidebar has its own). */
  GtkSliceListModel    *task_slice;
  guint                 grow_tick;
  guint                 menus_idle;     /* make_menus_cb() */
  gint64                first_frame;
  RosterUser           *user;
  RosterCategory       *category;
  /* A Plan view shown instead of a user's or tag's tasks (ROSTER_PLAN_NONE:
   * none); its rows show owners, and Upcoming's a heading per day. */
  RosterPlan            plan;
  /* How the list shown is sorted (roster-window-sort.c): the selection's own
   * list (filtered_tasks shows its sorted list), and the settings for it. */
  GListModel           *base_tasks;
  RosterSortOrder       sort_order;
  gboolean              hide_done;
  /* The list shown: the selected user's or tag's tasks (the model under it
   * changes with the selection). */
  GtkFilterListModel   *filtered_tasks;
  GtkSingleSelection   *task_selection;
  guint                 refresh_source;
  /* Writes today's backup after the file opened, off the main thread. */
  GThread              *backup_thread;
  /* The last toast about a change (weak, until dismissed) and when it was
   * shown: the next one replaces it. */
  AdwToast             *change_toast;
  gint64                change_toast_time;
  /* The store's edit queue (while a store is open): every change goes
   * through it (roster-edit-queue.h). The question asked when the window
   * closes before the edits waiting in it are saved (weak). */
  RosterEditQueue      *edits;
  GtkWindow            *unsaved_dialog;
  /* What the store is busy with, for the progress bar: set around the call
   * that may start a big change (roster-window-edits.c, "Big changes"), and kept
   * as shown while it runs. */
  char                 *work_description;
  char                 *work_text;
  /* Undo and redo steps handed to the store whose answer has not come. */
  guint                 n_replays;
  /* Made when first asked for (weak). */
  GtkWindow            *shortcuts_window;
  /* Closed while a big change was being saved: closes once it is. */
  gboolean              close_when_done;
  /* Find: the results replace the list while finding. A task chosen there
   * whose row did not exist yet gets the focus from an idle. */
  gboolean              finding;
  RosterTask           *pending_task;
  guint                 pending_task_source;

  /* Template widgets */
  AdwToastOverlay      *toasts;
  GtkStack             *main_stack;
  AdwStatusPage        *error_page;
  GtkWidget            *restore_button;
  AdwFlap              *sidebar_flap;
  RosterSidebar        *sidebar;
  AdwFlap              *details_flap;
  AdwHeaderBar         *content_header;
  AdwWindowTitle       *content_title;
  GtkToggleButton      *sidebar_button;
  GtkMenuButton        *menu_button;
  GtkToggleButton      *search_button;
  GtkToggleButton      *details_button;
  GtkInfoBar           *work_bar;
  GtkLabel             *work_label;
  GtkProgressBar       *work_progress;
  GtkInfoBar           *waiting_bar;
  GtkLabel             *waiting_label;
  GtkWidget            *add_box;
  GtkEntry             *add_entry;
  GtkLabel             *add_error;
  GtkStack             *content_stack;
  GtkListView          *task_list;
  GtkLabel             *sort_note;
  GtkButton            *show_done_button;
  AdwStatusPage        *empty_page;
  RosterFindBar        *find_bar;
  /* The details pane, made when first needed (NULL until then), in its bin. */
  AdwBin               *details_bin;
  RosterTaskDetails    *details;
  GMenuModel           *main_menu;
  GMenuModel           *task_menu;
  GMenuModel           *user_menu;
  GMenuModel           *tag_color_menu;
  GMenu                *history_section;
  GMenuModel           *tag_menu;      /* Rename, Colour, Delete */
  /* Made on first use: _roster_window_ensure_context_menu(). */
  GtkWidget            *task_popover;
  GtkWidget            *user_popover;
  GtkWidget            *tag_popover;
  /* On a narrow window the details pane moves into this dialog. */
  GtkWindow            *details_dialog;
  /* CalDAV sync from the window (roster-window-sync.c). */
  RosterWindowSync     *sync;
};

/* roster-window.c */
/* Asked to close while a big change runs: closes once it is saved. */
gboolean              _roster_window_closes_when_done    (RosterWindow   *self);

/* roster-window-selection.c */
void                  _roster_window_selection_class_init (GtkWidgetClass *widget_class);
/* Makes the list shown and its selection (before the lists' rows). */
void                  _roster_window_selection_init      (RosterWindow   *self);
RosterTask           *_roster_window_get_selected_task   (RosterWindow   *self);
/* What the window shows (the widget tests read it through these, not the
 * struct): the selected user or tag, the tasks of the list shown (whole, not
 * the first frame's slice), whether Find is shown. */
RosterUser           *_roster_window_get_selected_user   (RosterWindow   *self);
RosterCategory       *_roster_window_get_selected_category (RosterWindow *self);
GListModel           *_roster_window_get_shown_tasks     (RosterWindow   *self);
gboolean              _roster_window_is_finding          (RosterWindow   *self);
void                  _roster_window_select_user         (RosterWindow   *self,
                                                          RosterUser     *user);
void                  _roster_window_select_category     (RosterWindow   *self,
                                                          RosterCategory *category);
void                  _roster_window_select_task         (RosterWindow   *self,
                                                          RosterTask     *task,
                                                          gboolean        grab_focus);
/* Selects @task and gives its row the keyboard, from an idle if the row is
 * not made yet. */
void                  _roster_window_select_and_focus_task (RosterWindow *self,
                                                          RosterTask     *task);
void                  _roster_window_choose_sidebar_item (RosterWindow   *self,
                                                          GObject        *item);
/* Shows a Plan view (the sidebar's Today, Upcoming; Ctrl+1, Ctrl+2). */
void                  _roster_window_choose_plan         (RosterWindow   *self,
                                                          RosterPlan      plan);
RosterPlan            _roster_window_get_plan            (RosterWindow   *self);
RosterTarget          _roster_window_get_target          (RosterWindow   *self);
void                  _roster_window_update_content      (RosterWindow   *self);
/* TRUE when the focus went with a removed row (or is hidden). */
gboolean              _roster_window_focus_is_lost       (RosterWindow   *self);

/* roster-window-find.c */
void                  _roster_window_find_class_init     (GtkWidgetClass *widget_class);
void                  _roster_window_set_finding         (RosterWindow   *self,
                                                          gboolean        finding);
/* Find closed without moving the keyboard (a list chosen, the file going). */
void                  _roster_window_stop_finding        (RosterWindow   *self);

/* roster-window-add-task.c: the entry that adds a task to the user shown. */
void                  _roster_window_add_task_class_init (GtkWidgetClass *widget_class);
void                  _roster_window_add_task_init       (RosterWindow   *self);

/* roster-window-open.c: the error page's ways out (installed as
 * win.open-other, win.restore-backup). */
void                  _roster_window_open_other_action   (GtkWidget      *widget,
                                                          const char     *action_name,
                                                          GVariant       *parameter);
void                  _roster_window_restore_backup_action (GtkWidget    *widget,
                                                          const char     *action_name,
                                                          GVariant       *parameter);

/* roster-window-edits.c */
void                  _roster_window_show_error          (RosterWindow   *self,
                                                          const GError   *error,
                                                          RosterSubject   subject);
void                  _roster_window_show_change_toast   (RosterWindow   *self,
                                                          AdwToast       *toast);
void                  _roster_window_show_undo_toast     (RosterWindow   *self,
                                                          const char     *message);
void                  _roster_window_forget_change_toast (RosterWindow   *self);
/* The last toast about a change while it shows, or NULL. */
AdwToast             *_roster_window_get_change_toast    (RosterWindow   *self);
/* Binds the window to the open store's work and edit queue, and lets go. */
void                  _roster_window_watch_edits         (RosterWindow   *self);
void                  _roster_window_unwatch_edits       (RosterWindow   *self);
/* The banner over the list and the actions, from the queue. */
void                  _roster_window_update_waiting_edits (RosterWindow  *self);
/* The progress bar's text (it also says when the window closes). */
void                  _roster_window_update_work_bar     (RosterWindow   *self);
/* Undo or redo (off the main thread when the step is big). */
void                  _roster_window_replay              (RosterWindow   *self,
                                                          gboolean        redo);
/* TRUE while the store saves a big change or an edit handed to it runs. */
gboolean              _roster_window_is_working          (RosterWindow   *self);
/* The window closes with edits the file still refuses: asks first. */
void                  _roster_window_ask_about_waiting_edits (RosterWindow *self);

/* roster-window-lists.c: the headings of Upcoming's rows, again (the list
 * or the day changed). */
void                  _roster_window_update_headings     (RosterWindow   *self);

/* roster-window-sort.c */
/* The list to show for @tasks (the selection's), as the settings say for
 * it; remembers @tasks. (transfer full) */
GListModel           *_roster_window_sort_view           (RosterWindow   *self,
                                                          GListModel     *tasks);
const char           *_roster_window_sort_order_name     (RosterSortOrder order);
void                  _roster_window_set_sort_order      (RosterWindow   *self,
                                                          const char     *name);
void                  _roster_window_set_hide_done       (RosterWindow   *self,
                                                          gboolean        hide_done);
guint                 _roster_window_count_hidden        (RosterWindow   *self);
/* The line that says why reordering is off, the "Show N Done Tasks" button. */
void                  _roster_window_update_sorting      (RosterWindow   *self);
void                  _roster_window_cycle_sort_action   (GtkWidget      *widget,
                                                          const char     *action_name,
                                                          GVariant       *param);
void                  _roster_window_on_show_done_clicked (RosterWindow  *self);

/* roster-window-details.c */
void                  _roster_window_details_init        (RosterWindow   *self);
void                  _roster_window_show_details        (RosterWindow   *self);
RosterTaskDetails    *_roster_window_ensure_details      (RosterWindow   *self);
void                  _roster_window_destroy_details_dialog (RosterWindow *self);
/* The details dialog of a narrow window while it is open, or NULL. */
GtkWindow            *_roster_window_get_details_dialog  (RosterWindow   *self);

/* roster-window-lists.c */
void                  _roster_window_lists_init          (RosterWindow   *self);
void                  _roster_window_start_first_screen  (RosterWindow   *self);
/* TRUE until the lists cut for the first frame are whole again. */
gboolean              _roster_window_lists_are_growing   (RosterWindow   *self);
GtkWidget            *_roster_window_find_task_row       (RosterWindow   *self,
                                                          RosterTask     *task);
GtkWidget            *_roster_window_find_sidebar_row    (RosterWindow   *self,
                                                          GObject        *item);
void                  _roster_window_return_focus_on_close (RosterWindow *self,
                                                          GtkPopover   *popover,
                                                          RosterTask   *task);
GtkWidget            *_roster_window_ensure_context_menu (RosterWindow   *self,
                                                          GtkWidget      *list);
/* The right-click menu of @list, or NULL while it is not made yet; and the
 * model it shows. */
GtkWidget            *_roster_window_get_context_menu    (RosterWindow   *self,
                                                          GtkWidget      *list);
GMenuModel           *_roster_window_get_context_menu_model (RosterWindow *self,
                                                          GtkWidget      *list);

/* Takes @store (transfer full) and shows it, or, when it is NULL, the
 * error page for @error (transfer full). */
void                  _roster_window_take_store          (RosterWindow   *self,
                                                          RosterStore    *store,
                                                          GError         *error);

/* roster-window-open.c: a file that must first be prepared for this version. */
void                  _roster_window_prepare_store       (RosterWindow   *self);
/* Opens the window's file (roster-window-open.c), and shows it once open
 * (roster-window-selection.c). */
void                  _roster_window_open_store          (RosterWindow   *self);
void                  _roster_window_show_store          (RosterWindow   *self);
/* The window is asked to close while preparing: stops it, and returns TRUE
 * (the window stays until the file is left as it was, then closes). */
gboolean              _roster_window_stop_preparing      (RosterWindow   *self);
/* The window goes: whatever is being prepared is stopped and forgotten. */
void                  _roster_window_forget_preparing    (RosterWindow   *self);
/* Shows a toast saying @message once the store shows (now, or when it is
 * prepared); nothing if the file could not be opened. */
void                  _roster_window_toast_when_open     (RosterWindow   *self,
                                                          const char     *message);

/* roster-window-import.c: Import… and Export… (their actions are installed
 * in roster-window-actions.c), and files dropped on the task list. */
void                  _roster_window_import_init         (RosterWindow   *self);
void                  _roster_window_import_action       (GtkWidget      *widget,
                                                          const char     *action_name,
                                                          GVariant       *parameter);
void                  _roster_window_export_action       (GtkWidget      *widget,
                                                          const char     *action_name,
                                                          GVariant       *parameter);
/* What follows the file chooser: imports @files into the selected user
 * (else the first) as one undo step, reading them in the import's thread
 * while it writes, and says how it went in a toast. */
void                  _roster_window_import_files        (RosterWindow   *self,
                                                          GFile         **files,
                                                          guint           n_files);
/* A modal file chooser over the window (Import…, Export…, opening another
 * file), shown by the caller; with @filter_name, it offers only the files
 * named @pattern or of @mime_type. */
GtkFileChooserNative *_roster_window_new_file_chooser    (RosterWindow   *self,
                                                          const char     *title,
                                                          GtkFileChooserAction action,
                                                          const char     *accept_label,
                                                          const char     *filter_name,
                                                          const char     *pattern,
                                                          const char     *mime_type);
/* Writes the selected user's or tag's tasks, or every task, to @file; a
 * toast says where (or why not). */
gboolean              _roster_window_export_to           (RosterWindow   *self,
                                                          RosterExportWhat what,
                                                          RosterExportFormat format,
                                                          GFile          *file);

/* roster-window-actions.c */
void                  _roster_window_class_actions_init  (GtkWidgetClass *widget_class);
void                  _roster_window_actions_init        (RosterWindow   *self);
void                  _roster_window_update_actions      (RosterWindow   *self);
gboolean              _roster_window_action_is_enabled   (RosterWindow   *self,
                                                          const char     *action);
const RosterShortcut *_roster_window_get_shortcuts       (guint          *n_shortcuts);

/* roster-window-sync.c: CalDAV sync (win.sync-now, win.sync-settings). */
void                  _roster_window_sync_class_init     (GtkWidgetClass *widget_class);
void                  _roster_window_sync_init           (RosterWindow   *self);
void                  _roster_window_sync_dispose        (RosterWindow   *self);
/* The store shows: reads its account, syncs, and watches its edits. */
void                  _roster_window_sync_start          (RosterWindow   *self);
gboolean              _roster_window_sync_has_account    (RosterWindow   *self);
gboolean              _roster_window_sync_is_running     (RosterWindow   *self);
/* What the sidebar's foot says; the banner's sentence, or NULL while hidden. */
const char           *_roster_window_sync_get_status     (RosterWindow   *self);
const char           *_roster_window_sync_get_banner     (RosterWindow   *self);
/* The toast of the last sync conflict while it shows, or NULL. */
AdwToast             *_roster_window_sync_get_conflict_toast (RosterWindow *self);
/* The Sync preferences page for the window's store (for the Preferences
 * window), and the window that shows it meanwhile. */
GtkWidget            *_roster_window_sync_make_page      (RosterWindow   *self);
void                  _roster_window_show_sync_page      (RosterWindow   *self);

G_END_DECLS
