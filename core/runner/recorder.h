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
    // A received JSON object or array is expected as a subset of itself without the fields that
    // change from run to run (ids, timestamps, nonces: see VolatileJson), instead of whole.
    bool looseJson = false;
    // Secrets other recordings of the same scenario named already (variable -> value): a value
    // seen before keeps its name, a new one never takes a name in use. They are in the
    // Recording's secrets too.
    QMap<QString, QString> knownSecrets;
};

// What recording produced: the scenario, and the secrets it took out of it. The secrets' values
// never go into the file; the caller may put them into an environment the user keeps.
struct Recording
{
    Scenario scenario;
    QMap<QString, QString> secrets;  // variable name -> value taken out
    // For each step, the sequence number of the log event it was made from (-1 for a wait), so
    // that recordings of several logs can be put in the order things happened.
    QList<qint64> stepEvents;
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
