#pragma once

#include <QHash>
#include <QProcessEnvironment>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <array>
#include <optional>

namespace wsprobe {

// The values behind {{name}} references (see VariableSyntax), from six layers, and which of
// them are secrets that must not appear in logs, reports or recorded scenarios.
//
// A value is used as it is: it is never expanded again, so text a server sent and a test
// captured cannot smuggle in references to other variables.
class Variables
{
public:
    // In order of precedence: a name set in an earlier layer hides it in all later ones.
    enum class Layer {
        Captured,           // taken from messages while a scenario runs
        CommandLine,        // --var name=value
        EnvironmentFile,    // a JSON file of name/value pairs (VariableFile)
        Scenario,           // the scenario's own "variables"
        ProcessEnvironment, // the process environment, any name; always secret
        BuiltIn,            // what wsprobe itself defines ({{demoUrl}} while its demo server runs)
    };
    static constexpr int LayerCount = 6;

    // ByName: secret when the name looks like a credential ("token", "api_key", "password").
    // Secret: always (a whole environment file marked secret, a captured value known to be one).
    enum class Secrecy { ByName, Secret };

    struct Expansion
    {
        // Unresolved and malformed references are kept as written, never replaced by nothing.
        QString text;
        QStringList unresolved; // names without a value, each once, in order
        QStringList malformed;  // "{{ ... }}" fragments that are not references, as written
        bool isComplete() const { return unresolved.isEmpty() && malformed.isEmpty(); }
    };

    // Values shorter than this are not masked or abstracted: "1" or "abc" would be found inside
    // every other word. No credential is this short.
    static constexpr qsizetype MinimumSecretLength = 4;

    // Returns false (and sets nothing) for an invalid name.
    bool set(Layer layer, const QString &name, const QString &value,
             Secrecy secrecy = Secrecy::ByName);
    void remove(Layer layer, const QString &name);
    void clear(Layer layer);
    // Replaces the ProcessEnvironment layer with every validly named variable of environment.
    void setProcessEnvironment(const QProcessEnvironment &environment);

    // The value from the highest layer that has name.
    std::optional<QString> value(QStringView name) const;
    std::optional<Layer> layerOf(QStringView name) const;
    // Names set in layer, sorted.
    QStringList names(Layer layer) const;
    bool isSecret(QStringView name) const;

    Expansion expand(QStringView text) const;
    // A scenario's default made of text and built-in names ("{{demoUrl}}/echo") with those
    // expanded, to the values they resolve to (so --var demoUrl=... counts there too); nullopt
    // when one of them has no value now. Any other value as it is: never expanded.
    std::optional<QString> resolveDefault(const QString &value) const;

    // The names wsprobe defines itself (Layer::BuiltIn) when it can.
    static constexpr QStringView DemoUrl = u"demoUrl";  // the built-in demo server, while it runs
    static bool isBuiltInName(QStringView name);
    // Replaces each secret value in text (also percent-encoded, as in a URL) with
    // SecretMasker::Mask, longest first. Of the process environment only the variables used so
    // far (by value() or expand()) count: it holds hundreds of unrelated values.
    QString maskSecrets(QStringView text) const;
    // Turns literal text (a recorded message) into a template: each secret value becomes its
    // {{name}} and the rest stays literal, so that expand() gives text back and no secret is
    // written to a scenario file.
    QString abstractSecrets(QStringView text) const;

private:
    struct Entry
    {
        QString value;
        bool secret = false;
    };
    struct SecretValue
    {
        QString name;
        QString value;
    };

    const Entry *find(QStringView name, Layer *layer) const;
    // Looks name up and remembers a process-environment variable as used.
    const Entry *use(QStringView name) const;
    bool isSecret(const QString &name, const Entry &entry) const;
    // Effective secret values, longest first; with percent-encoded forms when asked.
    QList<SecretValue> secretValues(bool withEncodedForms) const;

    std::array<QHash<QString, Entry>, LayerCount> m_layers;
    // Which process-environment variables a value has been taken from. Looking a value up is
    // const, but masking must know what may have reached the output.
    mutable QSet<QString> m_usedFromProcess;
};

} // namespace wsprobe
