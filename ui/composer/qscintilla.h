#pragma once

// QScintilla's headers use the bare `signals`/`slots` keywords, which this project turns off
// (QT_NO_KEYWORDS) so they never clash with other libraries. Include QScintilla through here.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#include <Qsci/qscilexerjson.h>
#include <Qsci/qsciscintilla.h>
#undef slots
#undef signals
