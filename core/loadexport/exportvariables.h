#pragma once

#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace wsprobe {

struct Scenario;

// How the {{variables}} of a scenario's strings become a load tool's own: a script carries the
// values the scenario and the command line give, refers to the environment for secrets and for
// names nobody gave a value, and leaves what a capture step sets to the tool's run time.
class ExportVariables
{
public:
    struct Part
    {
        enum Kind {
            Literal,      // text: the literal text
            Value,        // text: a variable whose value the script carries (values())
            Environment,  // text: the environment variable's name
            Captured,     // text: a variable a capture step sets while the scenario runs
        };
        Kind kind = Literal;
        QString text;
    };

    // given: --var values, which win over the scenario's.
    ExportVariables(const Scenario &scenario, const QMap<QString, QString> &given);

    // The pieces of a template. A value made of other variables (`"baseUrl": "{{demoUrl}}"`)
    // is spliced in, so the script needs no templating of its own values.
    QList<Part> parts(QStringView text);
    // Whether a template is one literal text (no references).
    static bool isLiteral(const QList<Part> &parts);

    // The values used so far, by name: never a secret's.
    const QMap<QString, QString> &values() const { return m_used; }
    // The environment variables used so far, in order of first use.
    const QStringList &environment() const { return m_environment; }

private:
    void append(QStringView text, int depth, QList<Part> *out);

    QMap<QString, QString> m_known;
    QSet<QString> m_captured;
    QMap<QString, QString> m_used;
    QStringList m_environment;
};

} // namespace wsprobe
