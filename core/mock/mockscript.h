#pragma once

#include "matcher.h"

#include <QHostAddress>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

namespace wsprobe {

// One message the mock sends: a text, a JSON value, or bytes (a binary message) written in
// hex ("binary") or base64 ("binaryBase64"), all templates (see MockTemplate), sent delayMs after what triggered it, to the
// sender, the route's clients or a group.
struct MockMessage
{
    enum class Body { Text, Json, Base64, Hex };
    enum class Target { Sender, All, Others, Group };

    Body body = Body::Text;
    QJsonValue value;  // Json: any value; the others: a string
    int delayMs = 0;
    Target to = Target::Sender;
    QString group;     // Target::Group
};

// How the mock ends a connection: a close frame with code and reason, or (drop) the TCP
// connection cut without one.
struct MockClose
{
    int code = 1000;
    QString reason;
    int delayMs = 0;
    bool drop = false;
};

// "when a message matches, reply": the matcher, and a regular expression for {{$1}} when the
// matcher is a top-level textMatches.
struct MockRule
{
    Matcher when;
    std::optional<QRegularExpression> groups;
    QList<MockMessage> reply;
    std::optional<MockClose> close;
    // "pings": true answers the client's pings from this message on, false leaves them
    // unanswered; nullopt changes nothing.
    std::optional<bool> answerPings;
};

// A connection ended by time or by the number of messages it sent (within a sliding window of
// withinMs when given, else since it connected).
struct MockLimit
{
    int afterMs = 0;        // 0: not by time
    int afterMessages = 0;  // 0: not by count
    int withinMs = 0;       // 0: counted since the connection opened
    MockClose close;
};

// Messages sent every everyMs, count times (0: until the connection ends).
struct MockTimer
{
    int everyMs = 1000;
    int count = 0;
    QList<MockMessage> send;
};

// What the mock does with what nobody's rule matched.
struct MockUnmatched
{
    enum class Action { Ignore, Echo, Close };
    Action action = Action::Ignore;
    MockClose close;  // Action::Close
};

struct MockRoute
{
    QString path;
    int rejectStatus = 0;  // non-zero: every upgrade is refused with it
    QList<QPair<QByteArray, QString>> requiredHeaders;  // name (lower case), value ("" = any)
    int missingHeaderStatus = 401;
    // Headers the 101 carries besides the handshake's own: name, value (a template of variables).
    QList<QPair<QByteArray, QString>> responseHeaders;
    QStringList subprotocols;
    QStringList groups;
    QList<MockMessage> onConnect;
    QList<MockRule> rules;
    MockUnmatched unmatched;
    std::optional<MockLimit> closeAfter;
    std::optional<MockTimer> timer;
    // How many of a client's pings are answered (with a pong of the same payload): nullopt all
    // of them ("answer"), 0 none ("ignore"), N the first N ({"ignoreAfter": N}).
    std::optional<qint64> pingsAnswered;
};

// A mock server file as read: where to listen and what each path does.
struct MockScript
{
    QString name;
    QString fileName;
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;
    QList<MockRoute> routes;
    // The file's "variables", expanded into the templates when they are sent.
    QList<QPair<QString, QString>> variables;

    const MockRoute *route(QStringView path) const;
};

} // namespace wsprobe
