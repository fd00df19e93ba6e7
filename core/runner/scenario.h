#pragma once

#include "matcher.h"
#include "mockscript.h"
#include "roundtriplimit.h"
#include "sessionsettings.h"
#include "sourcelocation.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsprobe {

// The longest timeout or wait a scenario file may hold: a day.
inline constexpr int MaxScenarioDurationMs = 24 * 60 * 60 * 1000;

// What a send step or a trigger sends. Strings keep their {{variables}}: they are expanded when
// the message goes, so captured values can be used.
struct Payload
{
    enum class Kind { Text, Json, Binary };
    Kind kind = Kind::Text;
    QString text;       // Text
    QJsonValue json;    // Json: strings inside are expanded
    QByteArray bytes;   // Binary (decoded from hex/base64, or read from a file)
};

// One client of a scenario, as written: strings still hold {{variables}}.
struct ClientSpec
{
    QString name;
    QString url;
    QList<KeyValue> query;
    QList<KeyValue> headers;
    QString origin;
    QStringList subprotocols;
    int connectTimeoutMs = 10000;
    qint64 maxFrameSize = SessionSettings::DefaultMaxIncomingSize;
    qint64 maxMessageSize = SessionSettings::DefaultMaxIncomingSize;
    int autoPingMs = 0;
    int maxMissedPongs = 0;             // 0 = never give up on a silent server
    QString correlate;          // JSON Pointer pairing a message with its answer; "" = the next one
    ReconnectPolicy reconnect;  // enabled when the file has a "reconnect" object
    TlsSettings tls;            // paths already made absolute
};

struct Step
{
    enum class Type {
        Connect, Send, Expect, ExpectSequence, ExpectNone, Ping, ExpectPong, Wait, Close,
        ExpectClose, ExpectRejected, Capture, Drop, Reconnect, RoundTrip, ExpectServer,
    };

    Type type = Type::Wait;
    QStringList clients;            // the action key's value; one entry for most steps (a
                                    // server's name for ExpectServer)
    QString title;                  // "" = generated from the step
    SourceLocation where;
    int timeoutMs = -1;             // -1 = the scenario's stepTimeout

    std::optional<Matcher> matcher; // Expect, ExpectSequence, ExpectNone, ExpectServer
    std::optional<QJsonValue> matcherSpec;  // as written, only for a matcher with {{variables}}
    bool strict = false;            // Expect: the very next message must match
    int count = 1;                  // Expect, ExpectSequence, ExpectServer
    QString pointer;                // ExpectSequence (increasing), Capture
    std::optional<double> increment;// ExpectSequence: exact step between values
    int withinMs = 0;               // ExpectNone window; ExpectPong max round trip (0 = any)
    Payload payload;                // Send
    QByteArray pingPayload;         // Ping
    std::optional<int> closeCode;   // Close (default 1000), ExpectClose
    std::optional<QString> closeReason;  // Close, ExpectClose (equals)
    QString reasonPattern;          // ExpectClose (regex)
    std::optional<bool> clean;      // ExpectClose
    std::optional<QString> subprotocol;  // Connect: the one the server must choose ("" = none)
    int httpStatus = 0;             // ExpectRejected (0 = any status)
    QString captureRegex;           // Capture
    int captureGroup = 1;           // Capture
    QString variable;               // Capture
    int waitMs = 0;                 // Wait
    bool optional = false;          // Wait: a recorded pause, skipped by --fast
    RoundTripLimit roundTripLimit;  // RoundTrip
};

struct Trigger
{
    QString on;                     // client whose messages are watched
    Matcher matcher;
    QString sender;                 // client that answers
    Payload payload;
    bool once = false;
    SourceLocation where;
};

// A mock server a scenario starts before its first step and stops after its last
// (docs/mock-server.md): its clients reach it at the variable servers.<name>.url.
struct ServerSpec
{
    QString name;
    QString file;        // as written: relative to the scenario's folder
    SourceLocation where;
    MockScript script;
};

// A scenario as read from its file: what the runner runs and the recorder writes.
struct Scenario
{
    int version = 1;
    QString name;
    QString description;
    QString filePath;               // where it was read from; "" for one made in memory
    QString schemaBaseUri;          // what relative "$ref"s in its schemas resolve against
    QMap<QString, QString> variables;
    int timeoutMs = 30000;
    int stepTimeoutMs = 5000;
    QList<ServerSpec> servers;
    QList<ClientSpec> clients;
    QList<Trigger> triggers;
    QList<Step> steps;

    const ClientSpec *client(const QString &name) const;
};

QString displayName(Step::Type type);
// A one-line description of a step for reports, e.g. `expect alice: json subset {"a":1}`.
QString describe(const Step &step);

} // namespace wsprobe
