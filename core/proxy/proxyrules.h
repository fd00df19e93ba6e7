#pragma once

#include "jsonerror.h"
#include "matcher.h"

#include <QList>
#include <QString>

#include <optional>

namespace wsprobe {

// Which way a message travels through the proxy.
enum class ProxyDirection { ToServer, ToClient };

// One rule of a proxy's rules file (docs/proxy.md): what it looks at (a direction, an optional
// matcher) and what it does to the messages it matches.
struct ProxyRule
{
    enum class Action { Hold, Rewrite, Drop, Delay, Inject, Close };
    enum class Side { Client, Server };

    QString name;                     // for hit counts and the log; "rule N" when not given
    bool toServer = true;             // applies to client→server messages
    bool toClient = true;             // applies to server→client messages
    std::optional<Matcher> when;      // none: every message (or, for inject/close, a timer)
    Action action = Action::Drop;
    int holdTimeoutMs = 10000;        // hold: released unedited after this (0: never)
    QString replacement;              // rewrite: a MockTemplate ({{$}}, {{$.a}}, {{$1}})
    std::optional<QRegularExpression> groups;  // rewrite: the matcher's textMatches, for {{$N}}
    int delayMinMs = 0;               // delay: fixed when min == max
    int delayMaxMs = 0;
    Side side = Side::Server;         // inject: toward whom; close: which leg
    QString text;                     // inject: the message (a template)
    int afterMs = 0;                  // inject/close: after the match, or after the open
    int closeCode = 1000;
    QString closeReason;

    bool appliesTo(ProxyDirection direction) const
    {
        return direction == ProxyDirection::ToServer ? toServer : toClient;
    }
};

struct ProxyRules
{
    QString fileName;
    QList<ProxyRule> rules;
};

QString displayName(ProxyRule::Action action);

namespace ProxyRulesReader {
// Reads a rules file; nothing, with every problem at file:line:column in *errors, when it is
// broken.
std::optional<ProxyRules> readFile(const QString &path, QList<JsonError> *errors);
std::optional<ProxyRules> readText(const QByteArray &text, const QString &fileName,
                                   QList<JsonError> *errors);
} // namespace ProxyRulesReader

} // namespace wsprobe
