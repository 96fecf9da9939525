/* roster-error.c: the error domain of Roster's model layer. */
#define G_LOG_DOMAIN "roster-error"

#include "roster-error.h"

G_DEFINE_QUARK (roster-error-quark, roster_error)
