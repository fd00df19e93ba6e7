#include "variables.h"

#include "secretmasker.h"
#include "variablesyntax.h"

#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {

bool Variables::set(Layer layer, const QString &name, const QString &value, Secrecy secrecy)
{
    if (!VariableSyntax::isValidName(name))
        return false;
    const bool secret = secrecy == Secrecy::Secret || layer == Layer::ProcessEnvironment;
    m_layers[size_t(layer)].insert(name, Entry{value, secret});
    return true;
}

void Variables::remove(Layer layer, const QString &name)
{
    m_layers[size_t(layer)].remove(name);
}

void Variables::clear(Layer layer)
{
    m_layers[size_t(layer)].clear();
    if (layer == Layer::ProcessEnvironment)
        m_usedFromProcess.clear();
}

void Variables::setProcessEnvironment(const QProcessEnvironment &environment)
{
    clear(Layer::ProcessEnvironment);
    const QStringList keys = environment.keys();
    for (const QString &name : keys)
        set(Layer::ProcessEnvironment, name, environment.value(name));
}

const Variables::Entry *Variables::find(QStringView name, Layer *layer) const
{
    const QString key = name.toString();
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const auto it = m_layers[i].constFind(key);
        if (it != m_layers[i].cend()) {
            if (layer)
                *layer = Layer(i);
            return &it.value();
        }
    }
    return nullptr;
}

const Variables::Entry *Variables::use(QStringView name) const
{
    Layer layer = Layer::Captured;
    const Entry *entry = find(name, &layer);
    if (entry && layer == Layer::ProcessEnvironment)
        m_usedFromProcess.insert(name.toString());
    return entry;
}

std::optional<QString> Variables::value(QStringView name) const
{
    if (const Entry *entry = use(name))
        return entry->value;
    return std::nullopt;
}

std::optional<Variables::Layer> Variables::layerOf(QStringView name) const
{
    Layer layer = Layer::Captured;
    if (find(name, &layer))
        return layer;
    return std::nullopt;
}

QStringList Variables::names(Layer layer) const
{
    QStringList result = m_layers[size_t(layer)].keys();
    result.sort();
    return result;
}

bool Variables::isSecret(const QString &name, const Entry &entry) const
{
    return entry.secret || SecretMasker::isSecretParameter(name)
        || SecretMasker::isSecretHeader(name);
}

bool Variables::isSecret(QStringView name) const
{
    const Entry *entry = find(name, nullptr);
    return isSecret(name.toString(), entry ? *entry : Entry());
}

Variables::Expansion Variables::expand(QStringView text) const
{
    Expansion expansion;
    for (const VariableSyntax::Segment &segment : VariableSyntax::split(text)) {
        switch (segment.kind) {
        case VariableSyntax::Segment::Literal:
            expansion.text += segment.text;
            break;
        case VariableSyntax::Segment::Reference:
            if (const Entry *entry = use(segment.text)) {
                expansion.text += entry->value;
            } else {
                expansion.text += segment.source;
                if (!expansion.unresolved.contains(segment.text))
                    expansion.unresolved.append(segment.text);
            }
            break;
        case VariableSyntax::Segment::Malformed:
            expansion.text += segment.source;
            expansion.malformed.append(segment.source);
            break;
        }
    }
    return expansion;
}

bool Variables::isBuiltInName(QStringView name)
{
    return name == DemoUrl;
}

std::optional<QString> Variables::resolveDefault(const QString &value) const
{
    const QStringList referenced = VariableSyntax::referencedNames(value);
    if (referenced.isEmpty() || !std::all_of(referenced.cbegin(), referenced.cend(), isBuiltInName))
        return value;
    const Expansion expansion = expand(value);
    if (!expansion.isComplete())
        return std::nullopt;
    return expansion.text;
}

QList<Variables::SecretValue> Variables::secretValues(bool withEncodedForms) const
{
    QList<SecretValue> secrets;
    for (size_t i = 0; i < m_layers.size(); ++i) {
        for (auto it = m_layers[i].cbegin(); it != m_layers[i].cend(); ++it) {
            const QString &name = it.key();
            Layer winner = Layer::Captured;
            // A hidden value never reaches the output; its name's winning value may.
            if (find(name, &winner) != &it.value() || !isSecret(name, it.value()))
                continue;
            if (winner == Layer::ProcessEnvironment && !m_usedFromProcess.contains(name))
                continue;
            if (it.value().value.size() < MinimumSecretLength)
                continue;
            secrets.append(SecretValue{name, it.value().value});
            if (withEncodedForms) {
                const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(it.value().value));
                if (encoded != it.value().value)
                    secrets.append(SecretValue{name, encoded});
            }
        }
    }
    // Longest first, so that a secret containing another is masked whole; then by name, so
    // that the output does not depend on hash order.
    std::sort(secrets.begin(), secrets.end(), [](const SecretValue &a, const SecretValue &b) {
        if (a.value.size() != b.value.size())
            return a.value.size() > b.value.size();
        return a.name < b.name;
    });
    return secrets;
}

QString Variables::maskSecrets(QStringView text) const
{
    const QList<SecretValue> secrets = secretValues(true);
    if (secrets.isEmpty())
        return text.toString();
    QString result;
    result.reserve(text.size());
    qsizetype pos = 0;
    while (pos < text.size()) {
        const QStringView rest = text.sliced(pos);
        const auto match = std::find_if(secrets.cbegin(), secrets.cend(), [&](const SecretValue &s) {
            return rest.startsWith(s.value);
        });
        if (match != secrets.cend()) {
            result += SecretMasker::Mask;
            pos += match->value.size();
        } else {
            result += text[pos++];
        }
    }
    return result;
}

QString Variables::abstractSecrets(QStringView text) const
{
    const QList<SecretValue> secrets = secretValues(false);
    QList<VariableSyntax::Segment> segments;
    QString literal;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const QStringView rest = text.sliced(pos);
        const auto match = std::find_if(secrets.cbegin(), secrets.cend(), [&](const SecretValue &s) {
            return rest.startsWith(s.value);
        });
        if (match == secrets.cend()) {
            literal += text[pos++];
            continue;
        }
        segments.append({VariableSyntax::Segment::Literal, std::exchange(literal, QString()), {}});
        segments.append({VariableSyntax::Segment::Reference, match->name,
                         VariableSyntax::reference(match->name)});
        pos += match->value.size();
    }
    segments.append({VariableSyntax::Segment::Literal, literal, {}});
    return VariableSyntax::compose(segments);
}

} // namespace wsprobe
