#pragma once

#include "scenario.h"

#include <QMap>

namespace wsprobe {

class FrameLog;

struct RecordOptions
{
    QString scenarioName;
    QString clientName = QStringLiteral("client");
    // Pauses a person made between two of their own actions become optional waits.
    bool keepPauses = true;
    int minPauseMs = 500;
    // Servers whose address a variable stands for (name -> "ws://127.0.0.1:61800", as
    // {{demoUrl}} for the built-in demo server): a URL on one of them is written as
    // "{{name}}/path", so the recording still runs when the server's port has changed.
    QMap<QString, QString> serverVariables;
};

// What recording produced: the scenario, and the secrets it took out of it. The secrets' values
// never go into the file; the caller may put them into an environment the user keeps.
struct Recording
{
    Scenario scenario;
    QMap<QString, QString> secrets;  // variable name -> value taken out
};

// Turns a manual session (its settings and its frame log) into a scenario: outgoing messages
// become sends, incoming ones expects, pings and closes their steps (a close by the server an
// expectClose with its code and reason), pauses optional waits, secret header and query
// values become {{variables}}, and so does a known server's address (RecordOptions). Of a session that connected several times, the last connection
// that opened is recorded: it is the one the settings describe.
namespace Recorder {

Recording record(const SessionSettings &settings, const FrameLog &log, const RecordOptions &options = {});

} // namespace Recorder
} // namespace wsprobe
