/* roster-model.h: everything of Roster's model layer in one include. */
#pragma once

#include "roster-backup.h"
#include "roster-category.h"
#include "roster-csv.h"
#include "roster-edit-queue.h"
#include "roster-error.h"
#include "roster-prepare.h"
#include "roster-ical.h"
#include "roster-recurrence.h"
#include "roster-reminders.h"
#include "roster-store.h"
#include "roster-task.h"
#include "roster-user.h"
